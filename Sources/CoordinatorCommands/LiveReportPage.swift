import Foundation
import Report
import Sweep
import Wire

/// The live report page: the same HTML as `guidance report` for what the results directory holds now, with a
/// "Live" section (progress, adaptive seeds, workers, ETA) and a small inline script that asks `/state` (which
/// answers when results.jsonl changes, or after a while) and swaps in the new page. No external assets.
enum LiveReportPage {
    /// What `/state` answers and the page compares: the size of results.jsonl in bytes (0 before the first record).
    static func version(of directory: URL) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("results.jsonl").path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func render(directory: URL, status: StatusReply?, finished: Bool) -> String {
        let version = Self.version(of: directory)
        var html: String
        var added: Int?
        do {
            let results = try SweepResults.load(directory: directory, checkManifest: false)
            html = HTMLReport(results: results, similarities: [], generatedAt: .now()).render()
            if results.manifest?.seedPolicy != nil { added = addedJobs(in: directory) }
        } catch {
            html = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Guidance report</title>\n<style>\n\(HTMLReport.css)</style>\n</head>\n<body>\n<header><h1>Guidance report</h1><p class=\"sub\">\(XML.escape(directory.path))</p></header>\n<p class=\"note\">No records yet.</p>\n</body>\n</html>\n"
        }
        html = html.replacingOccurrences(of: "</head>", with: "<script>\n\(script)</script>\n</head>")
        let body = "<body data-version=\"\(version)\" data-finished=\"\(finished)\">\n" + live(status: status, finished: finished, added: added)
        if let range = html.range(of: "<body>\n") { html.replaceSubrange(range, with: body) }
        return html
    }

    /// Progress, adaptive seeds, ETA and workers with the job each runs.
    /// Jobs adaptive seeds added so far (`added` events in journal.jsonl).
    static func addedJobs(in directory: URL) -> Int {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("journal.jsonl").path) else { return 0 }
        return data.split(separator: 0x0a).filter { String(decoding: $0, as: UTF8.self).contains("\"added\"") }.count
    }

    static func live(status: StatusReply?, finished: Bool, added: Int? = nil) -> String {
        var h = "<section id=\"live\"><h2>Live</h2>\n"
        guard let status else {
            return h + "<p class=\"note\" id=\"live-state\">\(finished ? "finished" : "waiting for the coordinator")</p></section>\n"
        }
        let jobs = status.jobs
        let recorded = (jobs["done"] ?? 0) + (jobs["failed"] ?? 0)
        let state = finished ? "finished" : (status.draining == true ? "draining" : "running")
        h += "<p class=\"note\" id=\"live-state\">\(state); refreshed when a record lands</p>\n<table class=\"kv\">\n"
        func row(_ key: String, _ value: String) { h += "<tr><th>\(XML.escape(key))</th><td>\(XML.escape(value))</td></tr>\n" }
        row("jobs", "\(recorded) of \(status.total) recorded (\(jobs["done"] ?? 0) done, \(jobs["failed"] ?? 0) failed), \(jobs["running"] ?? 0) running, \(jobs["queued"] ?? 0) queued, \(jobs["waiting"] ?? 0) waiting")
        if let added { row("adaptive seeds", "\(added) job(s) added to cells whose interval was still open") }
        row("elapsed", status.elapsedSeconds.map(StatusText.clock) ?? "—")
        row("ETA", status.etaSeconds.map(StatusText.clock) ?? "— (after the first record)")
        h += "</table>\n<table><tr><th>worker</th><th>host</th><th>free slots</th><th>running</th></tr>\n"
        for worker in status.workers {
            let running = worker.leases.map { lease in
                (lease.summary ?? lease.job?.short ?? lease.lease.rawValue) + (lease.totalSteps.map { " step \(lease.step)/\($0)" } ?? "")
            }.joined(separator: "; ")
            h += "<tr><td>\(XML.escape(worker.worker))</td><td>\(XML.escape(worker.host))</td><td class=\"num\">\(worker.slots)</td><td>\(XML.escape(running))</td></tr>\n"
        }
        return h + "</table>\n<p class=\"note\">With adaptive seeds the job count grows as seeds are added to cells whose interval is still open; each matrix cell shows its seeds (won/paired) and what is pending.</p></section>\n"
    }

    /// Long-polls `/state?since=VERSION`; on an answer, fetches the page again and swaps the body in.
    static let script = """
    (function () {
      var stopped = false;
      function poll() {
        var since = document.body.getAttribute('data-version');
        fetch('/state?since=' + since, {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (s) {
          return fetch('/', {cache: 'no-store'}).then(function (r) { return r.text(); }).then(function (html) {
            var doc = new DOMParser().parseFromString(html, 'text/html');
            var updates = Number(document.body.getAttribute('data-updates') || '0') + (String(s.version) !== since ? 1 : 0);
            document.body.innerHTML = doc.body.innerHTML;
            ['data-version', 'data-finished'].forEach(function (a) { document.body.setAttribute(a, doc.body.getAttribute(a)); });
            document.body.setAttribute('data-updates', String(updates));
            if (s.finished) { stopped = true; }
          });
        }).then(function () { if (!stopped) { setTimeout(poll, 200); } }, function () {
          stopped = true;
          document.body.setAttribute('data-disconnected', 'true');
          var el = document.getElementById('live-state');
          if (el) { el.textContent = 'disconnected: the sweep ended or its coordinator stopped (reload to retry)'; }
        });
      }
      window.addEventListener('load', poll);
    })();

    """
}
