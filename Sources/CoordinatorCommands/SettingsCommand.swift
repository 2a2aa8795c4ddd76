public import ArgumentParser
import Foundation
import Sweep

/// `guidance settings`: every training and guidance setting with what it takes, its default and what it does (the
/// manifest's `training:` and `guidance:` blocks, `guidance run --set KEY=VALUE`).
public struct SettingsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "List the training and guidance settings with their values and defaults.",
        discussion: """
        A manifest sets them under training: and guidance: (any of them may be a list: a grid axis);
        `guidance run` takes each as --set KEY=VALUE. Examples:
          guidance settings
          guidance settings --format json
        """
    )

    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case table, md, json }

    @Option(help: "table, md or json.") var format: Format = .table

    public init() {}

    public func run() throws {
        print(Self.render(SpecSettings.entries, format: format))
    }

    static func render(_ entries: [SettingEntry], format: Format) -> String {
        switch format {
        case .json:
            let objects = entries.map { ["key": $0.key, "values": $0.kind, "default": $0.defaultText, "help": $0.help] }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        case .md:
            let rows = entries.map { "| `\($0.key)` | \($0.kind) | \($0.defaultText) | \($0.help.replacingOccurrences(of: "|", with: "\\|")) |" }
            return (["| setting | values | default | what it does |", "|---|---|---|---|"] + rows).joined(separator: "\n")
        case .table:
            let keyWidth = entries.map(\.key.count).max() ?? 0
            return entries.map { entry in
                let head = entry.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0)
                let indent = String(repeating: " ", count: keyWidth + 2)
                return (["\(head)  \(entry.kind); default \(entry.defaultText)"] + TextWrap.paragraph(entry.help, indent: indent))
                    .joined(separator: "\n")
            }.joined(separator: "\n")
        }
    }
}
