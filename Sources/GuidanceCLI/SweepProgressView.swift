import CoordinatorCommands
import Foundation
import Wire

/// The live block `guidance sweep` shows on standard error: job counts with ETA, then one line per worker
/// with its job and step. Redrawn in place on a terminal; on a pipe, the counts line every few seconds.
final class SweepProgressView {
    private let interactive = isatty(STDERR_FILENO) != 0
    private var drawnLines = 0
    private var lastPlain = Date.distantPast
    private var lastHead = ""

    func show(_ status: StatusReply) {
        let lines = StatusText.lines(status, width: terminalWidth(), maxJobLines: 16)
        if interactive {
            var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)A" : ""
            for line in lines { text += "\r\u{1B}[2K" + line + "\n" }
            if lines.count < drawnLines {
                for _ in lines.count..<drawnLines { text += "\r\u{1B}[2K\n" }
                text += "\u{1B}[\(drawnLines - lines.count)A"
            }
            drawnLines = lines.count
            FileHandle.standardError.write(Data(text.utf8))
        } else if let head = lines.first, head != lastHead, Date().timeIntervalSince(lastPlain) >= 5 {
            lastPlain = Date()
            lastHead = head
            FileHandle.standardError.write(Data((head + "\n").utf8))
        }
    }

    private func terminalWidth() -> Int {
        var size = winsize()
        if interactive, ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) - 1 }
        return 120
    }
}
