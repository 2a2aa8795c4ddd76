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
}
