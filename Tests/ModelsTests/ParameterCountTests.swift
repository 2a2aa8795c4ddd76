import Config
import Models
import NN
import Torch
import XCTest

final class ParameterCountTests: XCTestCase {
    /// torchvision.models.resnet18(num_classes=1000) has 11,689,512 parameters.
    func testResNet18MatchesTorchvision() throws {
        let model = try ModelBuilder.build(family: "resnet", options: ["depth": 18, "width": 64, "stem": "imagenet"],
                                           input: .image(channels: 3, height: 224, width: 224), output: .classes(1000),
                                           init: ParameterInit(seed: 0))
        XCTAssertEqual(model.parameterCount, 11_689_512)
    }

    /// torchvision.models.resnet50 has 25,557,032 parameters.
    func testResNet50MatchesTorchvision() throws {
        let model = try ModelBuilder.build(family: "resnet", options: ["depth": 50, "width": 64, "stem": "imagenet"],
                                           input: .image(channels: 3, height: 224, width: 224), output: .classes(1000),
                                           init: ParameterInit(seed: 0))
        XCTAssertEqual(model.parameterCount, 25_557_032)
    }

    func testResNet18HasTwentyOneTaps() throws {
        let model = try ModelBuilder.build(family: "resnet", options: ["depth": 18, "width": 8, "stem": "imagenet"],
                                           input: .image(channels: 3, height: 64, width: 64), output: .classes(10),
                                           init: ParameterInit(seed: 0))
        let taps = try model.describeTaps()
        XCTAssertEqual(taps.count, 21, "\(taps.map(\.name))")
    }
}
