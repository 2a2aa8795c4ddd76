import ArgumentParser
import CoordinatorCommands
import Foundation
import Guidance
import Sweep
import Tasks
import Torch

/// `guidance similarity`: the layer-by-layer similarity matrix of two models on a probe batch of a task, or the
/// similarity of two saved activation matrices.
struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Layer-by-layer similarity of two models on a task, or of two saved activation matrices.",
        discussion: """
        Two models: rows are a's taps, columns b's, on the first --probe examples of the task's validation split \
        (test or train when there is none). Untrained models start as a job with the same --seed starts its target (a) \
        and its untrained guide (b); a * marks the pairs the automatic mapping would use if b guided a.
        Two .npy files: rows are examples (the same examples in the same order in both), the other dimensions are \
        flattened into features; float32 or float64.

        Examples:
          guidance similarity --task mnist1d --a fcn --a-opt depth=4 --b cnn
          guidance similarity --task mnist1d --a fcn --b cnn --b-checkpoint cnn.safetensors --measure rbf-cka --json
          guidance similarity --npy target.npy guide.npy --measure debiased-cka
        """
    )

    @Option(help: "Task name (see `guidance tasks`).") var task: String?
    @Option(name: .customLong("task-opt"), help: "Task field as key=value (repeatable).") var taskOptions: [String] = []
    @Option(help: "Family of model a (rows).") var a: String?
    @Option(name: .customLong("a-opt"), help: "Field of model a as key=value (repeatable).") var aOptions: [String] = []
    @Option(help: "Family of model b (columns).") var b: String?
    @Option(name: .customLong("b-opt"), help: "Field of model b as key=value (repeatable).") var bOptions: [String] = []
    @Option(name: .customLong("a-checkpoint"), help: "Trained weights of model a.") var aCheckpoint: String?
    @Option(name: .customLong("b-checkpoint"), help: "Trained weights of model b.") var bCheckpoint: String?
    @Option(help: "Examples in the probe batch.") var probe: Int = 256
    @Option(help: "Seed of the untrained models' initialisation.") var seed: Int = 0
    @Option(parsing: .upToNextOption, help: "Two .npy activation matrices (rows = examples) instead of models.") var npy: [String] = []
    @Option(help: "linear-cka, debiased-cka, rbf-cka or rsa.") var measure: String = "linear-cka"
    @Option(help: "RBF width as a fraction of the median distance (rbf-cka).") var sigma: Double = 0.8
    @Flag(help: "Print JSON instead of text.") var json = false

    func validate() throws {
        if !npy.isEmpty {
            guard npy.count == 2 else { throw ValidationError("--npy takes exactly two files, got \(npy.count)") }
            let modelFlags = [task.map { _ in "--task" }, a.map { _ in "--a" }, b.map { _ in "--b" }].compactMap { $0 }
            guard modelFlags.isEmpty else { throw ValidationError("--npy compares two files; drop \(modelFlags.joined(separator: ", "))") }
        } else {
            let missing = [task == nil ? "--task" : nil, a == nil ? "--a" : nil, b == nil ? "--b" : nil].compactMap { $0 }
            guard missing.isEmpty else {
                throw ValidationError("missing \(missing.joined(separator: ", ")): give --task, --a and --b, or --npy A.npy B.npy")
            }
        }
        guard SimilarityMeasure(name: measure) != nil else {
            throw ValidationError("--measure \(measure): use \(GuidanceConfig.Similarity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let measure = SimilarityMeasure(name: measure, sigma: sigma)!
        if npy.count == 2 {
            try compareFiles(npy[0], npy[1], measure: measure)
        } else {
            try compareModels(measure: measure)
        }
    }

    func compareFiles(_ pathA: String, _ pathB: String, measure: SimilarityMeasure) throws {
        let x = try NPYMatrix.read(pathA), y = try NPYMatrix.read(pathB)
        guard x.rows == y.rows else {
            throw CLIError("\(pathA) has \(x.rows) rows (examples) but \(pathB) has \(y.rows); both need the same examples in the same order")
        }
        let value = try SimilarityMatrix.measure(measure, x: x.values, xColumns: x.columns, y: y.values, yColumns: y.columns, rows: x.rows)
        if json {
            let result = FileSimilarityJSON(measure: measure.name, value: value, rows: x.rows, aColumns: x.columns, bColumns: y.columns)
            print(try SimilarityJSON.string(result))
        } else {
            print(String(format: "%.6f", value))
        }
    }

    func compareModels(measure: SimilarityMeasure) throws {
        let matrix = try SimilarityMatrix.compute(
            task: TaskSpec(name: task!, options: try OptionParsing.options(taskOptions, flag: "--task-opt")),
            a: ModelSpec(family: a!, options: try OptionParsing.options(aOptions, flag: "--a-opt")),
            b: ModelSpec(family: b!, options: try OptionParsing.options(bOptions, flag: "--b-opt")),
            aCheckpoint: aCheckpoint.map { URL(fileURLWithPath: $0) }, bCheckpoint: bCheckpoint.map { URL(fileURLWithPath: $0) },
            measure: measure, probe: probe, seed: seed)
        print(json ? try SimilarityJSON.string(MatrixSimilarityJSON(matrix, task: task!)) : SimilarityTable.text(matrix, task: task!))
    }
}
