import Foundation
import XCTest
import Yams

/// `cluster/k8s` stays valid: no cluster runs here, so the files are checked by reading them (every document
/// parses, required fields, selectors, names that refer to each other) and against the built binary (the
/// subcommands and flags the containers use exist; the example manifest plans).
final class K8sManifestTests: XCTestCase {
    var documents: [K8sDocument] = []

    override func setUpWithError() throws {
        documents = try K8sDocument.loadAll()
    }

    func documents(_ kind: String) -> [K8sDocument] { documents.filter { $0.kind == kind } }
    var workloads: [K8sDocument] { documents.filter { $0.kind == "Deployment" || $0.kind == "Job" } }

    /// Names a kustomization generates (Secrets and ConfigMaps made from files).
    func generated(_ key: String) -> Set<String> {
        Set(documents("Kustomization").flatMap { ($0.body[key] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } })
    }

    func testEveryDocumentHasTheRequiredFields() throws {
        XCTAssertFalse(documents.isEmpty)
        for document in documents {
            XCTAssertNotNil(document.body["apiVersion"] as? String, "\(document.label): no apiVersion")
            XCTAssertFalse(document.kind.isEmpty, "\(document.label): no kind")
            if document.kind != "Kustomization" { XCTAssertFalse(document.name.isEmpty, "\(document.label): no metadata.name") }
        }
        for kind in ["Deployment", "Service", "Job", "ConfigMap", "PersistentVolumeClaim", "Kustomization"] {
            XCTAssertFalse(documents(kind).isEmpty, "no \(kind) in cluster/k8s")
        }
        let names = documents.filter { $0.kind != "Kustomization" }.map { "\($0.kind)/\($0.name)" }
        XCTAssertEqual(names.count, Set(names).count, "a name is used twice: \(names)")
    }

