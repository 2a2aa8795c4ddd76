import Foundation
import Sweep

let smallManifest = """
name: small
seeds: [0, 1]
tasks: [mnist1d]
targets: [{family: fcn, depth: 4}]
guides: [{family: cnn}]
conditions: [baseline, guided]
guide_states: [trained]
"""

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func plan(_ yaml: String) throws -> Plan { Plan(try Manifest.decode(yaml: yaml, file: "m.yaml")) }

func record(for job: PlannedJob, status: JobStatus = .ok, metrics: [String: Double] = ["val_accuracy": 0.5],
            artifact: String? = nil) -> JobRecord {
    JobRecord(
        id: job.id, spec: job.spec, status: status, metrics: metrics, curves: [CurvePoint(step: 1, trainLoss: 1)],
        wallSeconds: 1.5, stepsPerSecond: 10, worker: WorkerRef(id: "w1", host: "node, \"A\""),
        versions: Versions(package: "0.1.0", libtorch: "2.1", protocol: 1), device: "cpu",
        startedAt: Timestamp(secondsSince1970: 1_700_000_000), finishedAt: Timestamp(secondsSince1970: 1_700_000_001.5),
        artifact: artifact)
}

/// A small RFC 4180 reader (independent of the writer): rows of fields.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)
    var i = 0
    while i < chars.count {
        let c = chars[i]
        if quoted {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.append(c)
        }
        i += 1
    }
    chars.removeAll()
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
