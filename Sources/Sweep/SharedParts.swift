/// The distinct values of one spec part (tasks, models, training settings, ...) that the jobs of a plan are made of,
/// each stored once with its canonical JSON encoded once; a job refers to a value by its position here.
///
/// Why: a grid of a million jobs has a handful of tasks, models and settings but a million combinations of them.
/// Holding one full `JobSpec` per job repeats every part in every job (hundreds of bytes each), and encoding the
/// parts per job repeats the same JSON a million times. With the parts shared, a job is a few indices and a seed, and
/// its canonical JSON (hence its id) is the pre-encoded parts put side by side (`PlanParts.prefix`, `tail`).
///
/// Values are told apart by `Hashable` equality; two unequal values with the same canonical JSON (models that
/// differ only in their `label`) are kept apart here and collapse later, as jobs with the same id do.
struct SharedParts<Value: Hashable & CanonicalEncodable & Sendable>: Sendable {
    /// The values, in the order they were first interned.
    private(set) var values: [Value] = []
    /// `CanonicalJSON.bytes(values[i])`.
    private(set) var canonical: [[UInt8]] = []
    private var positions: [Value: Int32] = [:]

    /// The position of `value`, adding it (and encoding it) the first time it is seen.
    mutating func intern(_ value: Value) -> Int32 {
        if let position = positions[value] { return position }
        let position = Int32(values.count)
        values.append(value)
        canonical.append(CanonicalJSON.bytes(value))
        positions[value] = position
        return position
    }

    subscript(position: Int32) -> Value { values[Int(position)] }
}
