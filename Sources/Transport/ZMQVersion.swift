import CZeroMQ

/// A libzmq version number.
public struct ZMQVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (lhs: ZMQVersion, rhs: ZMQVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}

/// The version of the libzmq linked at run time (`zmq_version`), e.g. 4.3.4.
public func zmqVersion() -> ZMQVersion {
    var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return ZMQVersion(major: Int(major), minor: Int(minor), patch: Int(patch))
}

/// Whether the linked libzmq supports CURVE security (`zmq_has("curve")`).
public func hasCurve() -> Bool {
    zmq_has("curve") != 0
}
