import Config
import Foundation
import Sweep
import XCTest

/// The hand-written `JobReport` writer and reader (RESULT bodies, results lines) against `JSONCoding`'s encoder and
/// decoder, the independent reference.
final class JobReportJSONTests: XCTestCase {
    static let full = JobReport(JobRecord(
        id: JobID(rawValue: "0123456789abcdef"), spec: JobSpec(task: TaskSpec(name: "parity"), target: ModelSpec(family: "fcn")),
        status: .failed(error: "boom \"quoted\"\nline\ttab \u{1} é 🎉", retryable: true),
        mapping: [TapPair(guide: "g.0", target: "t/1"), TapPair(guide: "", target: "ü")],
        metrics: ["val_loss": .nan, "train_loss": .infinity, "guidance_loss": -.infinity, "test_accuracy": 0.75,
                  "big": 1e300, "int_like": 3, "negative": -0.0, "tiny": 5e-324, "ключ": 1.5],
        curves: [CurvePoint(step: 1), CurvePoint(step: 2, trainLoss: 0.5, taskLoss: .nan, guidanceLoss: 1e-8, valLoss: 2, valMetric: 0.1)],
        wallSeconds: 1234.5678, stepsPerSecond: 1e-3, worker: WorkerRef(id: "w/1", host: "host \"a\""),
        versions: Versions(package: "0.1.0-3-gabc", libtorch: "2.1.0", protocol: Int.max), device: "cuda:0",
        startedAt: Timestamp(secondsSince1970: 1_700_000_000.123), finishedAt: Timestamp(secondsSince1970: 1_700_000_002.999),
        predictions: [0, 1, Int.max, Int.min], artifact: String(repeating: "a", count: 64),
        environment: EngineEnvironment(blas: "OpenBLAS", blasVersion: "0.3.21", blasCore: "Zen", blasCoreReason: "auto \"x\"",
                                       threads: 2, cpu: "AMD EPYC", atenCapability: "AVX2"),
        guideCache: GuideCacheUse(used: false, reason: "noise warm-up", taps: ["a": "gram", "b.c": "activations"], bytes: 1 << 40,
                                  examples: 5, shared: true, buildSeconds: 0.25)))

    static let minimal = JobReport(JobRecord(
        id: JobID(rawValue: "x"), spec: JobSpec(task: TaskSpec(name: "parity"), target: ModelSpec(family: "fcn")), status: .ok,
        worker: WorkerRef(id: "w", host: "h"), versions: Versions(package: "p", libtorch: "", protocol: 2), device: "cpu",
        startedAt: Timestamp(secondsSince1970: 0), finishedAt: Timestamp(secondsSince1970: 1)))

    static let diverged: JobReport = {
        var report = minimal
        report.status = .diverged(step: 412, lastFiniteLoss: 2.3)
        report.guideCache = GuideCacheUse(used: true, taps: [:])
        report.environment = EngineEnvironment(blas: "MKL", blasVersion: "", threads: 1, cpu: "")
        return report
    }()

    private func written(_ report: JobReport, spec: [UInt8]? = nil) -> [UInt8] {
        var writer = CanonicalJSON.Writer()
        report.writeJSON(to: &writer, specJSON: spec)
        return writer.bytes
    }

    /// The same JSON value once encoded by the reference encoder (so NaN equals NaN and -0 equals 0, as JSON reads them).
    private func assertSame(_ a: JobReport, _ b: JobReport, file: StaticString = #filePath, line: UInt = #line) throws {
        let encoder = JSONCoding.makeEncoder()
        XCTAssertEqual(ConfigValue(json: try encoder.encode(a)), ConfigValue(json: try encoder.encode(b)), file: file, line: line)
    }

    /// What the reference decoder reads back from the reference encoder's text (`Timestamp`'s parse may move a
    /// millisecond: compare with this, not with the value written).
    private func referenceRoundTrip(_ report: JobReport) throws -> JobReport {
        try JSONCoding.makeDecoder().decode(JobReport.self, from: JSONCoding.makeEncoder().encode(report))
    }

    func testWritesTheEncodersJSONValue() throws {
        for report in [Self.full, Self.minimal, Self.diverged] {
            let reference = try JSONCoding.makeEncoder().encode(report)
            XCTAssertEqual(ConfigValue(json: written(report)), ConfigValue(json: reference))
            try assertSame(try JSONCoding.makeDecoder().decode(JobReport.self, from: Data(written(report))), try referenceRoundTrip(report))
        }
    }

    func testWithTheSpecItIsTheWholeRecordsJSON() throws {
        let spec = JobSpec(task: TaskSpec(name: "parity", options: ["n": 3]), target: ModelSpec(family: "fcn", label: "f"), seed: 9)
        let record = Self.full.record(spec: spec)
        let line = written(Self.full, spec: spec.jsonBytes)
        XCTAssertEqual(ConfigValue(json: line), ConfigValue(json: try JSONCoding.makeEncoder().encode(record)))
        let decoded = try JSONCoding.makeDecoder().decode(JobRecord.self, from: Data(line))
        XCTAssertEqual(decoded.spec, spec)
        try assertSame(JobReport(decoded), try referenceRoundTrip(Self.full))
    }

