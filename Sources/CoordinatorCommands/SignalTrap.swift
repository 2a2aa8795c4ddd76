import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into a call of `handler` (on a dispatch queue, not in signal context), for a
/// graceful stop. A second signal of either kind exits at once with status 130.
public final class SignalTrap: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "guidance.signals")
    private var received = 0

    public init(_ handler: @escaping @Sendable (String) -> Void) {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                received += 1
                if received > 1 { exit(130) }
                handler(name)
            }
            source.resume()
            sources.append(source)
        }
    }
}

/// Calls `handler` once when this process's parent exits (it is then re-parented), checked twice a second.
public enum ParentWatch {
    public static func start(_ handler: @escaping @Sendable () -> Void) {
        let parent = getppid()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "guidance.parent-watch"))
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler {
            guard getppid() != parent else { return }
            timer.cancel()
            handler()
        }
        timer.resume()
    }
}
