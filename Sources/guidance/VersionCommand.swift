import ArgumentParser
import Sweep
import Torch

/// `guidance version`: package and libtorch versions, and the devices this process can train on.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the package version, the libtorch version and the available devices."
    )

    @Flag(help: "Print a JSON object instead of text.")
    var json = false

    func run() throws {
        let devices = Torch.availableDevices.map(\.description)
        if json {
            let list = devices.map { "\"\($0)\"" }.joined(separator: ",")
            print("{\"guidance\":\"\(PackageVersion.current)\",\"libtorch\":\"\(Torch.version)\",\"cuda_devices\":\(Torch.cudaDeviceCount),\"devices\":[\(list)],\"threads\":\(Torch.threadCount)}")
        } else {
            print("guidance \(PackageVersion.current)")
            print("libtorch \(Torch.version)")
            print("cuda     \(Torch.cudaDeviceCount > 0 ? "available (\(Torch.cudaDeviceCount) device(s))" : "not available")")
            print("devices  \(devices.joined(separator: ", "))")
            print("threads  \(Torch.threadCount)")
        }
    }
}
