/// "Did you mean ...?" for misspelled keys and enum values.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo
    /// (at most 2 edits, and fewer than half of the word's length).
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let source = Array(word.lowercased())
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(source, Array(candidate.lowercased()))
            if distance <= 2, distance * 2 < max(source.count, 2), distance < (best?.1 ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// `did you mean "guided"?` or nil.
    public static func hint(for word: String, in candidates: some Sequence<String>) -> String? {
        closest(to: word, in: candidates).map { "did you mean \"\($0)\"?" }
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// ` (did you mean "x"?)` or "" — for appending to a sentence.
    public static func parenthesized(for word: String, in candidates: some Sequence<String>) -> String {
        hint(for: word, in: candidates).map { " (\($0))" } ?? ""
    }
}
