import Foundation
import Guidance

/// A live progress line on standard error: rewritten in place on a terminal, one line every few seconds otherwise.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let interactive: Bool
    private var lastPrinted = Date.distantPast
    private var printedSomething = false

    init(enabled: Bool) {
        self.enabled = enabled
        interactive = isatty(STDERR_FILENO) != 0
    }

    func show(_ p: TrainingProgress) {
        guard enabled else { return }
        guard interactive || Date().timeIntervalSince(lastPrinted) >= 5 || p.step == p.totalSteps else { return }
        lastPrinted = Date()
        var parts = ["\(p.phase.rawValue) \(p.step)/\(p.totalSteps)"]
        if let v = p.trainLoss { parts.append(String(format: "loss %.4f", v)) }
        if let v = p.guidanceLoss { parts.append(String(format: "guidance %.4f", v)) }
        if let v = p.valMetric { parts.append(String(format: "val %@ %.4f", p.metricName, v)) }
        if p.stepsPerSecond > 0 { parts.append(String(format: "%.1f steps/s", p.stepsPerSecond)) }
        if let eta = p.etaSeconds { parts.append("ETA \(Duration.seconds(eta).formatted(.time(pattern: .minuteSecond)))") }
        let text = parts.joined(separator: "  ")
        FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[2K" + text : text + "\n").utf8))
        printedSomething = true
    }

    func finish() {
        if enabled && interactive && printedSomething { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
