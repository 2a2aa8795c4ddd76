import CTorch

/// A seeded random-number generator (libtorch's CPU Philox/MT generator). Values drawn with it are
/// produced on the CPU and then moved to the requested device, so a seed gives the same numbers on
/// every device. Not safe to share between threads while drawing.
public final class Generator: @unchecked Sendable {
    let handle: tt_generator

    public init(seed: UInt64) {
        var out: tt_generator?
        // Creating a CPU generator cannot fail short of memory exhaustion.
        precondition(tt_generator_new(seed, &out) == 0 && out != nil, "cannot create a generator: \(String(cString: tt_last_error()))")
        handle = out!
    }

    deinit { tt_generator_free(handle) }
}

@inline(__always)
func withGenerator<R>(_ generator: Generator?, _ body: (tt_generator?) throws -> R) rethrows -> R {
    try withExtendedLifetime(generator) { try body(generator?.handle) }
}
