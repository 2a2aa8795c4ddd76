import Foundation
import Store
import Sweep
import XCTest

/// Appends that fail part way (a full disk) leave the files as they were, and the store works again after.
final class StoreWriteFaultTests: XCTestCase {
    func testFailedAppendsLeaveBothFilesUntouchedAndTheRecordUnstored() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try plan(smallManifest)
        let fault = StoreWriteFault()
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p, fault: fault)
        try store.record(record(for: p.jobs[0]))
        try store.append(JournalEvent(.queued, job: p.jobs[0].id))
        let results = try Data(contentsOf: store.resultsURL)
        let journal = try Data(contentsOf: store.journalURL)

        fault.isFailing = true
        XCTAssertThrowsError(try store.record(record(for: p.jobs[1]))) { error in
            guard case .io(let path, let reason)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, store.resultsURL.path)
            XCTAssertTrue(reason.contains("No space left on device"), reason)
        }
        XCTAssertThrowsError(try store.append([JournalEvent(.leased, job: p.jobs[1].id), JournalEvent(.queued, job: p.jobs[2].id)]))
        XCTAssertThrowsError(try store.probeWritable())
        XCTAssertEqual(try Data(contentsOf: store.resultsURL), results, "a failed record append left bytes behind")
        XCTAssertEqual(try Data(contentsOf: store.journalURL), journal, "a failed journal append left bytes behind")
        XCTAssertNil(store.completed[p.jobs[1].id], "a record that was not written does not count")

        fault.isFailing = false
        try store.probeWritable()
        try store.record(record(for: p.jobs[1]))
        let reopened = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(reopened.recoveryNotes, [], "nothing to repair: the failed appends were rolled back")
        XCTAssertEqual(try reopened.records().map(\.id), [p.jobs[0].id, p.jobs[1].id])
        XCTAssertEqual(try reopened.journalEvents().count, 1)
    }
}
