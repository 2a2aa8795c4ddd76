import Yams

extension ManifestReader {
    static let guidanceKeys = [
        "alpha", "similarity", "rbf_sigma", "mapping", "guide_mode", "init_steps", "noise_steps", "noise_mode",
        "noise", "temperature", "epsilon", "epsilon_mode", "cka_batch", "readout",
    ]

    /// The `guidance` block expanded over its axes; `[GuidanceConfig()]` when absent, nil on errors.
    func guidances(_ node: Node?, _ path: String = "guidance") -> [GuidanceConfig]? {
        guard let node else { return [GuidanceConfig()] }
        guard let f = fields(node, path, allowed: Self.guidanceKeys) else { return nil }
        var grid = Grid<GuidanceConfig>()
        func p(_ key: String) -> String { join(path, key) }
        if let n = f["alpha"] { grid.add(axis(n, p("alpha")) { self.double($0, $1, atLeast: 0) }) { $0.alpha = $1 } }
        if let n = f["similarity"] {
            grid.add(axis(n, p("similarity")) {
                self.choice($0, $1, GuidanceConfig.Similarity.self, what: "similarity measure")
            }) { $0.similarity = $1 }
        }
        if let n = f["rbf_sigma"] {
            grid.add(axis(n, p("rbf_sigma")) { self.double($0, $1, above: 0) }) { $0.rbfSigma = $1 }
        }
        if let n = f["mapping"] { grid.add(mappings(n, p("mapping"))) { $0.mapping = $1 } }
        if let n = f["guide_mode"] {
            grid.add(axis(n, p("guide_mode")) { self.choice($0, $1, GuidanceConfig.GuideMode.self, what: "guide mode") }) {
                $0.guideMode = $1
            }
        }
        if let n = f["init_steps"] {
            grid.add(axis(n, p("init_steps")) { self.int($0, $1, min: 1) }) { $0.initSteps = $1 }
        }
        if let n = f["noise_steps"] {
            grid.add(axis(n, p("noise_steps")) { self.int($0, $1, min: 1) }) { $0.noiseSteps = $1 }
        }
        if let n = f["noise_mode"] {
            grid.add(axis(n, p("noise_mode")) { self.choice($0, $1, GuidanceConfig.NoiseMode.self, what: "noise mode") }) {
                $0.noiseMode = $1
            }
        }
        if let n = f["noise"] {
            grid.add(axis(n, p("noise")) { self.choice($0, $1, GuidanceConfig.NoiseDistribution.self, what: "noise") }) {
                $0.noise = $1
            }
        }
        if let n = f["temperature"] {
            grid.add(axis(n, p("temperature")) { self.double($0, $1, above: 0) }) { $0.temperature = $1 }
        }
        if let n = f["epsilon"] {
            grid.add(axis(n, p("epsilon")) { self.double($0, $1, atLeast: 0) }) { $0.epsilon = $1 }
        }
        if let n = f["epsilon_mode"] {
            grid.add(axis(n, p("epsilon_mode")) {
                self.choice($0, $1, GuidanceConfig.EpsilonMode.self, what: "epsilon mode")
            }) { $0.epsilonMode = $1 }
        }
        if let n = f["cka_batch"] {
            // Below 3 examples centred linear CKA is 1 whatever the activations (two centred rows are ±d/2).
            grid.add(axis(n, p("cka_batch")) { self.optional($0, $1) { self.int($0, $1, min: 3) } }) { $0.ckaBatch = $1 }
        }
        if let n = f["readout"] {
            grid.add(axis(n, p("readout")) { self.choice($0, $1, GuidanceConfig.Readout.self, what: "readout") }) {
                $0.readout = $1
            }
        }
        guard !grid.failed else { return nil }
        return grid.expand(GuidanceConfig()).uniqued()
    }

    /// `auto`, one list of pairs, or an axis: a list whose elements are each `auto` or a list of pairs.
    private func mappings(_ node: Node, _ path: String) -> [LayerMapping]? {
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
