/// Lists printed as comma-separated items wrapped into lines.
public enum TextWrap {
    /// `items` joined by ", " into lines of at most `width` characters (an item longer than that gets a line of its
    /// own), each starting with `indent`; every line but the last ends with a comma.
    public static func lines(_ items: [String], indent: String, width: Int = 100) -> [String] {
        var lines: [String] = [], current = indent
        for item in items {
            if current.count > indent.count && current.count + item.count + 2 > width {
                lines.append(current + ",")
                current = indent
            }
            current += (current.count > indent.count ? ", " : "") + item
        }
        if current.count > indent.count { lines.append(current) }
        return lines
    }

    /// `text` wrapped at spaces into lines of at most `width` characters (a longer word gets a line of its own), each
    /// starting with `indent`.
    public static func paragraph(_ text: String, indent: String, width: Int = 100) -> [String] {
        var lines: [String] = [], current = indent
        for word in text.split(separator: " ") {
            if current.count > indent.count && current.count + word.count + 1 > width {
                lines.append(current)
                current = indent
            }
            current += (current.count > indent.count ? " " : "") + word
        }
        if current.count > indent.count { lines.append(current) }
        return lines
    }
}
