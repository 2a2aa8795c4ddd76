import ArgumentParser
import CoordinatorCommands
import Foundation
import Guidance
import Logging
import Sweep
import Torch
import Wire
import Worker

/// `guidance worker`: connect to a coordinator and run the jobs it hands out until it says goodbye.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run jobs for a coordinator (reconnects if it restarts; exits when the sweep is done).")

    @Option(help: "The coordinator's endpoint, e.g. tcp://HOST:5555.") var connect: String
    @Option(help: "Jobs run at once, one training thread each.") var slots: Int = 1
    @Option(help: "Engine threads, one setting for the process that its slots' jobs share (default: all cores, or OMP_NUM_THREADS when set; `guidance sweep` passes cores / workers).")
    var threads: Int?
    @Option(help: "cpu, cuda or cuda:N: only a CUDA worker gets CUDA jobs, and runs them on this GPU.") var device: String = "cpu"
    @Option(help: "Stable worker id (default: HOST-PID).") var id: String?
    @Option(help: "Directory for fetched guide checkpoints (default: a temporary directory).") var cache: String?
    @Option(name: .customLong("heartbeat-interval"), help: "Seconds between heartbeats; use the coordinator's value.")
    var heartbeatInterval: Double = 1
    @Option(help: "Missed coordinator heartbeats after which the worker reconnects.") var liveness: Int = WireProtocol.heartbeatLiveness
    @Option(name: .customLong("give-up-after"),
            help: "Exit when no coordinator has been heard from for this many seconds (default: keep trying).")
    var giveUpAfter: Double?
    @OptionGroup var keys: ClientKeyOptions
    @Option(name: .customLong("data-root"),
            help: "A directory task data may be read from (repeatable). Default: the colon-separated directories in $GUIDANCE_DATA_ROOTS, else the working directory. A job naming data elsewhere is refused.")
    var dataRoots: [String] = []
    @Option(name: .customLong("join-timeout"), help: "Give up (exit 1) after this many seconds without any answer from the coordinator (default: keep trying).")
    var joinTimeout: Double?
    @Option(name: .customLong("guide-cache-mib"),
            help: "Memory for the guide caches this worker's jobs share, in MiB (default: a quarter of RAM; 0: no guide cache).")
    var guideCacheMiB: Int?
    @Flag(name: .customLong("exit-with-parent"), help: "Stop when the parent process exits (workers started by `guidance sweep`).")
    var exitWithParent = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard slots >= 1 else { throw ValidationError("--slots: use an integer ≥ 1") }
        if let threads, threads < 1 { throw ValidationError("--threads: use an integer ≥ 1") }
        guard heartbeatInterval > 0 else { throw ValidationError("--heartbeat-interval: use seconds > 0") }
        if let giveUpAfter, giveUpAfter <= 0 { throw ValidationError("--give-up-after: use seconds > 0") }
        if let id, id.isEmpty || id.utf8.count > 255 { throw ValidationError("--id: use 1 to 255 bytes") }
        if let joinTimeout, joinTimeout <= 0 { throw ValidationError("--join-timeout: use seconds > 0") }
        for root in dataRoots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--data-root \(root): not a directory (name a directory holding task data)")
            }
        }
        if let guideCacheMiB, guideCacheMiB < 0 { throw ValidationError("--guide-cache-mib: use an integer ≥ 0") }
    }

    func run() throws {
        guard let chosen = Device(device), chosen.isAvailable else {
            throw CLIError(Device(device).map(Device.unavailableMessage) ?? "--device \(device): use cpu, cuda or cuda:N")
        }
        let curve = try keys.settings()
        logging.bootstrapToStandardError()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let threads { Torch.threadCount = threads }
        let host = ProcessInfo.processInfo.hostName
        let workerID = id ?? "\(host)-\(getpid())"
        let cacheDirectory = cache.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("guidance-worker-\(workerID.replacingOccurrences(of: "/", with: "_"))")
        let interval = Duration.seconds(heartbeatInterval)
        var options = WorkerOptions(
            endpoint: connect, id: workerID, host: host, slots: slots, cores: cores,
            devices: [chosen.description], libtorchVersion: Torch.version,
            config: WorkerConfig(heartbeatInterval: interval, liveness: liveness, reconnectInitial: interval,
                                 reconnectMaximum: interval * 16, giveUpAfter: giveUpAfter.map { Duration.seconds($0) }),
            cacheDirectory: cacheDirectory, curve: curve, joinTimeout: joinTimeout.map { .seconds($0) },
            engine: EngineEnvironment.current())
        options.dataRoots = dataRoots.isEmpty ? DataRoots.fromEnvironment() : DataRoots(dataRoots)
        let control = WorkerControl()
        let trap = SignalTrap { name in control.requestStop(reason: "\(name) received") }
        if exitWithParent { ParentWatch.start { control.requestStop(reason: "the parent process exited") } }
        let service = try WorkerService(options: options, executor: StandardJobExecutor(devices: options.devices, guideCacheBudgetBytes: guideCacheMiB.map { $0 << 20 }),
                                        control: control, logger: Logger(label: "guidance.worker"))
        let exit = try service.run()
        withExtendedLifetime(trap) {}
        if cache == nil { try? FileManager.default.removeItem(at: cacheDirectory) }
        if case .failed(let reason) = exit { throw CLIError(reason) }
    }
}
