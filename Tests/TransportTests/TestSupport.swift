import Foundation
import Transport
import XCTest

/// Bounded waits used by every test, so a failing test reports instead of hanging.
enum Wait {
    /// Long enough for loopback delivery on a loaded 2-core machine.
    static let delivery = Duration.seconds(5)
    /// How long a negative test waits to be satisfied that nothing arrives.
    static let silence = Duration.milliseconds(400)
}

/// Collects events from another thread; `wait(for:)` blocks until one matches or time runs out.
final class EventLog<Event: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [Event] = []

    func append(_ event: Event) {
        condition.lock()
        events.append(event)
        condition.broadcast()
        condition.unlock()
    }

    var all: [Event] {
        condition.lock()
        defer { condition.unlock() }
        return events
    }

    /// The first event matching `predicate`, or nil after `timeout`.
    func wait(timeout: Duration = Wait.delivery, for predicate: (Event) -> Bool) -> Event? {
        let (seconds, attoseconds) = timeout.components
        let deadline = Date().addingTimeInterval(Double(seconds) + Double(attoseconds) * 1e-18)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let match = events.first(where: predicate) { return match }
            if !condition.wait(until: deadline) { return events.first(where: predicate) }
        }
    }
}

extension ZMQSocket {
    /// Receives messages until one satisfies `predicate` (returned) or `timeout` passes (nil);
    /// every message seen is passed to `seen`.
    func receive(
        until predicate: ([Data]) -> Bool, timeout: Duration = Wait.delivery, seen: ([Data]) -> Void = { _ in }
    ) throws -> [Data]? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            guard let message = try receive(timeout: deadline - clock.now) else { return nil }
            seen(message)
            if predicate(message) { return message }
        }
        return nil
    }
}

extension Data {
    init(_ string: String) { self.init(string.utf8) }
}
