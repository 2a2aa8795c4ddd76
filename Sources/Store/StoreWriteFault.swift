import Foundation

/// A test seam: while `isFailing`, every append to the results directory's JSONL files fails as a full
/// disk would (`ENOSPC`) — after writing part of the bytes, like a real short write. Thread-safe; flip it
/// from a test while a coordinator runs. Production code never sets one.
public final class StoreWriteFault: @unchecked Sendable {
    private let lock = NSLock()
    private var failing = false

    public init(failing: Bool = false) { self.failing = failing }

    public var isFailing: Bool {
        get { lock.withLock { failing } }
        set { lock.withLock { failing = newValue } }
    }
}
