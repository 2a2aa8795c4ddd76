import Yams

extension ManifestReader {
    /// A settings block expanded over its axes (every knob may be given a list); nil when a problem was reported.
    /// Unknown keys are reported with a did-you-mean.
    func expand<S: SchemaDescribed>(_ node: Node, _ path: String, _ type: S.Type) -> [S]? {
        let schema = S.schema
        guard let fields = fields(node, path, allowed: schema.keys) else { return nil }
        var grid = Grid<S>()
        for knob in schema.knobs {
            if let value = fields[knob.key] { knob.read(self, value, join(path, knob.key), &grid) }
        }
        return grid.failed ? nil : grid.expand(S())
    }
}
