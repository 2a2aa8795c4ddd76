public import Foundation
public import Report
import Store

/// `DIR/similarity.csv` beside a sweep's results: the architecture similarity at initialisation of each guided pair
/// (`guide,target,similarity,task`), written by `guidance sweep` and plotted against guidability by the report.
public enum SimilarityFile {
    public static let fileName = "similarity.csv"

    public static func write(_ values: [ArchitectureSimilarity], to directory: URL) throws {
        var text = CSV.line(["guide", "target", "similarity", "task"])
        for v in values { text += CSV.line([v.guide, v.target, String(v.similarity), v.task ?? ""]) }
        try text.write(to: directory.appendingPathComponent(fileName), atomically: true, encoding: .utf8)
    }

    /// The similarities saved next to a sweep's results, or none (a malformed file is reported on stderr).
    public static func load(from directory: URL) -> [ArchitectureSimilarity] {
        let url = directory.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        do {
            return try ArchitectureSimilarity.parseCSV(text, file: url.path)
        } catch {
            // The report still renders; the plot is left out, and the reader is told why instead of seeing it vanish.
            FileHandle.standardError.write(Data("warning: similarity plot left out: \(error)\n".utf8))
            return []
        }
    }
}
