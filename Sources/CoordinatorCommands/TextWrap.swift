/// Text wrapped into lines: comma-separated lists and paragraphs.
public enum TextWrap {
    /// `items` joined by ", " into lines of at most `width` characters (an item longer than that gets a line of its
    /// own), each starting with `indent`; every line but the last ends with a comma.
    public static func lines(_ items: [String], indent: String, width: Int = 100) -> [String] {
        wrap(items, separator: ", ", lineEnd: ",", indent: indent, width: width)
    }

    /// `text` wrapped at spaces into lines of at most `width` characters (a longer word gets a line of its own), each
    /// starting with `indent`.
    public static func paragraph(_ text: String, indent: String, width: Int = 100) -> [String] {
        wrap(text.split(separator: " ").map(String.init), separator: " ", lineEnd: "", indent: indent, width: width)
    }

    /// `pieces` joined by `separator` into lines of at most `width` characters (a longer piece gets a line of its own),
    /// each starting with `indent`; every line but the last ends with `lineEnd`.
    static func wrap(_ pieces: [String], separator: String, lineEnd: String, indent: String, width: Int) -> [String] {
        var lines: [String] = [], current = indent
        for piece in pieces {
            if current.count > indent.count && current.count + piece.count + separator.count > width {
                lines.append(current + lineEnd)
                current = indent
            }
            current += (current.count > indent.count ? separator : "") + piece
        }
        if current.count > indent.count { lines.append(current) }
        return lines
    }
}
