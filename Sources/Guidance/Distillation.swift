import Models
import Torch

/// The distillation baseline (method.md §5; Hinton et al.): τ² · KL(softmax(teacher/τ) ‖ softmax(student/τ)), the
/// guide's output logits as the teacher. Averaged over examples for class outputs; for per-position outputs over the
/// scored positions only (targets ≠ ignore index), so padding and blanks do not count.
enum Distillation {
    /// student, teacher: [N, K] or [N, T, V]; targets: [N] or [N, T].
    static func loss(student: Tensor, teacher: Tensor, targets: Tensor, temperature tau: Double) throws -> Tensor {
        let v = student.size(-1)
        let p = try (teacher / tau).softmax(dim: -1).reshape([-1, v])
        let logQ = try (student / tau).logSoftmax(dim: -1).reshape([-1, v])
        // KL per row: Σ p (log p − log q); p log p is 0 where p is 0.
        let logP = try p.clamp(min: 1e-30).log()
        let perRow = try (p * (logP - logQ)).sum(dim: 1)
        let scored = try targets.reshape([-1]).ne(Double(defaultIgnoreIndex)).to(perRow.dtype)
        let count = try scored.sum().clamp(min: 1)
        return try (perRow * scored).sum() / count * (tau * tau)
    }
}
