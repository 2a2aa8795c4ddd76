import ArgumentParser
import CoordinatorCommands
import Foundation
import Torch

/// `guidance-bench SUITE`: the speed benchmarks behind BENCHMARKS.md (run them through `scripts/bench`).
///
/// `guidance-bench engine|guidance|data|similarity` runs one suite and prints one JSON line per measurement
/// (`BenchRecord`); `guidance-bench summary FILE...` reads such lines (ours and `scripts/bench_torch.py`'s) and prints medians across
/// runs, their spread and each goal's status.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Speed benchmarks (engine, guidance, data) as JSON lines, or a summary of such lines.",
        discussion: """
            Suites: engine (MLP and ConvNet training steps), guidance (guided vs unguided FCN steps on MNIST-1D with \
            a per-phase profile), data (batch production against step time), similarity (one linear-CKA term in each form and implementation). Use scripts/bench, which builds in \
            release mode, repeats the runs, adds the PyTorch column when torch is installed and summarises.
            The default subcommand: `guidance-bench engine` is `guidance-bench suite engine`.
            """
    )

    @Argument(help: "engine, guidance, data, similarity, or summary followed by files of JSON lines.")
    var suite: String

    @Argument(help: "For summary: the files of JSON lines.")
    var files: [String] = []

    @Option(help: "Timed steps per case.") var steps: Int = 40
    @Option(help: "Untimed warm-up steps per case.") var warmup: Int = 5
    @Option(help: "Engine threads (default: all cores, or OMP_NUM_THREADS when set).") var threads: Int?
    @Option(help: "engine suite: cpu, cuda or cuda:N.") var device: String = "cpu"
    @Option(help: "guidance suite: only these cases, comma-separated (unguided, guided, guided-uncached), e.g. to profile one under perf.")
    var cases: String?

    func validate() throws {
        guard ["engine", "guidance", "data", "similarity", "summary"].contains(suite) else {
            throw ValidationError("unknown suite \"\(suite)\": use engine, guidance, data, similarity or summary FILE...")
        }
        if suite == "summary" && files.isEmpty { throw ValidationError("summary needs the files of JSON lines to read") }
        if suite != "summary" && !files.isEmpty { throw ValidationError("only summary takes files") }
        guard steps > 0, warmup >= 0 else { throw ValidationError("--steps must be positive and --warmup non-negative") }
        if let cases {
            guard suite == "guidance" else { throw ValidationError("--cases: only the guidance suite takes it") }
            let chosen = caseList(cases)
            if chosen.isEmpty || chosen.contains(where: { !GuidanceBench.cases.contains($0) }) {
                throw ValidationError("--cases \(cases): use some of \(GuidanceBench.cases.joined(separator: ", ")), comma-separated")
            }
        }
    }

    func run() throws {
        if suite == "summary" {
            print(try BenchSummary(files: files).text())
            return
        }
        guard let chosen = Device(device) else { throw CLIError("--device \(device): use cpu, cuda or cuda:N") }
        if chosen != .cpu && suite != "engine" { throw CLIError("--device \(device): only the engine suite runs on a GPU; drop --device") }
        guard chosen.isAvailable else { throw CLIError(Device.unavailableMessage(chosen)) }
        if let threads { Torch.threadCount = threads }
        let threads = Torch.threadCount
        let records: [BenchRecord]
        switch suite {
        case "engine": records = try EngineBench.run(steps: steps, warmup: warmup, threads: threads, device: chosen)
        case "guidance":
            records = try GuidanceBench.run(steps: steps, warmup: warmup, threads: threads,
                                            cases: cases.map(caseList) ?? GuidanceBench.cases)
        case "similarity": records = try SimilarityBench.run(steps: steps, warmup: warmup, threads: threads)
        default: records = try DataBench.run(steps: steps, warmup: warmup, threads: threads)
        }
        for record in records { print(try record.jsonLine()) }
    }

    private func caseList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
