import Config
public import Foundation
public import Sweep

/// A results directory: the durable state of a sweep.
///
/// ```
/// <dir>/manifest.yaml        the manifest as run (its SHA-256 in manifest.sha256)
/// <dir>/journal.jsonl        every job state change, appended and fsync'd
/// <dir>/results.jsonl        one JobRecord per finished job, exactly once (the source of truth)
/// <dir>/results.csv          results.jsonl flattened, one row per job (rebuilt from it on open)
/// <dir>/artifacts/<sha256>.safetensors
/// <dir>/lock                 held (flock) by the one coordinator writing the directory (`DirectoryLock`)
/// ```
/// Not thread-safe: one owner (the coordinator's service loop) uses it.
public final class ResultStore {
    public let directory: URL
    public let artifacts: ArtifactStore
    /// Finished jobs (from results.jsonl), by id.
    public private(set) var completed: [JobID: JobOutcome] = [:]
    /// Failed attempts so far per job (requeue events in the journal), for retry budgets after a restart.
    public private(set) var failedAttempts: [JobID: Int] = [:]
    /// Jobs adaptive seeds added (`added` events in the journal), to bring back into the sweep after a restart.
    public private(set) var added: Set<JobID> = []
    /// The journal's `leased` events, as found at open, of jobs without a record that counts as final (none, or a
    /// failure that may run again): the leases of earlier coordinator runs that a restarted one still honours. Kept
    /// so that a restart does not read the journal a second time.
    public private(set) var leasesAtOpen: [JournalEvent] = []
    /// What opening had to repair (torn last lines), for the operator.
    public private(set) var recoveryNotes: [String] = []

    private let fault: StoreWriteFault?
    /// Held by a store opened for writing (`open(at:…)`), nil for a reader.
    private let lock: DirectoryLock?
    private let journal: AppendOnlyFile
    private let results: AppendOnlyFile
    private var columns = CSVColumns()
    private var specCells = SpecCells()
    private var csvHeader: [String] = []

    public var journalURL: URL { directory.appendingPathComponent("journal.jsonl") }
    public var resultsURL: URL { directory.appendingPathComponent("results.jsonl") }
    public var csvURL: URL { directory.appendingPathComponent("results.csv") }
    public var manifestURL: URL { directory.appendingPathComponent("manifest.yaml") }

    /// Opens `directory` for running `plan` (decoded from `manifestYAML`), creating it if needed.
    ///
    /// A new directory gets the manifest and its hash. An existing one is replayed (journal and results,
    /// torn last lines repaired) and its manifest compared with the new one: identical is fine; one whose
    /// plan contains every job of the stored one extends the run (the new manifest is stored, the old one
    /// kept as `manifest.<hash prefix>.yaml`); anything else throws `StoreError.manifestChanged`.
    ///
    /// The defaults the sweep started with are kept in `defaults.json`; a resume after one of them changed throws
    /// `StoreError.defaultsChanged` unless `acceptChangedDefaults` (see `checkDefaults`).
    ///
    /// `fault` is a test seam that makes journal and results appends fail like a full disk.
    public static func open(at directory: URL, manifestYAML: String, plan: Plan, acceptChangedDefaults: Bool = false,
                            fault: StoreWriteFault? = nil) throws -> ResultStore {
        try createDirectory(directory)
        let lock = try DirectoryLock(directory: directory)
        try checkManifest(in: directory, yaml: manifestYAML, plan: plan, acceptChangedDefaults: acceptChangedDefaults)
        return try ResultStore(directory: directory, fault: fault, lock: lock)
    }

    /// Opens an existing results directory without a manifest check (reports, inspection).
    public static func open(existing directory: URL) throws -> ResultStore {
        guard FileManager.default.fileExists(atPath: directory.path) else {
            throw StoreError.io(path: directory.path, reason: "no such results directory")
        }
        return try ResultStore(directory: directory)
    }

