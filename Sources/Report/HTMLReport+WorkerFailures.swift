extension HTMLReport {
    /// "Failures by worker": expired leases, failed attempts and failed records per worker (from the journal);
    /// empty when no worker failed anything.
    func failuresByWorkerTable(_ failures: WorkerFailures) -> String {
        guard !failures.rows.isEmpty else { return "" }
        var h = "<h3>Failures by worker (\(failures.rows.count))</h3>\n"
        h += "<p class=\"note\">From journal.jsonl: leases that expired while the worker held them, attempts it reported failed (run again), and jobs recorded failed in its name.</p>\n"
        h += "<table><tr><th>worker</th><th>leases expired</th><th>failed attempts</th><th>recorded failed</th></tr>\n"
        for row in failures.rows.prefix(200) {
            h += "<tr><td><code>\(XML.escape(row.worker))</code></td><td>\(row.expired)</td><td>\(row.failedAttempts)</td><td>\(row.recordedFailed)</td></tr>\n"
        }
        return h + "</table>\n"
    }
}
