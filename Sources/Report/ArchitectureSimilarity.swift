import Foundation
import Store

/// Similarity of a guide and a target architecture (for example linear CKA of their representations at
/// initialization), to set against how well the guide guides the target.
public struct ArchitectureSimilarity: Codable, Hashable, Sendable {
    /// The task the similarity was measured on, or nil for every task.
    public var task: String?
    /// Display names, as in the matrices.
    public var guide: String
    public var target: String
    /// The similarity (CKA in [0, 1]).
    public var similarity: Double

    public init(task: String? = nil, guide: String, target: String, similarity: Double) {
        self.task = task
        self.guide = guide
        self.target = target
        self.similarity = similarity
    }
}

extension GuidabilityMatrix {
    /// Points (similarity, mean Δ in display units) for every cell with a value and a similarity.
    public func similarityPoints(_ similarities: [ArchitectureSimilarity]) -> [SVGScatter.Point] {
        var points: [SVGScatter.Point] = []
        for s in similarities where s.task == nil || s.task == task {
            guard let delta = cell(guide: s.guide, target: s.target)?.delta else { continue }
            points.append(SVGScatter.Point(x: s.similarity, y: delta.mean * displayScale, label: "\(s.guide)→\(s.target)"))
        }
        return points
    }
}

extension ArchitectureSimilarity {
    /// Reads `guide,target,similarity[,task]` lines (a header line naming the columns is skipped, `#` starts
    /// a comment). Throws `SimilarityFileError` naming the file and line of a malformed row.
    public static func parseCSV(_ text: String, file: String) throws -> [ArchitectureSimilarity] {
        let records: [CSV.Record]
        do {
            records = try CSV.parse(text)
        } catch let error as CSV.ParseError {
            throw SimilarityFileError(file: file, line: error.line, text: error.reason)
        }
        var result: [ArchitectureSimilarity] = []
        for record in records {
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.allSatisfy(\.isEmpty) || fields[0].hasPrefix("#") { continue }
            if record.line == 1, fields.first == "guide" { continue }
            guard fields.count == 3 || fields.count == 4, !fields[0].isEmpty, !fields[1].isEmpty,
                  let value = Double(fields[2]), value.isFinite else {
                throw SimilarityFileError(file: file, line: record.line, text: CSV.line(record.fields).dropLast().description)
            }
            result.append(ArchitectureSimilarity(task: fields.count == 4 && !fields[3].isEmpty ? fields[3] : nil,
                                                 guide: fields[0], target: fields[1], similarity: value))
        }
        return result
    }
}

/// A malformed line in a similarity file.
public struct SimilarityFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var text: String

    public init(file: String, line: Int, text: String) {
        self.file = file
        self.line = line
        self.text = text
    }

    public var description: String {
        "\(file):\(line): expected guide,target,similarity[,task] with a finite number as similarity, found \"\(text)\""
    }
}
