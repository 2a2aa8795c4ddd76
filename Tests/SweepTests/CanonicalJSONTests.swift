import Config
import Foundation
import Sweep
import XCTest

final class CanonicalJSONTests: XCTestCase {
    func testKeysSortedNoWhitespaceStableNumbers() {
        let value: ConfigValue = ["b": 1, "a": ["z": 0.001, "y": 1.0, "x": 1e-8], "c": "q\"\\\n", "é": nil, "B": [true, false]]
        XCTAssertEqual(CanonicalJSON.string(value),
                       #"{"B":[true,false],"a":{"x":1e-08,"y":1,"z":0.001},"b":1,"c":"q\"\\\n","é":null}"#)
    }

    func testIntegralDoubleAndIntPrintAlike() {
        XCTAssertEqual(CanonicalJSON.string(ConfigValue.double(256)), CanonicalJSON.string(ConfigValue.int(256)))
        XCTAssertEqual(CanonicalJSON.string(ConfigValue.double(3e-4)), "0.0003")
        XCTAssertEqual(CanonicalJSON.string(ConfigValue.double(-2.5)), "-2.5")
        XCTAssertEqual(CanonicalJSON.string(ConfigValue.string("\u{1}")), #""\u0001""#)
    }

    func testCanonicalIsValidJSON() throws {
        let bytes = CanonicalJSON.bytes(fullySetSpec())
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(bytes)))
    }

    /// The hand-written canonical writers must say exactly what Codable says (minus model labels), so a
    /// field added to a type but forgotten in its canonical form is caught here.
    func testCanonicalFormMatchesCodable() throws {
        var options = fullySetSpec()
        options.guidance.noise = .normal
        options.guidance.epsilonMode = .outside
        options.guidance.ckaBatch = 16
        options.guidance.readout = .tokenMean
        for spec in [fullySetSpec(), options, JobSpec(task: TaskSpec(name: "t"), target: ModelSpec(family: "fcn"))] {
            let json = try JSONCoding.makeEncoder().encode(spec)
            var tree = try JSONDecoder().decode(ConfigValue.self, from: json)
            tree = removingLabels(tree)
            XCTAssertEqual(CanonicalJSON.string(spec), CanonicalJSON.string(tree))
        }
    }

    private func removingLabels(_ value: ConfigValue) -> ConfigValue {
        guard case .object(var members) = value else { return value }
        for key in ["target", "guide"] {
            if case .object(var model)? = members[key] { model["label"] = nil; members[key] = .object(model) }
        }
        return .object(members)
    }
}
