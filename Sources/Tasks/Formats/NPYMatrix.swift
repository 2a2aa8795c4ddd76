/// A floating-point `.npy` array read as a matrix of activations: one row per example, the remaining dimensions
/// flattened into columns (an array of shape [n, c, h, w] is n × c·h·w; a 1-D array of n values is n × 1).
///
/// Element types float32 (`<f4`) and float64 (`<f8`) are accepted; integer arrays are refused, since activations
/// saved as integers are almost always a mistake (labels, token ids).
public struct NPYMatrix: Sendable, Equatable {
    /// Examples (the first dimension).
    public let rows: Int
    /// Features per example (the product of the other dimensions).
    public let columns: Int
    /// Row-major values, `rows × columns`.
    public let values: [Double]
    /// The array's shape as stored.
    public let shape: [Int]
    /// The stored element type (`<f4`, `<f8`).
    public let dtype: String

    /// Reads `path`; throws a `DatasetFileError` naming the file for a missing or unreadable file, a malformed
    /// header, an unsupported or integer element type, or an array without rows.
    public static func read(_ path: String) throws -> NPYMatrix {
        let file: NPYFile
        do {
            file = try NPYFile.read(path)
        } catch let error as DatasetFileError where error.kind == .missing {
            throw DatasetFileError(path: path, .missing, hint: "check the path")
        }
        let values: [Double]
        switch file.values {
        case .float32(let v): values = v.map(Double.init)
        case .float64(let v): values = v
        case .uint8, .int64:
            throw DatasetFileError(path: path, .unsupportedDType(found: file.descr, supported: ["<f4 (float32)", "<f8 (float64)"]),
                                   hint: "activations must be floating point; save them with a.astype(numpy.float32)")
        }
        guard let rows = file.shape.first, rows > 0 else {
            throw DatasetFileError(path: path, .wrongContents(expected: "an array with at least one row (one per example)",
                                                              found: "shape \(file.shape)"))
        }
        return NPYMatrix(rows: rows, columns: values.count / rows, values: values, shape: file.shape, dtype: file.descr)
    }
}
