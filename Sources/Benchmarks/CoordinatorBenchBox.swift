import Foundation

/// A value handed from one thread to another once.
final class CoordinatorBenchBox<Value>: @unchecked Sendable {
    private let lock = NSCondition()
    private var value: Value?

    func put(_ value: Value) {
        lock.lock()
        self.value = value
        lock.broadcast()
        lock.unlock()
    }

    /// Waits for the value.
    func take() -> Value {
        lock.lock()
        defer { lock.unlock() }
        while value == nil { lock.wait() }
        return value!
    }
}
