import Foundation

/// Reading whole data files with errors that name them.
enum FileBytes {
    /// The bytes of the regular file at `path`.
    static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetFileError(path: path, .missing, hint: "check the path in the manifest")
        }
        if isDirectory.boolValue {
            throw DatasetFileError(path: path, .wrongContents(expected: "a file", found: "a directory"), hint: "name the file itself")
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DatasetFileError(path: path, .unreadable(error.localizedDescription), hint: "check permissions")
        }
    }

    /// Entries of a directory (sorted), or the error for a missing path / a non-directory.
    static func directoryEntries(_ path: String, expected: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetFileError(path: path, .missing, hint: "check the path in the manifest")
        }
        guard isDirectory.boolValue else {
            throw DatasetFileError(path: path, .wrongContents(expected: "a directory holding \(expected)", found: "a file"),
                                   hint: "name the directory that holds the files")
        }
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// The number of elements of an array with sizes `dims` as a header declares them; an error
    /// when the product overflows or a size is zero where examples need a positive size.
    static func elementCount(_ dims: [Int], path: String, positiveFrom: Int = 1) throws -> Int {
        var total = 1
        for (i, d) in dims.enumerated() {
            if i >= positiveFrom && d <= 0 {
                throw DatasetFileError(path: path, .malformed("declares a size-\(d) dimension in shape \(dims)"),
                                       hint: "every example needs at least one value")
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow, product < 1 << 40 else {
                throw DatasetFileError(path: path, .malformed("declares an impossibly large shape \(dims)"), hint: "the file is damaged")
            }
            total = product
        }
        return total
    }

    /// `directory/name`.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// A short listing for error messages.
    static func summarize(_ entries: [String]) -> String {
        if entries.isEmpty { return "an empty directory" }
        let shown = entries.prefix(8).joined(separator: ", ")
        return entries.count > 8 ? "\(shown), … (\(entries.count) entries)" : shown
    }
}
