/// Whether a job trains a network or only exercises the runner.
///
/// JSON: `{"type": "train"}` or `{"type": "test", "sleep_ms": 10, "fail_times": 0, "fail_permanent": false,
/// "diverge": false}`.
public enum JobKind: Hashable, Sendable {
    /// A normal training job.
    case train
    /// A simulated job, for testing the runner itself (manifest key `test:`): the worker sleeps, and fails or diverges
    /// as `SimulatedJobOptions` say, instead of training.
    case test(SimulatedJobOptions)
}

/// Behaviour of a test job (`JobKind.test`).
public struct SimulatedJobOptions: Codable, Hashable, Sendable {
    /// Milliseconds the worker sleeps while "training" (heartbeats continue). Default 0.
    public var sleepMs: Int
    /// The first `failTimes` attempts (the JOB message's attempt number) report a retryable failure. Default 0.
    public var failTimes: Int
    /// Every attempt reports a permanent (non-retryable) failure. Default false.
    public var failPermanent: Bool
    /// The job reports a diverged status. Default false.
    public var diverge: Bool

    public init(sleepMs: Int = 0, failTimes: Int = 0, failPermanent: Bool = false, diverge: Bool = false) {
        self.sleepMs = sleepMs
        self.failTimes = failTimes
        self.failPermanent = failPermanent
        self.diverge = diverge
    }

    enum CodingKeys: String, CodingKey {
        case sleepMs = "sleep_ms", failTimes = "fail_times", failPermanent = "fail_permanent", diverge
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sleepMs = try c.decodeIfPresent(Int.self, forKey: .sleepMs) ?? 0
        failTimes = try c.decodeIfPresent(Int.self, forKey: .failTimes) ?? 0
        failPermanent = try c.decodeIfPresent(Bool.self, forKey: .failPermanent) ?? false
        diverge = try c.decodeIfPresent(Bool.self, forKey: .diverge) ?? false
    }
}

extension JobKind: Codable {
    private enum CodingKeys: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "train": self = .train
        case "test": self = .test(try SimulatedJobOptions(from: decoder))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "unknown job kind \"\(other)\" (allowed: train, test)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .train:
            try c.encode("train", forKey: .type)
        case .test(let options):
            try c.encode("test", forKey: .type)
            try options.encode(to: encoder)
        }
    }
}

extension JobKind: CanonicalEncodable {
    public func writeCanonical(to writer: inout CanonicalJSON.Writer) {
        writer.beginObject()
        switch self {
        case .train:
            writer.field("type", "train")
        case .test(let o):
            writer.field("diverge", o.diverge)
            writer.field("fail_permanent", o.failPermanent)
            writer.field("fail_times", o.failTimes)
            writer.field("sleep_ms", o.sleepMs)
            writer.field("type", "test")
        }
        writer.endObject()
    }
}