    /// A field added to `JobReport` without its line in `writeJSON` would vanish from every RESULT and results line.
    func testWritesEveryFieldOfTheType() throws {
        let keys = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONCoding.makeEncoder().encode(Self.full)) as? [String: Any]).keys
        XCTAssertEqual(Set(keys), JobReport.jsonKeys, "the fully set report must set every field")
        XCTAssertEqual(Mirror(reflecting: Self.full).children.count, JobReport.jsonKeys.count)
        XCTAssertEqual(Set(try XCTUnwrap(JSONFields(ConfigValue(json: written(Self.full)))).members.keys), JobReport.jsonKeys)
    }

    func testReadsWhatTheDecoderReads() throws {
        for report in [Self.full, Self.minimal, Self.diverged] {
            let json = try JSONCoding.makeEncoder().encode(report)
            let fast = try XCTUnwrap(JSONFields(ConfigValue(json: json)).flatMap(JobReport.init(fields:)), "the fast path takes ordinary reports")
            try assertSame(fast, try JSONCoding.makeDecoder().decode(JobReport.self, from: json))
        }
    }

    /// Variations of a report's text: the fast reader accepts one only if `JSONDecoder` does, with the same value.
    func testNeverAcceptsWhatTheDecoderRejects() throws {
        let base = String(decoding: try JSONCoding.makeEncoder().encode(Self.diverged), as: UTF8.self)
        let variants: [(String, String)] = [
            (#""step":412"#, #""step":412.5"#), (#""step":412"#, #""step":"412""#), (#""step":412"#, #""step":1e30"#),
            (#""step":412"#, #""step":4.12e2"#), (#""step":412"#, #""step":null"#), (#""step":412"#, #""step":9223372036854775808"#),
            (#""step":412"#, #""step":-0"#), (#""last_finite_loss":2.3"#, #""last_finite_loss":"nan""#),
            (#""last_finite_loss":2.3"#, #""last_finite_loss":"NaN""#), (#""last_finite_loss":2.3"#, #""last_finite_loss":7"#),
            (#""last_finite_loss":2.3"#, #""last_finite_loss":true"#), (#""state":"diverged""#, #""state":"exploded""#),
            (#""id":"x""#, #""id":7"#), (#""id":"x""#, #""id":null"#), (#""id":"x""#, #""id":"\ud83c\udf89 \u00e9\n""#),
            (#""id":"x""#, #""id":"\ud83c""#), (#""id":"x""#, #""idx":"x""#), (#""device":"cpu""#, #""device":"cpu","extra":[1,{"a":null}]"#),
            (#""started_at":"1970-01-01T00:00:00.000Z""#, #""started_at":"1970-01-01T00:00:00Z""#),
            (#""started_at":"1970-01-01T00:00:00.000Z""#, #""started_at":"yesterday""#),
            (#""curves":[]"#, #""curves":{}"#), (#""curves":[]"#, #""curves":[{"step":1,"val_loss":null}]"#),
            (#""curves":[]"#, #""curves":[{"val_loss":1}]"#), (#""metrics":{}"#, #""metrics":{"a":"inf","b":"-inf","c":1}"#),
            (#""metrics":{}"#, #""metrics":{"a":"infinity"}"#), (#""metrics":{}"#, #""metrics":null"#),
            (#""mapping":[]"#, #""mapping":[{"guide":"a"}]"#), (#""protocol":2"#, #""protocol":2.0"#),
            (#""threads":1"#, #""threads":1.5"#), (#""used":true"#, #""used":1"#), (#""taps":{}"#, #""taps":{"a":1}"#),
            (#""mapping":[]"#, #""mapping":[],"predictions":[1,2.0,-3]"#), (#""mapping":[]"#, #""mapping":[],"predictions":[1,"2"]"#),
            (#""mapping":[]"#, #""mapping":[],"artifact":null"#), (#""mapping":[]"#, #""mapping":[],"artifact":5"#),
            (#""wall_seconds":0"#, #""wall_seconds":1E+2"#), (#""wall_seconds":0"#, #""wall_seconds":-1.5e-3"#),
            (#""wall_seconds":0"#, #""wall_seconds": 0 "#), (#""wall_seconds":0"#, #""wall_seconds":01"#),
        ]
        var fastTaken = 0
        for (from, to) in variants {
            XCTAssertTrue(base.contains(from), "\(from) not in \(base)")
            let text = base.replacingOccurrences(of: from, with: to)
            let reference = try? JSONCoding.makeDecoder().decode(JobReport.self, from: Data(text.utf8))
            guard let fast = JSONFields(ConfigValue(json: Array(text.utf8))).flatMap(JobReport.init(fields:)) else { continue }
            fastTaken += 1
            let accepted = try XCTUnwrap(reference, "fast reader accepted what JSONDecoder rejects: \(to)")
            try assertSame(fast, accepted)
        }
        XCTAssertGreaterThan(fastTaken, 10)
    }
}
