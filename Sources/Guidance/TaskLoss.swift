import Foundation
public import Models
public import Torch

/// Cross-entropy of a model's logits against a batch's targets, whatever the output kind: logits [N, K] against
/// [N], or [N, T, V] against [N, T] with ignored positions (`ignoreIndex`) excluded from the mean.
public enum TaskLoss {
    public static func crossEntropy(_ logits: Tensor, _ targets: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        if logits.rank == 2 { return try logits.crossEntropy(targets, reduction: reduction) }
        let v = logits.size(-1)
        return try logits.reshape([-1, v]).crossEntropy(targets.reshape([-1]), reduction: reduction)
    }
}

/// Sums of a task's metrics over evaluation batches; `values` turns them into means.
struct MetricAccumulator {
    private(set) var lossSum = 0.0
    private(set) var correct = 0.0
    private(set) var correctTop5 = 0.0
    private(set) var scored = 0.0
    private(set) var predictions: [Int] = []
    let output: ModelOutput
    let recordPredictions: Bool

    init(output: ModelOutput, recordPredictions: Bool = false) {
        self.output = output
        self.recordPredictions = recordPredictions
    }

    /// Adds one batch (call under no-grad).
    mutating func add(logits: Tensor, targets: Tensor) throws {
        lossSum += try TaskLoss.crossEntropy(logits, targets, reduction: .sum).item()
        let flatLogits = logits.rank == 2 ? logits : try logits.reshape([-1, logits.size(-1)])
        let flatTargets = try targets.reshape([-1])
        let valid = try flatTargets.ne(Double(defaultIgnoreIndex))
        let predicted = try flatLogits.argmax(dim: 1)
        correct += try (predicted.eq(flatTargets).logicalAnd(valid)).sum().item()
        scored += try valid.sum().item()
        if case .classes(let k) = output, k > 5 {
            let top = try flatLogits.topk(5, dim: 1).indices
            correctTop5 += try top.eq(flatTargets.unsqueeze(dim: 1)).any([1]).sum().item()
        }
        if recordPredictions, case .classes = output {
            predictions += try predicted.int64s().map { Int($0) }
        }
    }

    /// Metric values by name: loss and accuracy (classes, plus top5_accuracy above 5 classes), loss and
    /// token_accuracy (per-token), loss, perplexity and token_accuracy (next-token).
    var values: [String: Double] {
        let n = Swift.max(scored, 1)
        let loss = lossSum / n
        switch output {
        case .classes(let k):
            var v = ["loss": loss, "accuracy": correct / n]
            if k > 5 { v["top5_accuracy"] = correctTop5 / n }
            return v
        case .perToken:
            return ["loss": loss, "token_accuracy": correct / n]
        case .nextToken:
            return ["loss": loss, "perplexity": exp(loss), "token_accuracy": correct / n]
        }
    }

    /// Names `values` has for `output` (without split prefix).
    static func names(_ output: ModelOutput) -> [String] {
        switch output {
        case .classes(let k): k > 5 ? ["loss", "accuracy", "top5_accuracy"] : ["loss", "accuracy"]
        case .perToken: ["loss", "token_accuracy"]
        case .nextToken: ["loss", "perplexity", "token_accuracy"]
        }
    }

    /// Every metric name a job's record can carry for `output`: `train_`/`val_`/`test_`/`test_at_best_val_` + each
    /// of `names`, `best_val_step`, `guidance_loss`.
    static func recordMetricNames(_ output: ModelOutput) -> Set<String> {
        var all: Set<String> = ["best_val_step", "guidance_loss"]
        for prefix in ["train_", "val_", "test_", "test_at_best_val_"] { for name in names(output) { all.insert(prefix + name) } }
        return all
    }

    /// The metric curves report: accuracy, token accuracy, or perplexity for language models.
    static func primaryMetric(_ output: ModelOutput) -> String {
        switch output {
        case .classes: "accuracy"
        case .perToken: "token_accuracy"
        case .nextToken: "perplexity"
        }
    }
}
