/// A sweep name made safe as one path component under `results/`: the manifest's `name` is free text
/// (`name: ../../x` must not write outside `results/`).
enum SweepDirectoryName {
    /// Letters, digits, `-`, `_` and `.` are kept, anything else (`/`, `\`, spaces, control characters) becomes
    /// `_`; leading dots are dropped (no `..`, no hidden directory); an empty result is `sweep`. At most 100
    /// characters.
    static func component(_ name: String) -> String {
        var text = String(name.unicodeScalars.map { scalar -> Character in
            let ok = (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
                || scalar == "-" || scalar == "_" || scalar == "."
            return ok ? Character(scalar) : "_"
        })
        while text.hasPrefix(".") { text.removeFirst() }
        text = String(text.prefix(100))
        return text.isEmpty ? "sweep" : text
    }
}
