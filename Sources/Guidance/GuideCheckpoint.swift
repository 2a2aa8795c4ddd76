public import Foundation
import Models
import NN
public import Sweep
import Torch

/// A trained model saved for use as a guide: safetensors with the model's spec and task in the metadata, so a
/// checkpoint that does not belong to the guide a job names is refused before training.
public enum GuideCheckpoint {
    static let specKey = "guidance.model_spec"
    static let taskKey = "guidance.task_spec"

    /// The checkpoint bytes of `model`, with its spec and task recorded.
    static func encode(_ model: Model, spec: ModelSpec, task: TaskSpec) throws -> Data {
        try SafeTensors.encode(model.stateDict(), metadata: [
            specKey: CanonicalJSON.string(spec),
            taskKey: CanonicalJSON.string(task),
            "guidance.family": spec.family,
        ])
    }

    /// Loads `url` into `model` after checking that it was saved from `spec` on `task`; `role` names the model in
    /// error messages.
    static func load(into model: Model, spec: ModelSpec, task: TaskSpec, from url: URL, role: String = "the guide") throws {
        let metadata: [String: String]
        do {
            metadata = try SafeTensors.metadata(at: url)
        } catch {
            throw GuidanceError.guideCheckpoint("\(error)")
        }
        let expected = CanonicalJSON.string(spec)
        if let saved = metadata[specKey], saved != expected {
            throw GuidanceError.guideCheckpoint("\(url.path) was saved from model \(saved), but \(role) is \(expected)")
        }
        if let saved = metadata[taskKey], saved != CanonicalJSON.string(task) {
            throw GuidanceError.guideCheckpoint("\(url.path) was trained on task \(saved), but this job's task is \(CanonicalJSON.string(task))")
        }
        do {
            try model.load(from: url)
        } catch {
            throw GuidanceError.guideCheckpoint("\(error)")
        }
    }
}
