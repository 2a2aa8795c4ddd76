extension Duration {
    /// This duration in whole milliseconds, rounded up, clamped to `0...Int32.max` (the unit and
    /// range of libzmq's timeout options and `zmq_poll`).
    var clampedMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let limit = Int64(Int32.max) / 1000
        if seconds >= limit { return Int32.max }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let partial = (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        return Int32(clamping: seconds * 1000 + partial)
    }
}
