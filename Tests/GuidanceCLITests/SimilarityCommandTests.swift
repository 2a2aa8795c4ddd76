import Foundation
import Guidance
import Torch
import XCTest

/// `guidance similarity` end to end: two saved activation matrices, and the layer matrix of two models.
final class SimilarityCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("guidance-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Deterministic pseudo-random activations: x [n, p], and y [n, q] a noisy linear function of x.
    static func activations(n: Int, p: Int, q: Int) -> (x: [Double], y: [Double]) {
        var state: UInt64 = 0x1234_5678
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        let x = (0..<(n * p)).map { _ in next() }
        var y = [Double](repeating: 0, count: n * q)
        for i in 0..<n {
            for j in 0..<q { y[i * q + j] = x[i * p + j % p] * Double(j + 1) + 0.5 * next() }
        }
        return (x, y)
    }

    func testNPYFilesAgreeWithTheInProcessMeasure() throws {
        let n = 40, p = 6, q = 3
        let (x, y) = Self.activations(n: n, p: p, q: q)
        let a = directory.appendingPathComponent("a.npy"), b = directory.appendingPathComponent("b.npy")
        try NPYWriter.float32(x.map(Float.init), shape: [n, 2, 3]).write(to: a)   // flattened to 6 columns
        try NPYWriter.float64(y, shape: [n, q]).write(to: b)
        let xt = try Tensor(x.map(Float.init).map(Double.init), shape: [n, p]), yt = try Tensor(y, shape: [n, q])

        // Text: the default measure (linear CKA) as one number, checked against the library and, independently of
        // it, against ‖YcᵀXc‖² / (‖XcᵀXc‖ ‖YcᵀYc‖) written out in plain Swift.
        let plain = try GuidanceExecutable.run(["similarity", "--npy", a.path, b.path])
        XCTAssertEqual(plain.status, 0, plain.standardError)
        let printed = try XCTUnwrap(Double(plain.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)), plain.standardOutput)
        XCTAssertEqual(printed, try SimilarityMeasure.linearCKA(xt, yt).item(), accuracy: 1e-6)
        XCTAssertEqual(printed, Self.linearCKA(x.map { Double(Float($0)) }, y, n: n, p: p, q: q), accuracy: 1e-6)

        // JSON: the other measures, with the shapes read.
        for name in ["debiased-cka", "rbf-cka", "rsa"] {
            let result = try GuidanceExecutable.run(["similarity", "--npy", a.path, b.path, "--measure", name, "--json"])
            XCTAssertEqual(result.status, 0, result.standardError)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            XCTAssertEqual(object["measure"] as? String, name)
            XCTAssertEqual(object["rows"] as? Int, n)
            XCTAssertEqual(object["a_columns"] as? Int, p)
            XCTAssertEqual(object["b_columns"] as? Int, q)
            let expected = try XCTUnwrap(SimilarityMeasure(name: name))(xt, yt).item()
            XCTAssertEqual(try XCTUnwrap(object["value"] as? Double), expected, accuracy: 1e-9, name)
        }
    }

    func testNPYErrorsAreClear() throws {
        let a = directory.appendingPathComponent("a.npy"), short = directory.appendingPathComponent("short.npy")
        let ints = directory.appendingPathComponent("ints.npy"), half = directory.appendingPathComponent("half.npy")
        try NPYWriter.float64([Double](repeating: 1, count: 20), shape: [10, 2]).write(to: a)
        try NPYWriter.float64([Double](repeating: 1, count: 18), shape: [9, 2]).write(to: short)
        try NPYWriter.int64([Int64](repeating: 1, count: 20), shape: [10, 2]).write(to: ints)
        try NPYWriter.raw(descr: "<f2", shape: [10, 2], bytes: [UInt8](repeating: 0, count: 40)).write(to: half)
        let missing = directory.appendingPathComponent("missing.npy").path

        let cases: [([String], [String])] = [
            ([a.path, short.path], ["10 rows", "short.npy", "has 9", "same examples"]),
            ([a.path, ints.path], ["ints.npy", "<i8", "floating point"]),
            ([half.path, a.path], ["half.npy", "<f2", "unsupported"]),
            ([a.path, missing], ["missing.npy", "does not exist"]),
            ([a.path], ["exactly two files"]),
        ]
        for (files, words) in cases {
            let result = try GuidanceExecutable.run(["similarity", "--npy"] + files)
            XCTAssertNotEqual(result.status, 0, "\(files)")
            let text = result.standardError + result.standardOutput
            for word in words { XCTAssertTrue(text.contains(word), "\(files): \"\(text)\" lacks \"\(word)\"") }
            XCTAssertFalse(text.contains("Fatal error"), text)
        }
    }

    /// A trained model against itself: the diagonal is 1, the auto-mapped pairs are the diagonal, and the table marks
    /// them. Two different untrained models give a full matrix with one row per a tap and one column per b tap.
    func testModelMatrix() throws {
        let task = ["--task", "mnist1d", "--task-opt", "samples=600"]
        let checkpoint = directory.appendingPathComponent("fcn.safetensors").path
        let trained = try GuidanceExecutable.run(["run", "--target", "fcn", "--target-opt", "depth=3", "--target-opt", "width=16",
                                                  "--train-guide", "--checkpoint-out", checkpoint, "--steps", "3",
                                                  "--batch-size", "32", "--quiet"] + task)
        XCTAssertEqual(trained.status, 0, trained.standardOutput)

        let same = ["--a", "fcn", "--a-opt", "depth=3", "--a-opt", "width=16", "--a-checkpoint", checkpoint,
                    "--b", "fcn", "--b-opt", "depth=3", "--b-opt", "width=16", "--b-checkpoint", checkpoint, "--probe", "40"]
        let json = try GuidanceExecutable.run(["similarity"] + task + same + ["--json"])
        XCTAssertEqual(json.status, 0, json.standardError)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let matrix = try XCTUnwrap(object["matrix"] as? [[Double]])
        XCTAssertEqual(matrix.count, 3)
        XCTAssertEqual(object["probe_examples"] as? Int, 40)
        for i in 0..<3 {
            XCTAssertEqual(matrix[i].count, 3)
            XCTAssertEqual(matrix[i][i], 1, accuracy: 1e-6)
        }
        let pairs = try XCTUnwrap(object["auto_mapping"] as? [[String: Any]])
        XCTAssertEqual(pairs.map { $0["a_index"] as? Int }, [0, 1, 2])
        XCTAssertEqual(pairs.map { $0["b_index"] as? Int }, [0, 1, 2])

        let text = try GuidanceExecutable.run(["similarity"] + task + same)
        XCTAssertEqual(text.status, 0, text.standardError)
        XCTAssertTrue(text.standardOutput.contains("1.000*"), text.standardOutput)
        XCTAssertTrue(text.standardOutput.contains("blocks.0.linear"), text.standardOutput)

        let mixed = try GuidanceExecutable.run(["similarity", "--json", "--a", "fcn", "--a-opt", "depth=3", "--b", "cnn",
                                                "--b-opt", "depth=2", "--b-opt", "channels=4", "--probe", "32",
                                                "--measure", "rsa"] + task)
        XCTAssertEqual(mixed.status, 0, mixed.standardError)
        let mixedObject = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(mixed.standardOutput.utf8)) as? [String: Any])
        let b = try XCTUnwrap(mixedObject["b"] as? [String: Any])
        let bTaps = try XCTUnwrap(b["taps"] as? [String])
        let mixedMatrix = try XCTUnwrap(mixedObject["matrix"] as? [[Double]])
        XCTAssertEqual(mixedMatrix.count, 3)
        XCTAssertTrue(mixedMatrix.allSatisfy { $0.count == bTaps.count && $0.allSatisfy { abs($0) <= 1 + 1e-9 } })
        XCTAssertEqual(mixedObject["measure"] as? String, "rsa")
    }

    static func linearCKA(_ x: [Double], _ y: [Double], n: Int, p: Int, q: Int) -> Double {
        func centred(_ m: [Double], _ cols: Int) -> [Double] {
            var out = m
            for j in 0..<cols {
                let mean = (0..<n).reduce(0) { $0 + m[$1 * cols + j] } / Double(n)
                for i in 0..<n { out[i * cols + j] -= mean }
            }
            return out
        }
        func crossNormSquared(_ a: [Double], _ ac: Int, _ b: [Double], _ bc: Int) -> Double {
            var total = 0.0
            for j in 0..<ac {
                for k in 0..<bc {
                    let dot = (0..<n).reduce(0) { $0 + a[$1 * ac + j] * b[$1 * bc + k] }
                    total += dot * dot
                }
            }
            return total
        }
        let xc = centred(x, p), yc = centred(y, q)
        return crossNormSquared(yc, q, xc, p) / (crossNormSquared(xc, p, xc, p).squareRoot() * crossNormSquared(yc, q, yc, q).squareRoot())
    }
}

/// Minimal NumPy `.npy` (format 1.0, C order, little-endian) writer for test inputs.
enum NPYWriter {
    static func float32(_ values: [Float], shape: [Int]) -> Data {
        raw(descr: "<f4", shape: shape, bytes: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    static func float64(_ values: [Double], shape: [Int]) -> Data {
        raw(descr: "<f8", shape: shape, bytes: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    static func int64(_ values: [Int64], shape: [Int]) -> Data {
        raw(descr: "<i8", shape: shape, bytes: values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
    }

    /// The header padded with spaces so that the data starts at a multiple of 64 bytes, as numpy writes it.
    static func raw(descr: String, shape: [Int], bytes: [UInt8]) -> Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: bytes)
        return data
    }
}
