import Foundation

/// The result computed for the last key asked for, kept until a different key comes (thread-safe).
final class LastValueMemo<Key: Equatable>: @unchecked Sendable {
    private let lock = NSLock()
    private var last: (key: Key, value: [UInt8])?

    func value(for key: Key, compute: () -> [UInt8]) -> [UInt8] {
        lock.lock()
        if let last, last.key == key {
            lock.unlock()
            return last.value
        }
        lock.unlock()
        let value = compute()
        lock.lock()
        last = (key, value)
        lock.unlock()
        return value
    }
}
