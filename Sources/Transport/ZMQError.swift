import CZeroMQ
import Foundation

/// A failed libzmq call: what was attempted (`context`: an endpoint, or an operation such as
/// `"send"` / `"set ZMQ_LINGER"`), the errno value libzmq reported and its text, and a hint.
///
/// `description` reads like `tcp://*:5555: Address already in use`, followed by the hint when
/// there is one.
public struct ZMQError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The endpoint or operation that failed.
    public let context: String
    /// The errno value (POSIX or libzmq-specific, e.g. `ETERM`).
    public let code: Int32
    /// `zmq_strerror(code)`, or a message of our own for errors detected before calling libzmq.
    public let reason: String
    /// What the caller can do about it; empty when there is nothing useful to say.
    public let hint: String

    public init(context: String, code: Int32, reason: String, hint: String = "") {
        self.context = context
        self.code = code
        self.reason = reason
        self.hint = hint
    }

    public var description: String {
        hint.isEmpty ? "\(context): \(reason)" : "\(context): \(reason) (\(hint))"
    }

    /// The context was terminated (`zmq_ctx_shutdown` / `zmq_ctx_term`): the socket must be closed.
    public var isContextTerminated: Bool { code == ETERM }

    /// The peer is unknown to a ROUTER with `ZMQ_ROUTER_MANDATORY` set (`EHOSTUNREACH`).
    public var isHostUnreachable: Bool { code == EHOSTUNREACH }

    /// Reads `zmq_errno()` right after a failed call and wraps it (`context` is built after
    /// errno is read, so building it cannot disturb errno).
    static func last(_ context: @autoclosure () -> String, hint: String? = nil) -> ZMQError {
        let code = zmq_errno()
        return ZMQError(
            context: context(),
            code: code,
            reason: String(cString: zmq_strerror(code)),
            hint: hint ?? defaultHint(for: code)
        )
    }

    /// An error found on our side before calling libzmq (bad argument, closed socket).
    static func usage(_ context: String, _ reason: String, hint: String = "") -> ZMQError {
        ZMQError(context: context, code: EINVAL, reason: reason, hint: hint)
    }

    private static func defaultHint(for code: Int32) -> String {
        switch code {
        case EADDRINUSE:
            return "another socket or process is bound there; pick another port or use tcp://127.0.0.1:* for an ephemeral one"
        case EADDRNOTAVAIL:
            return "the address is not local to this machine; bind an interface address or *"
        case EPROTONOSUPPORT:
            return "unsupported transport; use tcp://, ipc:// or inproc://"
        case EHOSTUNREACH:
            return "no connected peer has that routing id"
        case ETERM:
            return "the context was terminated; close the socket"
        case ENOTSOCK:
            return "the socket was already closed"
        default:
            return ""
        }
    }
}
