public import Foundation

/// Reading and writing CURVE key files.
///
/// Format (both kinds): UTF-8 text; blank lines and lines starting with `#` are ignored; every
/// other line is one 40-character Z85 key. A public key file (`NAME.key`, mode 0644) holds one
/// public key, an allow-list file holds any number; a secret key file (`NAME.key_secret`, mode
/// 0600) holds one secret key, from which the public key is derived.
///
/// Secret key files are written atomically with mode 0600 from the start (a temporary file in
/// the same directory, then a rename or hard link), and reading one that group or others may
/// read is refused, like ssh does.
public enum CurveKeyFile {
    /// Largest key file read, in bytes (allow-lists of many keys fit easily).
    static let maximumSizeBytes = 1 << 20

    /// Writes `keyPair` as `NAME.key` (public, 0644) and `NAME.key_secret` (secret, 0600) in
    /// `directory`, and returns their URLs.
    /// - Throws: ``CurveKeyFileError`` naming the file, e.g. when it exists and `overwrite` is false.
    @discardableResult
    public static func write(
        _ keyPair: CurveKeyPair, name: String, in directory: URL, overwrite: Bool = false
    ) throws -> (publicKey: URL, secretKey: URL) {
        let publicURL = directory.appendingPathComponent("\(name).key")
        let secretURL = directory.appendingPathComponent("\(name).key_secret")
        try writeSecretKey(keyPair.secretKey, to: secretURL, overwrite: overwrite)
        try writePublicKey(keyPair.publicKey, to: publicURL, overwrite: overwrite)
        return (publicURL, secretURL)
    }

    /// Writes an allow-list file (mode 0644 whatever the umask, atomically): `text` as given.
    public static func writeAllowList(_ text: String, to url: URL, overwrite: Bool = false) throws {
        try AtomicFile.write(Data(text.utf8), to: url, mode: 0o644, overwrite: overwrite)
    }

    /// Writes a public key file (mode 0644).
    public static func writePublicKey(_ key: CurvePublicKey, to url: URL, overwrite: Bool = false) throws {
        let text = "# CURVE public key (Z85); share it freely, e.g. add it to the coordinator's allow-list\n\(key.z85)\n"
        try AtomicFile.write(Data(text.utf8), to: url, mode: 0o644, overwrite: overwrite)
    }

    /// Writes a secret key file, created with mode 0600 (never readable by others, not even
    /// briefly).
    public static func writeSecretKey(_ key: CurveSecretKey, to url: URL, overwrite: Bool = false) throws {
        let text = "# CURVE secret key (Z85); keep it private (mode 0600), never copy it to other hosts\n\(key.z85)\n"
        try AtomicFile.write(Data(text.utf8), to: url, mode: 0o600, overwrite: overwrite)
    }

    /// Reads a public key file holding exactly one key.
    public static func readPublicKey(from url: URL) throws -> CurvePublicKey {
        let keys = try readPublicKeys(from: url)
        guard keys.count == 1 else {
            throw CurveKeyFileError(path: url.path, reason: "holds \(keys.count) keys, expected exactly one",
                                    hint: "a .key file holds one Z85 public key")
        }
        return keys[0]
    }

    /// Reads an allow-list: every key line of the file, in order (may be empty). Refused when group or
    /// others may write the file (like a secret file others may read): they could add their own key.
    public static func readPublicKeys(from url: URL) throws -> [CurvePublicKey] {
        let text = try AtomicFile.read(url, maximumSizeBytes: maximumSizeBytes, requirePrivate: false, refuseSharedWrite: true)
        return try keyLines(text, path: url.path).map { line, key in
            do {
                return try CurvePublicKey(z85: key)
            } catch {
                throw CurveKeyFileError(path: url.path, line: line, reason: "not a public key: \(error)",
                                        hint: "each line is a 40-character Z85 key or a # comment")
            }
        }
    }

    /// Reads a secret key file (refused unless only its owner may read it) and returns the
    /// key pair (public key derived from the secret one).
    public static func readKeyPair(fromSecretFile url: URL) throws -> CurveKeyPair {
        let text = try AtomicFile.read(url, maximumSizeBytes: maximumSizeBytes, requirePrivate: true)
        let lines = try keyLines(text, path: url.path)
        guard lines.count == 1, let (line, key) = lines.first else {
            throw CurveKeyFileError(path: url.path, reason: "holds \(lines.count) keys, expected exactly one",
                                    hint: "a .key_secret file holds one Z85 secret key")
        }
        do {
            return try CurveKeyPair(secretKey: CurveSecretKey(z85: key))
        } catch {
            throw CurveKeyFileError(path: url.path, line: line, reason: "not a secret key: \(error)",
                                    hint: "regenerate the key pair with `guidance keys generate`")
        }
    }

    /// The key lines of `text` with their 1-based line numbers (comments and blanks skipped).
    private static func keyLines(_ text: Data, path: String) throws -> [(Int, String)] {
        guard let string = String(data: text, encoding: .utf8) else {
            throw CurveKeyFileError(path: path, reason: "is not UTF-8 text", hint: "is this really a key file?")
        }
        var result: [(Int, String)] = []
        for (index, raw) in string.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            result.append((index + 1, line))
        }
        return result
    }
}
