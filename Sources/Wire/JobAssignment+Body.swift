public import Foundation
import Sweep

extension JobAssignment {
    /// The JSON body of this JOB with the spec given as `specJSON`, the spec's JSON as `JSONCoding`'s encoder writes
    /// it: the same object `Message.job(self).encode()` sends (keys sorted), without encoding the spec again. A
    /// coordinator encodes each spec once and reuses the bytes for every attempt (and for the job's results line).
    public func body(specJSON: Data) -> Data {
        var writer = CanonicalJSON.Writer()
        writer.beginObject()
        writer.field("attempt", attempt)
        if let guideArtifact { writer.field("guide_artifact", guideArtifact) }
        writer.field("id", id.rawValue)
        writer.field("lease", lease.rawValue)
        writer.field("lease_seconds", leaseSeconds)
        writer.field("save_checkpoint", saveCheckpoint)
        writer.key("spec")
        writer.raw([UInt8](specJSON))
        writer.endObject()
        return Data(writer.bytes)
    }
}
