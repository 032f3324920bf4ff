/// `index.html`: every rendered note with its cells and failures, linked relative to the
/// index, and the notes that could not be read with their `file:line` error.
public struct IndexRenderer: Sendable {
  public var layout: OutputLayout

  public init(layout: OutputLayout) {
    self.layout = layout
  }

  /// Notes are listed in path order.
  public func render(_ results: [NoteResult], unreadable: [NoteError] = [], liveReloadScript: String? = nil)
    -> String
  {
    let notes = results.sorted { $0.note.file < $1.note.file }.map { result in
      let failures = result.failures.count
      let ran = result.cells.contains { $0.status != .notRun }
      let cells = result.note.cells.count
      return IndexView.Entry(
        noteTitle: result.note.title, path: result.note.file,
        href: OutputLayout.href(from: layout.index, to: layout.page(for: result.note)),
        cellCount: cells == 1 ? "1 cell" : "\(cells) cells",
        outcome: failures > 0 ? "\(failures) failed" : (ran ? "all ok" : "not run"),
        outcomeStatus: failures > 0 ? "error" : (ran ? "ok" : "not-run"))
    }
    let problems = unreadable.sorted { ($0.file, $0.line) < ($1.file, $1.line) }.map {
      IndexView.Problem(location: "\($0.file):\($0.line)", problem: $0.message)
    }
    let cells = results.reduce(0) { $0 + $1.note.cells.count }
    let failing = results.reduce(0) { $0 + $1.failures.count }
    var facts = [
      notes.count == 1 ? "1 note" : "\(notes.count) notes",
      cells == 1 ? "1 cell" : "\(cells) cells",
      failing == 1 ? "1 failure" : "\(failing) failures",
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
