public import Sweep

/// The checks every manifest passes before it is planned (`plan`, `coordinator`, `sweep`). An executable sets them
/// once in `main`, before any command runs: `guidance` the model builder's full checks (`RegistrySpecValidator`,
/// which needs libtorch); `guidance-coordinator` keeps the default, the checks it can make without libtorch.
public enum ManifestChecks {
    nonisolated(unsafe) public static var validators: [any SpecValidator] = [SchemaSpecValidator()]
}