    func testKustomizationListsExistingFiles() throws {
        for kustomization in documents("Kustomization") {
            for resource in kustomization.body["resources"] as? [String] ?? [] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: K8sDocument.directory.appendingPathComponent(resource).path),
                              "\(kustomization.label): resource \(resource) does not exist")
            }
        }
    }

    func testWorkloadsHaveMatchingSelectorsResourcesAndVolumes() throws {
        for workload in workloads {
            let labels = workload.podLabels
            XCTAssertFalse(labels.isEmpty, "\(workload.label): pod template has no labels")
            if workload.kind == "Deployment" {
                let spec = workload.body["spec"] as? [String: Any]
                let selector = (spec?["selector"] as? [String: Any])?["matchLabels"] as? [String: String] ?? [:]
                XCTAssertFalse(selector.isEmpty, "\(workload.label): no selector.matchLabels")
                for (key, value) in selector {
                    XCTAssertEqual(labels[key], value, "\(workload.label): selector \(key)=\(value) does not match the pod labels")
                }
            }
            let volumeNames = Set(workload.volumes.compactMap { $0["name"] as? String })
            XCTAssertFalse(workload.containers.isEmpty, "\(workload.label): no containers")
            for container in (workload.initContainers + workload.containers).map(Container.init) {
                XCTAssertNotNil(container.body["image"] as? String, "\(workload.label) \(container.name): no image")
                XCTAssertNotNil(container.resources["requests"], "\(workload.label) \(container.name): no resources.requests")
                XCTAssertNotNil(container.resources["limits"], "\(workload.label) \(container.name): no resources.limits")
                for mount in container.mounts {
                    let name = mount["name"] as? String ?? ""
                    XCTAssertTrue(volumeNames.contains(name), "\(workload.label) \(container.name): mounts undeclared volume \(name)")
                }
                // A directory named by --keys or --results is a mount of this container.
                for flag in ["--keys", "--results"] {
                    guard let path = container.option(flag) else { continue }
                    XCTAssertTrue(container.mounts.contains { path.hasPrefix(($0["mountPath"] as? String) ?? "\u{0}") },
                                  "\(workload.label) \(container.name): \(flag) \(path) is not on a mounted volume")
                }
            }
        }
    }

    func testWorkerJobsAreIndexedWithOnePodPerWorker() throws {
        let jobs = documents("Job")
        XCTAssertFalse(jobs.isEmpty)
        for job in jobs {
            let spec = job.body["spec"] as? [String: Any] ?? [:]
            XCTAssertEqual(spec["completionMode"] as? String, "Indexed", "\(job.label)")
            let parallelism = spec["parallelism"] as? Int, completions = spec["completions"] as? Int
            XCTAssertNotNil(completions, "\(job.label): no completions")
            XCTAssertEqual(parallelism, completions, "\(job.label): parallelism must equal completions (one pod per worker)")
            let restart = job.podSpec?["restartPolicy"] as? String
            XCTAssertTrue(restart == "OnFailure" || restart == "Never", "\(job.label): a Job's pods need restartPolicy OnFailure or Never")
        }
    }

    func testReferencedConfigMapsSecretsAndClaimsExist() throws {
        let configMaps = Set(documents("ConfigMap").map(\.name)).union(generated("configMapGenerator"))
        let secrets = Set(documents("Secret").map(\.name)).union(generated("secretGenerator"))
        let claims = Set(documents("PersistentVolumeClaim").map(\.name))
        var secretsUsed = 0
        for workload in workloads {
            for volume in workload.volumes {
                if let name = (volume["configMap"] as? [String: Any])?["name"] as? String {
                    XCTAssertTrue(configMaps.contains(name), "\(workload.label): ConfigMap \(name) is not defined")
                }
                if let name = (volume["secret"] as? [String: Any])?["secretName"] as? String {
                    secretsUsed += 1
                    XCTAssertTrue(secrets.contains(name), "\(workload.label): Secret \(name) is not defined or generated")
                }
                if let name = (volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String {
                    XCTAssertTrue(claims.contains(name), "\(workload.label): PersistentVolumeClaim \(name) is not defined")
                }
            }
        }
        XCTAssertGreaterThan(secretsUsed, 0, "the keys should come from a Secret")
    }

    func testTheServiceReachesTheCoordinatorOnItsBindPortAndWorkersConnectToIt() throws {
        let coordinators = workloads.filter { $0.containers.map(Container.init).contains { $0.args.first == "coordinator" } }
        XCTAssertEqual(coordinators.count, 1, "expected one coordinator workload")
        let coordinator = try XCTUnwrap(coordinators.first)
        let container = try XCTUnwrap(coordinator.containers.map(Container.init).first { $0.args.first == "coordinator" })
        let bind = try XCTUnwrap(container.option("--bind"), "the coordinator needs --bind (it defaults to loopback)")
        let bindPort = try XCTUnwrap(Int(bind.split(separator: ":").last ?? ""), "--bind \(bind) has no port")
        XCTAssertFalse(bind.contains("127.0.0.1"), "a coordinator bound to loopback is unreachable from workers")

        var services: [String: Set<Int>] = [:]
        for service in documents("Service") {
            let spec = service.body["spec"] as? [String: Any] ?? [:]
            let selector = spec["selector"] as? [String: String] ?? [:]
            let selected = workloads.filter { workload in selector.allSatisfy { workload.podLabels[$0.key] == $0.value } }
            XCTAssertEqual(selected.map(\.name), [coordinator.name], "\(service.label) must select exactly the coordinator's pods")
            for port in spec["ports"] as? [[String: Any]] ?? [] {
                let number = port["port"] as? Int ?? -1
                services[service.name, default: []].insert(number)
                XCTAssertEqual(number, bindPort, "\(service.label): port \(number) but the coordinator binds \(bind)")
                let target = port["targetPort"].map { "\($0)" } ?? "\(number)"
                let matches = container.ports.contains { "\($0["name"] ?? "")" == target || "\($0["containerPort"] ?? "")" == target }
                XCTAssertTrue(matches, "\(service.label): targetPort \(target) is not a port of the coordinator container")
                XCTAssertEqual(container.ports.first { "\($0["name"] ?? "")" == target || "\($0["containerPort"] ?? "")" == target }?["containerPort"] as? Int,
                               bindPort, "\(service.label): the container port differs from the --bind port")
            }
        }
        let workers = workloads.flatMap { $0.containers.map(Container.init) }.filter { $0.args.first == "worker" }
        XCTAssertFalse(workers.isEmpty)
        for worker in workers {
            let connect = try XCTUnwrap(worker.option("--connect"), "worker \(worker.name) has no --connect")
            let hostPort = connect.replacingOccurrences(of: "tcp://", with: "").split(separator: ":")
            XCTAssertEqual(hostPort.count, 2, "--connect \(connect)")
            let host = String(hostPort.first ?? ""), port = Int(hostPort.last ?? "") ?? -1
            XCTAssertTrue(services[host]?.contains(port) ?? false, "worker --connect \(connect) is not a Service name and port")
        }
    }

    func testContainersRunRealSubcommandsWithRealFlags() throws {
        let subcommands = try Dictionary(uniqueKeysWithValues: GuidanceHelp.products.map { ($0, try GuidanceHelp.subcommands(product: $0)) })
        XCTAssertTrue(subcommands["guidance"]?.contains("worker") == true, "could not read guidance --help: \(subcommands)")
        XCTAssertTrue(subcommands["guidance-coordinator"]?.contains("coordinator") == true, "could not read guidance-coordinator --help: \(subcommands)")
        var checked: [String: Int] = [:]
        for workload in workloads {
            for container in workload.containers.map(Container.init) {
                guard let product = container.command.last, let known = subcommands[product] else { continue }
                let subcommand = try XCTUnwrap(container.args.first, "\(workload.label) \(container.name): no subcommand")
                XCTAssertTrue(known.contains(subcommand), "\(workload.label): `\(product) \(subcommand)` does not exist")
                let flags = try GuidanceHelp.flags(of: subcommand, product: product)
                for flag in container.args where flag.hasPrefix("--") {
                    let name = String(flag.split(separator: "=").first ?? "")
                    XCTAssertTrue(flags.contains(name), "\(workload.label): `\(product) \(subcommand)` has no \(name)")
                }
                checked[product, default: 0] += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked["guidance"] ?? 0, 2, "the CPU and GPU worker Jobs run guidance")
        XCTAssertEqual(checked["guidance-coordinator"], 1, "the coordinator runs the coordinator product (no libtorch in its image)")
    }

    func testGPURequestsAndDeviceFlagsAgree() throws {
        var gpuWorkers = 0
        for workload in workloads {
            for container in workload.containers.map(Container.init) where container.args.first == "worker" {
                let limits = container.resources["limits"] as? [String: Any] ?? [:]
                let wantsGPU = limits["nvidia.com/gpu"] != nil
                let device = container.option("--device") ?? "cpu"
                XCTAssertEqual(wantsGPU, device.hasPrefix("cuda"), "\(workload.label): a GPU limit goes with --device cuda, and only then")
                if wantsGPU { gpuWorkers += 1 }
            }
        }
        XCTAssertGreaterThan(gpuWorkers, 0, "the GPU worker option is documented by a GPU Job")
    }

    func testTheCoordinatorReadsAManifestFromTheConfigMapThatPlans() throws {
        let coordinator = try XCTUnwrap(workloads.first { $0.containers.map(Container.init).contains { $0.args.first == "coordinator" } })
        let container = try XCTUnwrap(coordinator.containers.map(Container.init).first { $0.args.first == "coordinator" })
        let path = try XCTUnwrap(container.args.dropFirst().first { !$0.hasPrefix("--") })
        // Which mounted ConfigMap key is that file?
        var yaml: String?
        for mount in container.mounts {
            guard let mountPath = mount["mountPath"] as? String, path.hasPrefix(mountPath + "/"),
                  let volume = coordinator.volumes.first(where: { $0["name"] as? String == mount["name"] as? String }),
                  let configMap = (volume["configMap"] as? [String: Any])?["name"] as? String,
                  let document = documents("ConfigMap").first(where: { $0.name == configMap }) else { continue }
            let key = String(path.dropFirst(mountPath.count + 1))
            yaml = (document.body["data"] as? [String: Any])?[key] as? String
        }
        let manifest = try XCTUnwrap(yaml, "the coordinator's manifest \(path) is not a key of a mounted ConfigMap")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("k8s-manifest-\(getpid()).yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let product = try XCTUnwrap(container.command.last)
        let (status, output) = try GuidanceHelp.run(["plan", file.path, "--limit", "1"], product: product)
        XCTAssertEqual(status, 0, "\(product) plan rejects the ConfigMap's manifest: \(output)")
    }
}
