public import Foundation

/// One protocol message, typed. On the wire: frames [`GDNC`+version, kind, JSON body, binary?].
public enum Message: Hashable, Sendable {
    case ready(Ready)
    case job(JobAssignment)
    case heartbeat(Heartbeat)
    /// `artifact`: the checkpoint's bytes, when the job produced one.
    case result(ResultReport, artifact: Data?)
    case failed(FailureReport)
    case fetch(ArtifactRef)
    case artifact(ArtifactRef, bytes: Data)
    case disconnect(Disconnect)
    case status(StatusRequest)
    case statusReply(StatusReply)
    case refused(Refusal)

    public var kind: MessageKind {
        switch self {
        case .ready: return .ready
        case .job: return .job
        case .heartbeat: return .heartbeat
        case .result: return .result
        case .failed: return .failed
        case .fetch: return .fetch
        case .artifact: return .artifact
        case .disconnect: return .disconnect
        case .status: return .status
        case .statusReply: return .statusReply
        case .refused: return .refused
        }
    }
}