    private init(directory: URL, fault: StoreWriteFault? = nil, lock: DirectoryLock? = nil) throws {
        self.directory = directory
        self.fault = fault
        self.lock = lock
        artifacts = ArtifactStore(directory: directory.appendingPathComponent("artifacts"))
        do {
            try FileManager.default.createDirectory(at: artifacts.directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unwritable(path: artifacts.directory.path, reason: error.localizedDescription)
        }
        let events = try JSONLines.read(JournalEvent.self, from: directory.appendingPathComponent("journal.jsonl"))
        let records = try JSONLines.read(JobRecord.self, from: directory.appendingPathComponent("results.jsonl"))
        recoveryNotes = events.notes + records.notes
        for event in events.elements { failedAttempts[event.job, default: 0] += Self.failedAttemptChange(event) }
        for event in events.elements where event.kind == .added { added.insert(event.job) }
        for record in records.elements {
            if let earlier = completed[record.id], !earlier.isSupersedable {
                recoveryNotes.append("results.jsonl holds a second record for \(record.id); the first one counts")
                continue
            }
            completed[record.id] = record.outcome
        }
        journal = try AppendOnlyFile(path: directory.appendingPathComponent("journal.jsonl").path, fault: fault)
        results = try AppendOnlyFile(path: directory.appendingPathComponent("results.jsonl").path, fault: fault)
        AppendOnlyFile.syncDirectory(directory.path)
        leasesAtOpen = events.elements.filter { $0.kind == .leased && !hasFinalRecord($0.job) }
        try rewriteCSV(records.elements.effective)
    }

    // MARK: Journal

    /// Appends events stamped with `time`, then fsyncs once. All or nothing: on a failure (disk full) the
    /// journal is left as it was and the error thrown, so the caller can keep the events and try again.
    public func append(_ events: [JournalEvent], at time: Timestamp = .now()) throws {
        guard !events.isEmpty else { return }
        var bytes: [UInt8] = []
        let timeText = time.description
        for event in events { bytes += event.line(timeText: timeText) }
        let before = journal.length
        try journal.append(bytes)
        try journal.sync(truncatingTo: before)
        for event in events { failedAttempts[event.job, default: 0] += Self.failedAttemptChange(event) }
        for event in events where event.kind == .added { added.insert(event.job) }
    }

    /// Appends one event and fsyncs.
    public func append(_ event: JournalEvent, at time: Timestamp = .now()) throws {
        try append([event], at: time)
    }

    /// Every journal event so far.
    public func journalEvents() throws -> [JournalEvent] {
        try JSONLines.read(JournalEvent.self, from: journalURL).elements
    }

    /// Checks that the directory takes a small fsync'd write again (after a failure): appends a line to
    /// `.write-probe`, then removes it. Throws `StoreError` when it cannot.
    public func probeWritable() throws {
        let url = directory.appendingPathComponent(".write-probe")
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try AppendOnlyFile(path: url.path, fault: fault)
        try file.append(Array("probe\n".utf8))
        try file.sync()
    }

    // MARK: Results

    /// Stores the record of a finished job (fsync'd) and adds its CSV row.
    /// Throws `StoreError.duplicateRecord` when the job already has one, and `StoreError.io` when results.jsonl
    /// cannot be written (disk full, I/O error): then the file is left as it was and the record is *not*
    /// stored, so the caller can keep it and try again. results.csv is derived (rebuilt on open): failing to
    /// update it does not fail the record; it is rewritten whole by the next record that can.
    public func record(_ record: JobRecord) throws {
        let skipped = try self.record(contentsOf: [record])
        if let id = skipped.first { throw StoreError.duplicateRecord(id) }
    }

    /// Stores several records with one fsync (a busy coordinator's batch) and adds their CSV rows. Records of
    /// jobs that already have one (or repeat within the batch) are skipped; their ids are returned. A stored
    /// failure does not count as one: a job run again with `--retry-failed` gets a new record that replaces it.
    /// All or nothing: when results.jsonl cannot be written (disk full, failed fsync) the file is cut back to
    /// where it was, none of the batch counts, and `StoreError.io` is thrown, so the caller can keep the records
    /// and try again. results.csv is derived (rebuilt on open): failing to update it does not fail the batch;
    /// it is rewritten whole by the next batch that can.
    ///
    /// `specJSON`: the spec of some of the records already encoded (`JobSpec.jsonBytes`; the coordinator encodes each
    /// spec once, for its JOB); their lines and CSV rows use those bytes instead of encoding the spec again.
    @discardableResult
    public func record(contentsOf batch: [JobRecord], specJSON: [JobID: Data] = [:]) throws -> [JobID] {
        var skipped: [JobID] = []
        var fresh: [(record: JobRecord, spec: [UInt8])] = []
        var seen: Set<JobID> = []
        var bytes: [UInt8] = []
        for record in batch {
            guard !hasFinalRecord(record.id), seen.insert(record.id).inserted else {
                skipped.append(record.id)
                continue
            }
            let spec = specJSON[record.id].map { [UInt8]($0) } ?? record.spec.jsonBytes
            let line = ResultsLine.bytes(record, specJSON: spec)
            bytes += line
            fresh.append((record, spec))
        }
        guard !fresh.isEmpty else { return skipped }
        let before = results.length
        try results.append(bytes)
        try results.sync(truncatingTo: before)
        var csv: [UInt8] = []
        var rewrite = csvIsStale
        for (record, spec) in fresh {
            if completed[record.id] != nil { rewrite = true }  // replaces a failure (--retry-failed): drop its row
            completed[record.id] = record.outcome
            // The spec as stored in the line just written: the same JSON `RecordRow(record)` would encode.
            let row = RecordRow(record, specCells: specCells.cells(ofSpec: spec))
            if columns.absorb(row) { rewrite = true } else if !rewrite { CSV.append(line: columns.cells(row, header: csvHeader), to: &csv) }
        }
        do {
            if rewrite {
                try rewriteCSV(try records())
            } else {
                try appendCSV(csv)
            }
            csvIsStale = false
        } catch {
            csvIsStale = true
        }
        return skipped
    }

    /// results.csv missed rows after a write failure; the next record (or the next open) rewrites it.
    public private(set) var csvIsStale = false

    /// The records that count, one per job, in the order they were recorded (a failed record replaced by a
    /// later one of the same job, from `--retry-failed`: `Array.effective`).
    public func records() throws -> [JobRecord] {
        try JSONLines.read(JobRecord.self, from: resultsURL).elements.effective
    }

    /// Whether `job` has a record that a new one would not replace: any record but a failure (a failed job may
    /// be recorded again when it is run again with `--retry-failed`).
    public func hasFinalRecord(_ job: JobID) -> Bool {
        completed[job].map { !$0.isSupersedable } ?? false
    }

    // MARK: CSV

    private func rewriteCSV(_ records: [JobRecord]) throws {
        let rows = records.map(RecordRow.init)
        for row in rows { _ = columns.absorb(row) }
        csvHeader = columns.header
        var text: [UInt8] = []
        CSV.append(line: csvHeader, to: &text)
        for row in rows { CSV.append(line: columns.cells(row, header: csvHeader), to: &text) }
        let temporary = directory.appendingPathComponent(".results.csv.tmp")
        do {
            try Data(text).write(to: temporary)
            if rename(temporary.path, csvURL.path) != 0 {
                throw StoreError.io(path: csvURL.path, reason: "rename failed: " + AppendOnlyFile.errnoText())
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unwritable(path: csvURL.path, reason: error.localizedDescription)
        }
    }

    private func appendCSV(_ lines: [UInt8]) throws {
        let file = try AppendOnlyFile(path: csvURL.path)
        try file.append(lines)
    }

    /// How an event changes its job's count of failed attempts: +1 for `requeued`, -1 for `renewed` (that
    /// expiry was a false alarm), 0 otherwise.
    static func failedAttemptChange(_ event: JournalEvent) -> Int {
        switch event.kind {
        case .requeued: return 1
        case .renewed: return -1
        case .queued, .leased, .completed, .failed, .added: return 0
        }
    }
}
