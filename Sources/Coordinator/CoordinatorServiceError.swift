/// Why the coordinator service could not start or had to stop, with what to do about it.
public enum CoordinatorServiceError: Error, Sendable, CustomStringConvertible {
    /// Binding the endpoint failed (in use, not local, malformed).
    case bind(endpoint: String, reason: String)
    /// Writing the results directory failed mid-run (disk full, permissions).
    case store(String)
    /// The ZAP handler (worker allow-list) stopped; the coordinator stops rather than run unauthenticated.
    case authenticationStopped

    public var description: String {
        switch self {
        case .bind(let endpoint, let reason):
            return "cannot listen on \(endpoint): \(reason)"
        case .authenticationStopped:
            return "the worker authentication (ZAP) handler stopped, so the coordinator stopped rather than let unknown peers in (see the log; run the same command again to resume)"
        case .store(let reason):
            return "the results directory failed: \(reason) (the journal is consistent up to here; fix the problem and run the same command again to resume)"
        }
    }
}
