public import ArgumentParser

/// `--http HOST:PORT` of `sweep` and `coordinator`: serve the live report page there.
public struct LiveViewOptions: ParsableArguments {
    @Option(name: .customLong("http"),
            help: "Serve the report, refreshed as records arrive, on HOST:PORT (127.0.0.1:8080; port 0 picks one). Loopback only unless --insecure: the page has no authentication.")
    var http: String?

    public init() {}

    /// The address to listen on, or nil without `--http`. Throws for a malformed value, and for a host that is not
    /// loopback unless `insecure`.
    public func address(insecure: Bool) throws -> LiveAddress? {
        guard let http else { return nil }
        guard let colon = http.lastIndex(of: ":"), let port = UInt16(http[http.index(after: colon)...]) else {
            throw ValidationError("--http \(http): use HOST:PORT, for example 127.0.0.1:8080 (port 0 picks a free one)")
        }
        var host = String(http[..<colon])
        if host == "localhost" { host = "127.0.0.1" }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard octets.count == 4 else {
            throw ValidationError("--http \(http): the host must be an IPv4 address (127.0.0.1) or localhost")
        }
        if octets[0] != 127, !insecure {
            throw CLIError("refusing to serve the live report on \(http): it has no authentication, so anyone who can reach that address could read the sweep. Use 127.0.0.1:PORT (and an SSH tunnel), or pass --insecure on a network you trust")
        }
        return LiveAddress(host: host, port: port)
    }
}

/// An IPv4 address and port for the live report page.
public struct LiveAddress: Sendable {
    var host: String
    var port: UInt16
}
