import Yams

extension ManifestReader {
    /// The `guidance` block expanded over its axes (`GuidanceConfig.schema`); `[GuidanceConfig()]` when absent, nil
    /// on errors.
    func guidances(_ node: Node?, _ path: String = "guidance") -> [GuidanceConfig]? {
        guard let node else { return [GuidanceConfig()] }
        return expand(node, path, GuidanceConfig.self)?.uniqued()
    }

    /// `auto`, one list of pairs, or an axis: a list whose elements are each `auto` or a list of pairs.
    func mappings(_ node: Node, _ path: String) -> [LayerMapping]? {
        guard case .sequence(let sequence) = node else { return mapping(single: node, path).map { [$0] } }
        let isAxis = !sequence.isEmpty && sequence.allSatisfy { element in
            if case .sequence = element { return true }
            if case .scalar(let scalar) = element { return scalar.string == "auto" }
            return false
        }
        guard isAxis else { return mapping(single: node, path).map { [$0] } }
        var values: [LayerMapping] = []
        for (index, element) in sequence.enumerated() {
            guard let value = mapping(single: element, "\(path)[\(index)]") else { return nil }
            values.append(value)
        }
        return values
    }

    private func mapping(single node: Node, _ path: String) -> LayerMapping? {
        switch node {
        case .scalar(let scalar) where scalar.string == "auto":
            return .auto
        case .sequence(let sequence) where !sequence.isEmpty:
            var pairs: [LayerPair] = []
            for (index, element) in sequence.enumerated() {
                let elementPath = "\(path)[\(index)]"
                guard let f = fields(element, elementPath, allowed: ["guide", "target"]) else { return nil }
                guard let guideNode = f["guide"], let targetNode = f["target"] else {
                    report(element, elementPath, "a mapping pair needs both guide and target",
                           hint: "write {guide: 0, target: 2} with tap indices or tap names")
                    return nil
                }
                guard let guide = tap(guideNode, join(elementPath, "guide")),
                      let target = tap(targetNode, join(elementPath, "target")) else { return nil }
                pairs.append(LayerPair(guide: guide, target: target))
            }
            return .explicit(pairs)
        default:
            report(node, path, "expected auto or a list of {guide, target} pairs, found \(Self.describe(node))")
            return nil
        }
    }

    private func tap(_ node: Node, _ path: String) -> TapRef? {
        if case .scalar = node, Self.tagName(node) == .int {
            return int(node, path, min: 0).map(TapRef.index)
        }
        return string(node, path).map(TapRef.name)
    }
}
