public import Coordinator
import FlyingFox
import FlyingSocks
public import Foundation
public import Logging

/// Serves `LiveReportPage` over HTTP (FlyingFox) while a sweep runs: `GET /` the page, `GET /state?since=V` a JSON
/// `{"version": V', "finished": bool}` that waits (up to 10 s) until results.jsonl is no longer `V` bytes long.
/// Started before the sweep, so a port in use is an error before anything runs.
public final class LiveReportServer: @unchecked Sendable {
    private let server: HTTPServer
    private let task: Task<Void, any Error>
    /// The page's URL (`http://127.0.0.1:PORT/`, the port resolved when 0 was asked).
    public let url: String
    private let lock = NSLock()
    private var isFinished = false

    /// Binds `address` and starts serving; throws naming the port when it cannot listen there.
    public init(address: LiveAddress, directory: URL, control: CoordinatorControl, logger: Logger) throws {
        let socketAddress: sockaddr_in
        do {
            socketAddress = try .inet(ip4: address.host, port: address.port)
        } catch {
            throw CLIError("--http \(address.host):\(address.port): not an IPv4 address")
        }
        let server = HTTPServer(address: socketAddress, timeout: 30, logger: .disabled)
        self.server = server
        let task = Task { try await server.run() }
        self.task = task
        // Wait until it listens or fails (bind errors surface as the task's error).
        let ready = Ready()
        Task {
            do {
                try await server.waitUntilListening(timeout: 30)
                ready.set(.success(await server.listeningAddress))
            } catch {
                ready.set(.failure(error))
            }
        }
        Task {
            do { try await task.value } catch { ready.set(.failure(error)) }
        }
        let port: UInt16
        switch ready.wait() {
        case .success(.ip4(_, let listening)?): port = listening
        case .success: port = address.port
        case .failure(let error):
            task.cancel()
            throw CLIError("--http \(address.host):\(address.port): cannot listen on port \(address.port) (\(error)); is it in use? Pick another port, or 0 for a free one")
        }
        url = "http://\(address.host):\(port)/"
        let state = self
        Task {
            await server.appendRoute("GET /state") { request in
                let since = request.query.first { $0.name == "since" }.flatMap { Int($0.value) } ?? -1
                var version = LiveReportPage.version(of: directory)
                logger.debug("live report: a page asks for records past version \(since) (now \(version))")
                let deadline = Date().addingTimeInterval(10)
                while version == since, !state.finished, Date() < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    version = LiveReportPage.version(of: directory)
                }
                let body = "{\"version\": \(version), \"finished\": \(state.finished)}"
                return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                                    body: Data(body.utf8))
            }
            await server.appendRoute("GET /") { _ in
                let html = LiveReportPage.render(directory: directory, status: control.status, finished: state.finished)
                return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                                    body: Data(html.utf8))
            }
            logger.notice("live report on \(self.url)")
        }
    }

    /// Says so to waiting pages (their next answer carries `finished: true`).
    public var finished: Bool {
        get { lock.lock(); defer { lock.unlock() }; return isFinished }
        set { lock.lock(); isFinished = newValue; lock.unlock() }
    }

    /// Stops serving (open connections get up to `grace` seconds).
    public func stop(grace: Double = 1) {
        let done = DispatchSemaphore(value: 0)
        let server = self.server
        Task {
            await server.stop(timeout: grace)
            done.signal()
        }
        done.wait()
        task.cancel()
    }

    /// A one-shot result handed from async code to the blocked caller.
    private final class Ready: @unchecked Sendable {
        private let condition = NSCondition()
        private var value: Result<Socket.Address?, any Error>?

        func set(_ result: Result<Socket.Address?, any Error>) {
            condition.lock()
            if value == nil { value = result }
            condition.broadcast()
            condition.unlock()
        }

        func wait() -> Result<Socket.Address?, any Error> {
            condition.lock()
            defer { condition.unlock() }
            while value == nil { condition.wait() }
            return value!
        }
    }
}
