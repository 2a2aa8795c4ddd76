extension ZMQSocket {
    /// Makes every later `receive` read the message's `User-Id` metadata property: on a CURVE server socket
    /// guarded by a ``ZAPHandler``, the user id the handler returned for the connection, which is the
    /// client's long-term public key in Z85 (40 characters). libzmq sets it per connection at the handshake,
    /// so it cannot be forged by the peer: a message's user id names the key that sent it.
    public func readUserIDs() { readsUserID = true }

    /// The `User-Id` of the message returned by the last `receive` (nil before ``readUserIDs()``, or when
    /// the connection has none: NULL security, or no ZAP handler).
    public var receivedUserID: String? { lastUserID }
}
