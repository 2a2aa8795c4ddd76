public import ArgumentParser
import Foundation
import Transport

/// `guidance keys`: CURVE key pairs for encrypted, authenticated coordinator/worker traffic.
public struct KeysCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make CURVE keys for encrypted, authenticated coordinator–worker traffic.",
        subcommands: [Generate.self])

    public init() {}

    /// `guidance keys generate --out DIR [--workers N]`.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a coordinator key pair, worker key pair(s) and the allow-list of worker keys.",
            discussion: """
            Writes into DIR (created 0700 if missing):
              coordinator.key, coordinator.key_secret   the coordinator's pair (secret file mode 0600)
              worker.key, worker.key_secret             one worker pair (--workers 1, the default), or
              worker-1.key … worker-N.key(_secret)      one pair per worker (--workers N > 1)
              allowed_workers                           the workers' public keys, one per line
            The coordinator needs coordinator.key_secret and allowed_workers (`guidance coordinator --keys DIR`);
            a worker needs coordinator.key and its own .key_secret (`guidance worker --keys DIR [--key FILE]`).
            coordinator.key_secret is also the operator's key: `guidance status --keys DIR` on a host holding it sees
            every worker and lease; with a worker key, status shows only that key's own workers.
            Secret files never leave the host that uses them; existing files are not overwritten without --force.
            """)

        @Option(help: "Directory to write the keys into.") var out: String
        @Option(help: "Worker key pairs to make (1: worker.key; N > 1: worker-1 … worker-N).") var workers: Int = 1
        @Flag(help: "Overwrite existing key files.") var force = false

        func validate() throws {
            guard (1...10_000).contains(workers) else { throw ValidationError("--workers: use an integer in 1…10000") }
        }

        func run() throws {
            guard hasCurve() else { throw CLIError("this libzmq was built without CURVE support; install a libzmq with libsodium (Debian: libzmq5)") }
            let directory = URL(fileURLWithPath: out)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw CLIError("cannot create \(directory.path): \(error.localizedDescription)")
            }
            try CurveKeyFile.write(try CurveKeyPair.generate(), name: KeyDirectory.coordinatorName, in: directory, overwrite: force)
            let names = workers == 1 ? [KeyDirectory.workerName] : (1...workers).map { "\(KeyDirectory.workerName)-\($0)" }
            var lines = ["# public keys of the workers this coordinator lets in (one Z85 key per line; # comments)"]
            for name in names {
                let pair = try CurveKeyPair.generate()
                try CurveKeyFile.write(pair, name: name, in: directory, overwrite: force)
                lines.append("# \(name)")
                lines.append(pair.publicKey.z85)
            }
            let allowList = directory.appendingPathComponent(KeyDirectory.allowListName)
            if !force, FileManager.default.fileExists(atPath: allowList.path) {
                throw CLIError("\(allowList.path) exists; pass --force to overwrite it")
            }
            do {
                try CurveKeyFile.writeAllowList(lines.joined(separator: "\n") + "\n", to: allowList, overwrite: force)
            } catch let error as CurveKeyFileError {
                throw CLIError("\(error)")
            }
            print("wrote \(directory.path): coordinator.key(_secret), \(names.count == 1 ? "worker.key(_secret)" : "worker-1…\(names.count).key(_secret)"), allowed_workers")
        }
    }
}
