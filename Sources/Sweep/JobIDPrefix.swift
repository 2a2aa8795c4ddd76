import Crypto

/// The SHA-256 state after the head of a spec's canonical JSON (`JobSpec.appendCanonicalHead`: condition, guidance,
/// guide, guide state and kind, up to `"seed":`), from which the ids of every spec with that head are finished by
/// hashing only their tail (seed, target, task, training).
///
/// Why: the jobs of a grid share a few heads (the baseline's, and one per guide × guided setting × guide state), and a
/// head with its guidance settings is about half a spec's JSON; a planner hashes each head once instead of once per
/// job. The result is the same id as hashing the whole JSON (`JobID(canonicalJSON:)`).
struct JobIDPrefix {
    private let state: SHA256

    /// The state after hashing `head`.
    init(head: [UInt8]) {
        var state = SHA256()
        state.update(data: head)
        self.state = state
    }

    /// The id of the spec whose canonical JSON is this prefix's head followed by `tail`.
    func id(tail: [UInt8]) -> JobID {
        var hasher = state  // a copy: the shared state stays at the head
        hasher.update(data: tail)
        return JobID(sha256: hasher.finalize())
    }
}
