import Foundation

/// A ZAP (ZeroMQ authentication protocol, RFC 27) handler: an allow-list of CURVE client
/// public keys for every CURVE server socket of one context.
///
/// It runs its own thread, which alone creates, uses and closes the handler's sockets: a REP
/// socket bound to `inproc://zeromq.zap.01` (libzmq's fixed ZAP endpoint, one handler per
/// context) and an inproc PAIR that receives the stop signal. Each request is answered `200`
/// when the client's 32-byte public key is on the allow-list and `400` otherwise; every
/// decision is reported through `onEvent` (called on the handler thread: keep it short).
///
/// Start it before binding a CURVE server socket and keep it running as long as that socket
/// is open: without a handler libzmq lets in any client that knows the server's public key.
///
/// Shutdown: ``stop()`` (also called by `deinit`) signals the thread and waits for it to
/// close its sockets; closing the context ends the thread too (its wait fails with `ETERM`).
/// Both return promptly. Thread-safe.
public final class ZAPHandler: @unchecked Sendable {
    /// libzmq's fixed ZAP endpoint.
    public static let endpoint = "inproc://zeromq.zap.01"

    private let context: ZMQContext
    private let shared: Shared
    private let stopEndpoint: String
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false

    /// Starts the handler thread and returns once it listens.
    /// - Parameters:
    ///   - context: the context of the CURVE server sockets to guard.
    ///   - allowedKeys: client public keys let in.
    ///   - onEvent: called on the handler thread for each decision (and on failure).
    /// - Throws: ``ZMQError``, e.g. `inproc://zeromq.zap.01: Address already in use` when the
    ///   context already has a ZAP handler.
    public init(
        context: ZMQContext,
        allowedKeys: Set<CurvePublicKey>,
        onEvent: @escaping @Sendable (ZAPEvent) -> Void = { _ in }
    ) throws {
        self.context = context
        shared = Shared(allowedKeys: allowedKeys, onEvent: onEvent)
        stopEndpoint = "inproc://guidance.zap-stop.\(UUID().uuidString)"
        let started = StartSignal()
        let thread = Thread { [context, shared, stopEndpoint, finished] in
            Self.run(context: context, shared: shared, stopEndpoint: stopEndpoint, started: started)
            finished.signal()
        }
        thread.name = "zap-handler"
        thread.start()
        if let error = started.wait() {
            finished.wait()
            stopped = true
            throw error
        }
    }

    deinit { stop() }

    /// The client public keys currently let in; replace it at any time (applies to new
    /// connections, not to ones already authenticated).
    public var allowedKeys: Set<CurvePublicKey> {
        get { shared.allowedKeys }
        set { shared.allowedKeys = newValue }
    }

    /// Whether the handler thread still answers requests (false after ``stop()``, after the
    /// context was closed, or after a ``ZAPEvent/failed(_:)``).
    public var isRunning: Bool { shared.running }

    /// Stops the thread and waits until its sockets are closed; idempotent, any thread except
    /// the handler's own (do not call it from `onEvent`).
    public func stop() {
        lock.lock()
        let first = !stopped
        stopped = true
        lock.unlock()
        guard first else { return }
        // Our own socket for the signal, on this thread; kept open until the handler is done
        // so the signal cannot be dropped. If the context is closing the handler ends anyway.
        let signal = try? ZMQSocket(context, kind: .pair)
        if let signal, (try? signal.connect(stopEndpoint)) != nil {
            _ = try? signal.send([Data()], mode: .dontWait)
        }
        finished.wait()
        signal?.close()
    }

    // MARK: - handler thread

    private static func run(context: ZMQContext, shared: Shared, stopEndpoint: String, started: StartSignal) {
        let zap: ZMQSocket
        let stop: ZMQSocket
        do {
            zap = try ZMQSocket(context, kind: .rep)
            do {
                try zap.bind(endpoint)
            } catch let error as ZMQError where error.code == EADDRINUSE {
                throw ZMQError(context: error.context, code: error.code, reason: error.reason,
                               hint: "this context already has a ZAP handler; stop it first")
            }
            stop = try ZMQSocket(context, kind: .pair)
            try stop.bind(stopEndpoint)
        } catch {
            shared.running = false
            started.signal(error)
            return
        }
        started.signal(nil)
        defer {
            // Before closing: once the sockets are closed `ZMQContext.close()` may return.
            shared.running = false
            // Unbinding is immediate, closing is not (libzmq reaps sockets in the background):
            // this frees the ZAP endpoint for a handler started right after `stop()` returns.
            try? zap.unbind(endpoint)
            zap.close()
            stop.close()
        }
        let poller = ZMQPoller([zap, stop])
        var frames: [Data] = []
        while true {
            do {
                try poller.poll(timeout: nil)
                if poller.isReadable(stop) { return }
                guard poller.isReadable(zap), try zap.receive(into: &frames, timeout: .zero) else { continue }
                let (reply, event) = ZAPRequest.answer(frames, allowed: shared.allowedKeys)
                try zap.send(reply)
                shared.onEvent(event)
            } catch let error as ZMQError where error.isContextTerminated {
                return
            } catch {
                shared.onEvent(.failed("ZAP handler stopped: \(error)"))
                return
            }
        }
    }

    /// State shared between the owner and the handler thread.
    private final class Shared: @unchecked Sendable {
        let onEvent: @Sendable (ZAPEvent) -> Void
        private let lock = NSLock()
        private var keys: Set<CurvePublicKey>
        private var isRunning = true

        init(allowedKeys: Set<CurvePublicKey>, onEvent: @escaping @Sendable (ZAPEvent) -> Void) {
            keys = allowedKeys
            self.onEvent = onEvent
        }

        var allowedKeys: Set<CurvePublicKey> {
            get { lock.withLock { keys } }
            set { lock.withLock { keys = newValue } }
        }

        var running: Bool {
            get { lock.withLock { isRunning } }
            set { lock.withLock { isRunning = newValue } }
        }
    }

    /// Hands the thread's start result (nil or the bind error) to the initializer.
    private final class StartSignal: @unchecked Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var error: (any Error)?

        func signal(_ error: (any Error)?) {
            lock.withLock { self.error = error }
            semaphore.signal()
        }

        func wait() -> (any Error)? {
            semaphore.wait()
            return lock.withLock { error }
        }
    }
}
