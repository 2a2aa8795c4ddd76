/// The test metrics at the evaluation point with the best validation value of the task's primary metric
/// (`test_at_best_val_*` in a record): what early stopping on the validation split would have reported.
///
/// Filled by the training loop at each evaluation: when the validation value improves (strictly; the first
/// evaluation always does), the full test split is evaluated once. Nothing is recorded for a task without a
/// separate validation split (the loop then validates on the test split itself).
struct BestValidation {
    /// Primary metric name (`accuracy`, `token_accuracy`, `perplexity`) and whether lower is better.
    let metric: String
    let lowerIsBetter: Bool
    /// Best validation value so far and the step it was seen at.
    private(set) var best: (value: Double, step: Int)?
    /// Test metrics (by name, without split prefix) at `best`.
    private(set) var test: [String: Double] = [:]

    init(metric: String) {
        self.metric = metric
        lowerIsBetter = metric == "perplexity" || metric == "loss"
    }

    /// Whether `value` beats the best so far (non-finite values never do).
    func improves(_ value: Double?) -> Bool {
        guard let value, value.isFinite else { return false }
        guard let best else { return true }
        return lowerIsBetter ? value < best.value : value > best.value
    }

    mutating func record(value: Double, step: Int, test: [String: Double]) {
        best = (value, step)
        self.test = test
    }

    /// `test_at_best_val_<name>` for every test metric, plus `best_val_step`; empty before any evaluation.
    var metrics: [String: Double] {
        guard let best else { return [:] }
        var out: [String: Double] = ["best_val_step": Double(best.step)]
        for (name, value) in test { out["test_at_best_val_\(name)"] = value }
        return out
    }
}
