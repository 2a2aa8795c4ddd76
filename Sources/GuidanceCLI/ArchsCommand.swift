import ArgumentParser
import Config
import Foundation
import Guidance
import Models
import ModelSchema
import NN
import Tasks

/// `guidance archs`: the architecture families, their fields and defaults; with `--input` and `--output`, each
/// family as built for that task shape: parameter count and taps, or why it cannot serve it.
struct ArchsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archs",
        abstract: "List the architecture families, or show each one's parameters and taps for an input and output.",
        discussion: """
            Without --input/--output: every family with its summary and configurable fields (name, default, meaning).
            With both: every family (or those given with --family) built with default options (or --option values) \
            for that input and output, with its parameter count and its taps in forward order (name and flattened \
            width per example), or the reason it cannot serve that input/output.
            Inputs: \(ModelInput.specFormats).
            Outputs: \(ModelOutput.specFormats).
            --task NAME stands for the --input/--output of a registered task (`guidance tasks` lists them), with \
            --task-option field=value for its options (a file task needs its paths).
            """
    )

    @Option(help: ArgumentHelp("What the model reads: image:CxHxW, signal:CxL or tokens:LENGTH:VOCABULARY.", valueName: "kind:sizes"))
    var input: String?

    @Option(help: ArgumentHelp("What the model produces: classes:K, per-token:V or next-token:V.", valueName: "kind:count"))
    var output: String?

    @Option(help: ArgumentHelp("A registered task whose input and output to build for (instead of --input/--output).", valueName: "name"))
    var task: String?

    @Option(name: .customLong("task-option"),
            help: ArgumentHelp("An option of --task, as field=value (repeatable).", valueName: "field=value"))
    var taskOptions: [String] = []

    @Option(name: .customLong("family"), help: ArgumentHelp("Only this family (repeatable).", valueName: "name"))
    var families: [String] = []

    @Option(name: .customLong("option"),
            help: ArgumentHelp("A model option for the single --family, as field=value (value as in a manifest: 4, 0.1, true, [2, 2], relu); repeatable.",
                               valueName: "field=value"))
    var options: [String] = []

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if task != nil, input != nil || output != nil {
            throw ValidationError("give either --task or --input/--output, not both")
        }
        if !taskOptions.isEmpty, task == nil { throw ValidationError("--task-option needs --task") }
        guard (input == nil) == (output == nil) else {
            throw ValidationError("give --input and --output together (e.g. --input image:1x28x28 --output classes:10)")
        }
        if !options.isEmpty && families.count != 1 {
            throw ValidationError("--option applies to one family: give exactly one --family (got \(families.count))")
        }
        if !options.isEmpty && input == nil && task == nil { throw ValidationError("--option needs --task, or --input and --output") }
    }

    func run() throws {
        let selected = try families.isEmpty ? ModelFamily.allCases : families.map { try ModelFamily.named($0) }
        let report: ArchsReport
        if let io = try shape() {
            let parsedOptions = try Self.parseOptions(options)
            report = ArchsReport(input: io.input.spec, output: io.output.spec, families: selected.map { family in
                Self.describe(family, options: parsedOptions, input: io.input, output: io.output)
            })
        } else {
            report = ArchsReport(input: nil, output: nil, families: selected.map { family in
                ArchsReport.Family(family: family.rawValue, summary: family.summary,
                                   fields: family.fields.map { .init(name: $0.name, default: $0.defaultText, help: $0.help) })
            })
        }
        print(json ? try report.json() : report.text())
    }

    /// The input and output to build for: from --task (the registry's shape for its options) or --input/--output.
    private func shape() throws -> (input: ModelInput, output: ModelOutput)? {
        if let task {
            let definition = try TaskRegistry.make(task, options: try Self.parseOptions(taskOptions))
            let shape = try definition.shape()
            return (TaskData.modelInput(shape.input), TaskData.modelOutput(shape.output))
        }
        guard let input, let output else { return nil }
        return (try ModelInput(spec: input), try ModelOutput(spec: output))
    }

    /// One family built for the input and output: its parameter count and taps, or the reason it cannot be built.
    static func describe(_ family: ModelFamily, options: [String: ConfigValue], input: ModelInput,
                         output: ModelOutput) -> ArchsReport.Family {
        var entry = ArchsReport.Family(family: family.rawValue)
        entry.options = options.isEmpty ? nil : options
        do {
            let model = try ModelBuilder.build(family: family.rawValue, options: options, input: input, output: output,
                                               init: ParameterInit(seed: 0))
            entry.parameters = model.parameterCount
            entry.taps = try model.describeTaps().map { .init(name: $0.name, width: $0.width) }
        } catch {
            // A ModelError's description repeats the family, which the entry already names.
            entry.error = (error as? ModelError)?.message ?? "\(error)"
        }
        return entry
    }

    /// `field=value` pairs; a value is read as JSON (numbers, booleans, lists) and otherwise kept as a string.
    static func parseOptions(_ pairs: [String]) throws -> [String: ConfigValue] {
        var result: [String: ConfigValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("\"\(pair)\": expected field=value, e.g. depth=4")
            }
            let field = String(pair[..<equals]), text = String(pair[pair.index(after: equals)...])
            let value = (try? JSONDecoder().decode(ConfigValue.self, from: Data(text.utf8))) ?? .string(text)
            result[field] = value
        }
        return result
    }
}
