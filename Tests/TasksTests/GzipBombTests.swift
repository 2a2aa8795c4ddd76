import Foundation
import Tasks
import XCTest

/// IDX `.gz` files that would inflate to far more than they should: refused by their header's declared size and
/// a limit, without inflating more than that.
final class GzipBombTests: XCTestCase {
    func mnist(_ f: Fixtures, trainImages: [UInt8]) throws -> String {
        let directory = try f.subdirectory("mnist")
        try f.write("mnist/train-images-idx3-ubyte.gz", Fixtures.gzip(trainImages))
        try f.write("mnist/train-labels-idx1-ubyte.gz", Fixtures.gzip(Fixtures.idx(dims: [5], values: [0, 1, 2, 0, 1])))
        for (name, bytes) in [("t10k-images-idx3-ubyte.gz", Fixtures.idx(dims: [2, 3, 4], values: [UInt8](repeating: 7, count: 24))),
                              ("t10k-labels-idx1-ubyte.gz", Fixtures.idx(dims: [2], values: [0, 1]))] {
            try f.write("mnist/\(name)", Fixtures.gzip(bytes))
        }
        return directory
    }

    func load(_ path: String) throws -> Dataset {
        try TaskRegistry.make("idx", options: ["path": .string(path), "normalize": .string("none"),
                                               "validation_fraction": .int(0)]).makeDataset()
    }

    func testAStreamInflatingPastItsHeadersSizeIsRefused() throws {
        let f = try Fixtures()
        // A header for 5 images of 3×4 (60 bytes), followed by 32 MiB of zeros: a 32 KiB file.
        let bomb = Fixtures.idx(dims: [5, 3, 4], values: [UInt8](repeating: 0, count: 32 << 20))
        let directory = try mnist(f, trainImages: bomb)
        let error = assertThrows(DatasetFileError.self) { try load(directory) }
        XCTAssertEqual(error?.path, f.path("mnist/train-images-idx3-ubyte.gz"))
        XCTAssertEqual(error?.kind, .malformed("inflates to more than the 76 bytes its IDX header declares (sizes after gzip decompression)"))
    }

    func testAHeaderDeclaringMoreThanTheLimitIsRefusedBeforeInflating() throws {
        let f = try Fixtures()
        // 100,000 images of 200×250: 5 GB declared, a few bytes of data.
        let directory = try mnist(f, trainImages: Fixtures.idx(dims: [100_000, 200, 250], values: [UInt8](repeating: 0, count: 1 << 20)))
        let error = assertThrows(DatasetFileError.self) { try load(directory) }
        guard case .malformed(let message)? = error?.kind else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(message.contains("declares 5000000016 bytes"), message)
        XCTAssertTrue(message.contains("more than the limit of \(4 << 30)"), message)
    }

    func testAnHonestGzipFileStillReads() throws {
        let f = try Fixtures()
        let pixels = (0..<60).map { UInt8($0) }
        let data = try load(try mnist(f, trainImages: Fixtures.idx(dims: [5, 3, 4], values: pixels)))
        XCTAssertEqual(data.train.count, 5)
        XCTAssertEqual(data.train.inputs.floats?[59], Float(59) / 255)
    }
}
