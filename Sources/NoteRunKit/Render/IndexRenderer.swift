/// `index.html`: every rendered note with its cells and failures, linked relative to the
/// index, and the notes that could not be read with their `file:line` error.
public struct IndexRenderer: Sendable {
  public var layout: OutputLayout

  public init(layout: OutputLayout) {
    self.layout = layout
  }

  /// Notes are listed in path order, each with its verdicts in `check`'s words; `checks`
  /// holds `NoteCheck(result)` for each of `results`, in the same order.
  public func render(
    _ results: [NoteResult], checks: [NoteCheck], unreadable: [NoteError] = [],
    liveReloadScript: String? = nil
  ) -> String {
    let judged = zip(results, checks).sorted { $0.0.note.file < $1.0.note.file }
    let notes = judged.map { result, check in
      let counts = check.counts
      let cells = result.note.cells.count
      return IndexView.Entry(
        noteTitle: result.note.title, path: result.note.file,
        href: OutputLayout.href(from: layout.index, to: layout.page(for: result.note)),
        cellCount: cells == 1 ? "1 cell" : "\(cells) cells",
        outcome: counts.tally,
        outcomeStatus: counts.failed > 0 ? "failed" : counts.passed > 0 ? "passed" : "skipped")
    }
    let problems = unreadable.sorted { ($0.file, $0.line) < ($1.file, $1.line) }.map {
      IndexView.Problem(location: "\($0.file):\($0.line)", problem: $0.message)
    }
    let cells = results.reduce(0) { $0 + $1.note.cells.count }
    var facts = [
      notes.count == 1 ? "1 note" : "\(notes.count) notes",
      cells == 1 ? "1 cell" : "\(cells) cells",
      CheckCounts(checks).summary,
    ]
    if !problems.isEmpty {
      facts.append(problems.count == 1 ? "1 unreadable note" : "\(problems.count) unreadable notes")
    }
    let view = IndexView(
      css: Theme.standard.css, summary: facts.joined(separator: " · "), notes: notes,
      hasNotes: !notes.isEmpty, problems: problems, hasProblems: !problems.isEmpty,
      liveReloadScript: liveReloadScript)
    return Theme.standard.render(view, with: "index")
  }
}

/// What index.mustache shows.
struct IndexView {
  struct Entry {
    var noteTitle: String
    var path: String
    var href: String
    var cellCount: String
    var outcome: String
    var outcomeStatus: String
  }

  struct Problem {
    var location: String
    var problem: String
  }

  var css: String
  var summary: String
  var notes: [Entry]
  var hasNotes: Bool
  var problems: [Problem]
  var hasProblems: Bool
  var liveReloadScript: String?
}
