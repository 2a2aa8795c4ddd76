import CZeroMQ

/// The ZeroMQ socket patterns this wrapper supports.
public enum ZMQSocketKind: Sendable, CaseIterable, CustomStringConvertible {
    /// Addresses peers by routing id (first frame); used by the coordinator.
    case router
    /// Asynchronous request side; used by workers (with a stable routing id).
    case dealer
    /// Strict send/receive alternation, client side.
    case req
    /// Strict receive/send alternation, server side (also the ZAP handler).
    case rep
    /// Exclusive one-to-one pair (e.g. inproc signalling between threads).
    case pair
    case pub
    case sub
    case push
    case pull

    var rawType: Int32 {
        switch self {
        case .router: return ZMQ_ROUTER
        case .dealer: return ZMQ_DEALER
        case .req: return ZMQ_REQ
        case .rep: return ZMQ_REP
        case .pair: return ZMQ_PAIR
        case .pub: return ZMQ_PUB
        case .sub: return ZMQ_SUB
        case .push: return ZMQ_PUSH
        case .pull: return ZMQ_PULL
        }
    }

    public var description: String {
        switch self {
        case .router: return "ROUTER"
        case .dealer: return "DEALER"
        case .req: return "REQ"
        case .rep: return "REP"
        case .pair: return "PAIR"
        case .pub: return "PUB"
        case .sub: return "SUB"
        case .push: return "PUSH"
        case .pull: return "PULL"
        }
    }
}
