import Foundation
import Mustache

/// `index.html`: every rendered note with its cells and failures, linked relative to the
/// index, and the notes that could not be read with their `file:line` error.
public struct IndexRenderer: Sendable {
  public var layout: OutputLayout

  public init(layout: OutputLayout) {
    self.layout = layout
  }

  /// Notes are listed in reading order (`ReadingOrder`), each with its verdicts in
  /// `check`'s words; `checks` holds `NoteCheck(result)` for each of `results`, in the same
  /// order. `kept` are the pages of notes an earlier run rendered into the folder, listed as
  /// they were then.
  public func render(
    _ results: [NoteResult], checks: [NoteCheck], unreadable: [NoteError] = [], kept: [PageRecord] = [],
    liveReloadScript: String? = nil
  ) -> String {
    let fresh = zip(results, checks).map { result, check in
      (
        ReadingOrder.Place(result.note),
        Self.entry(
          title: result.note.title, path: result.note.file, page: layout.page(for: result.note),
          cells: result.note.cells.count, counts: check.counts, index: layout.index)
      )
    }
    let earlier = kept.compactMap { record in
      record.page.map {
        (
          ReadingOrder.Place(record),
          Self.entry(
            title: record.title, path: record.file, page: layout.output.appendingPathComponent($0),
            cells: record.cells, counts: record.counts, index: layout.index)
        )
      }
    }
    let notes = ReadingOrder(roots: results.map(\.note.root)).sorted(fresh + earlier) { $0.0 }.map(\.1)
    let keptProblems = kept.compactMap { record in
      record.problem.map { NoteError(file: record.file, line: $0.line, message: $0.message) }
    }
    let problems = (unreadable + keptProblems).sorted { ($0.file, $0.line) < ($1.file, $1.line) }.map {
      IndexView.Problem(location: "\($0.file):\($0.line)", problem: $0.message)
    }
    let cells = results.reduce(0) { $0 + $1.note.cells.count } + kept.reduce(0) { $0 + $1.cells }
    let counts = ([CheckCounts(checks)] + kept.map(\.counts)).reduce(
      CheckCounts(passed: 0, failed: 0, skipped: 0)
    ) {
      CheckCounts(
        passed: $0.passed + $1.passed, failed: $0.failed + $1.failed, skipped: $0.skipped + $1.skipped)
    }
    var facts = [
      notes.count == 1 ? "1 note" : "\(notes.count) notes",
      cells == 1 ? "1 cell" : "\(cells) cells",
      counts.summary,
    ]
    if !problems.isEmpty {
      facts.append(problems.count == 1 ? "1 unreadable note" : "\(problems.count) unreadable notes")
    }
    let view = IndexView(
      css: Theme.standard.css, script: Theme.standard.script("page.js"),
      summary: facts.joined(separator: " · "),
      notes: notes,
      hasNotes: !notes.isEmpty, problems: problems, hasProblems: !problems.isEmpty,
      liveReloadScript: liveReloadScript)
    return Theme.standard.render(view, with: "index")
  }

  private static func entry(
    title: String, path: String, page: URL, cells: Int, counts: CheckCounts, index: URL
  ) -> IndexView.Entry {
    IndexView.Entry(
      noteTitle: title, path: path, href: OutputLayout.href(from: index, to: page),
      cellCount: cells == 1 ? "1 cell" : "\(cells) cells", outcome: counts.tally,
      outcomeStatus: counts.failed > 0 ? "failed" : counts.passed > 0 ? "passed" : "skipped")
  }
}

/// What index.mustache shows.
struct IndexView: MustacheParent {
  struct Entry: MustacheParent {
    var noteTitle: String
    var path: String
    var href: String
    var cellCount: String
    var outcome: String
    var outcomeStatus: String

    func child(named name: String) -> Any? {
      switch name {
      case "noteTitle": noteTitle
      case "path": path
      case "href": href
      case "cellCount": cellCount
      case "outcome": outcome
      case "outcomeStatus": outcomeStatus
      default: nil
      }
    }
  }

  struct Problem: MustacheParent {
    var location: String
    var problem: String

    func child(named name: String) -> Any? {
      switch name {
      case "location": location
      case "problem": problem
      default: nil
      }
    }
  }

  var css: String
  var script: String
  var summary: String
  var notes: [Entry]
  var hasNotes: Bool
  var problems: [Problem]
  var hasProblems: Bool
  var liveReloadScript: String?

  func child(named name: String) -> Any? {
    switch name {
    case "css": css
    case "script": script
    case "summary": summary
    case "notes": notes
    case "hasNotes": hasNotes
    case "problems": problems
    case "hasProblems": hasProblems
    case "liveReloadScript": liveReloadScript
    default: nil
    }
  }
}
