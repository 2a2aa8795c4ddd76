import Foundation
import Yams

/// One YAML document of `cluster/k8s`, with typed access to the fields the checks need.
struct K8sDocument {
    let file: String
    let index: Int
    let body: [String: Any]

    var kind: String { body["kind"] as? String ?? "" }
    var name: String { (body["metadata"] as? [String: Any])?["name"] as? String ?? "" }
    var label: String { "\(file) document \(index + 1) (\(kind) \(name))" }

    /// The pod template of a Deployment or Job.
    var podTemplate: [String: Any]? { (body["spec"] as? [String: Any])?["template"] as? [String: Any] }
    var podLabels: [String: String] { ((podTemplate?["metadata"] as? [String: Any])?["labels"] as? [String: String]) ?? [:] }
    var podSpec: [String: Any]? { podTemplate?["spec"] as? [String: Any] }
    var containers: [[String: Any]] { podSpec?["containers"] as? [[String: Any]] ?? [] }
    var initContainers: [[String: Any]] { podSpec?["initContainers"] as? [[String: Any]] ?? [] }
    var volumes: [[String: Any]] { podSpec?["volumes"] as? [[String: Any]] ?? [] }

    /// The package root, from this file's path (Tests/ClusterTests/K8sDocument.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let directory = packageRoot.appendingPathComponent("cluster/k8s")

    /// Every document of every `*.yaml` file in `cluster/k8s` (sorted by file name).
    static func loadAll() throws -> [K8sDocument] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var documents: [K8sDocument] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for (index, value) in try Yams.load_all(yaml: text).enumerated() {
                guard let body = value as? [String: Any] else {
                    throw CheckError("\(file) document \(index + 1) is not a mapping")
                }
                documents.append(K8sDocument(file: file, index: index, body: body))
            }
        }
        return documents
    }
}

/// A container's fields.
struct Container {
    let body: [String: Any]
    var name: String { body["name"] as? String ?? "" }
    var command: [String] { (body["command"] as? [Any])?.map { "\($0)" } ?? [] }
    var args: [String] { (body["args"] as? [Any])?.map { "\($0)" } ?? [] }
    var mounts: [[String: Any]] { body["volumeMounts"] as? [[String: Any]] ?? [] }
    var resources: [String: Any] { body["resources"] as? [String: Any] ?? [:] }
    var ports: [[String: Any]] { body["ports"] as? [[String: Any]] ?? [] }

    /// The value after `--flag` in the args, if any.
    func option(_ flag: String) -> String? {
        guard let at = args.firstIndex(of: flag), at + 1 < args.count else { return nil }
        return args[at + 1]
    }
}

struct CheckError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
