public import Foundation

/// A socket option, applied with ``ZMQSocket/set(_:)``. Set options before `bind`/`connect`:
/// libzmq applies most of them to connections made afterwards.
public enum ZMQSocketOption: Sendable, Equatable {
    /// The identity a DEALER/REQ presents to a ROUTER (1–255 bytes, not starting with a zero
    /// byte, which libzmq reserves for generated ids). Workers use a stable one.
    case routingID(Data)
    /// How long unsent messages are kept after `close()`; `nil` keeps them forever (libzmq's
    /// default; can hang context termination), `.zero` drops them at once (our default).
    case linger(Duration?)
    /// ROUTER: sending to an unknown routing id fails with `EHOSTUNREACH` instead of a silent drop.
    case routerMandatory(Bool)
    /// ROUTER: a new connection with a routing id already in use takes it over (a restarted
    /// worker), instead of being refused.
    case routerHandover(Bool)
    /// Outgoing queue limit per peer, in messages (0: unlimited; libzmq default 1000).
    case sendHighWaterMark(messages: Int)
    /// Incoming queue limit per peer, in messages (0: unlimited; libzmq default 1000).
    case receiveHighWaterMark(messages: Int)
    /// Largest inbound frame accepted, in bytes (libzmq checks each frame; `nil`: unlimited).
    /// A peer that sends a bigger one is disconnected by libzmq and the message is dropped.
    case maxMessageSize(bytes: Int?)
    /// ZMTP heartbeat: send a PING this often on every connection (`.zero`: off, the default).
    case heartbeatInterval(Duration)
    /// ZMTP heartbeat: drop a connection when nothing arrives this long after a PING
    /// (default: the interval). Detects dead connections, not a hung peer application.
    case heartbeatTimeout(Duration)
    /// ZMTP heartbeat: the peer drops the connection when it hears nothing from us this long
    /// (0.1 s resolution, at most 6553.5 s; `.zero`: off).
    case heartbeatTTL(Duration)
    /// Wait this long before reconnecting after a lost connection (libzmq default 100 ms).
    case reconnectInterval(Duration)
    /// Cap for exponential reconnect backoff (`.zero`: no backoff, always `reconnectInterval`).
    case reconnectIntervalMax(Duration)
    /// Queue messages only to completed connections (a DEALER then blocks/returns `false`
    /// instead of queueing for a peer that is not there yet).
    case immediate(Bool)
    /// ZAP domain sent to the ZAP handler for this socket's incoming connections.
    case zapDomain(String)
    /// SUB: receive messages starting with this prefix (empty: everything).
    case subscribe(Data)
}
