import Foundation

/// Turns a note and what running it produced into one self-contained HTML page: styles
/// inline, no script (unless live reload asks for one), nothing fetched from the network.
/// The prose is cmark-gfm's; each cell is replaced by its source, outputs, error and trace,
/// and each expected-output block is dropped (the cell shows what it actually printed, and
/// says so when that differs from the block).
public struct PageRenderer: Sendable {
  /// HTML inside a cell's collapsible trace section.
  public typealias TraceRendering = @Sendable (Trace) -> String

  private let traceHTML: TraceRendering
  /// Show wall-clock times (the note's and each cell's); off, equal runs give equal pages.
  public var timings: Bool

  public init(trace: @escaping TraceRendering = PageRenderer.timelineAndTable, timings: Bool = false) {
    self.traceHTML = trace
    self.timings = timings
  }

  /// The page for `result`, judged by `check` (`NoteCheck(result)`). `indexHref` links back
  /// to the index; links to other notes point to the pages `layout` gives them (without
  /// one, to the pages of the notes' own folder); `liveReloadScript` is JavaScript source,
  /// put in a `<script>` element just before `</body>`.
  public func render(
    _ result: NoteResult, check: NoteCheck, indexHref: String? = nil, layout: OutputLayout? = nil,
    liveReloadScript: String? = nil
  ) -> String {
    let note = result.note
    let theme = Theme.standard
    let results = Dictionary(result.cells.map { ($0.cell, $0) }, uniquingKeysWith: { first, _ in first })
    let unfinished = result.unfinishedTasksByCell
    let cells = zip(note.cells, check.cells).map { cell, cellCheck in
      CellView(
        cell: cell, result: results[cell.index] ?? CellResult(cell: cell.index, status: .notRun),
        check: cellCheck, unfinished: unfinished[cell.index] ?? [],
        note: note, timings: timings, traceHTML: traceHTML)
    }
    let cellHTML = cells.map { theme.render($0, with: "cell") }
    let outline = Markdown.outline(note.markdown)
    let body = Markdown.html(note.markdown) { index in
      guard index < note.codeBlocks.count else { return nil }
      switch note.codeBlocks[index].role {
      case .cell(let cell): return cell < cellHTML.count ? cellHTML[cell] : nil
      case .expectedOutput: return ""
      case .other(let language):
        guard let language, Self.isPython(language), index < outline.codeBlocks.count else { return nil }
        return theme.render(
          CodeBlockView(language: language, html: Highlighter.python(outline.codeBlocks[index].literal)),
          with: "code-block")
      }
    }
    let (titleHTML, prose) = Self.movingTitle(of: note, outline: outline, out: body)
    let page = PageView(
      title: note.title,
      titleHTML: titleHTML,
      file: note.file,
      indexHref: indexHref,
      css: theme.css,
      facts: facts(result, check: check),
      cellMap: cells.map {
        PageView.CellChip(
          anchor: $0.anchor, chipNumber: $0.number, chipStatus: $0.status,
          chipSymbol: $0.statusSymbol, chipTitle: "Cell \($0.number) · \($0.statusLabel) · \($0.location)")
      },
      hasCells: !cells.isEmpty,
      body: NoteLinks.pointingToPages(
        prose, from: note, layout: layout ?? OutputLayout(output: note.root, roots: [note.root])),
      timelineScript: cells.contains { $0.trace != nil } ? theme.script : nil,
      liveReloadScript: liveReloadScript)
    return theme.render(page, with: "page")
  }

  /// The page header shows the title; when the prose opens with it as a first-level
  /// heading, that heading (with its inline formatting) moves up into the header.
  private static func movingTitle(of note: Note, outline: Markdown.Outline, out body: String) -> (
    String, String
  ) {
    guard outline.openingHeading == note.title, body.hasPrefix("<h1>"), let end = body.range(of: "</h1>\n")
    else {
      return (HTMLEscape.escape(note.title), body)
    }
    let heading = body[body.index(body.startIndex, offsetBy: 4)..<end.lowerBound]
    return (String(heading), String(body[end.upperBound...]))
  }

  /// The default trace section: the timeline, then the event table (`TimelineSection`).
  public static func timelineAndTable(_ trace: Trace) -> String {
    TimelineSection.html(trace)
  }

  private static let pythonLanguages: Set<String> = [
    "python", "python3", "py", "py3", "pycon", "ipython", "ipython3",
  ]

  private static func isPython(_ language: String) -> Bool {
    pythonLanguages.contains(language.lowercased().trimmingCharacters(in: ["{", "}"]))
  }

  /// The header's facts: cells, the verdicts in `check`'s words, Python, clock, and with
  /// `timings` how long the note took.
  private func facts(_ result: NoteResult, check: NoteCheck) -> [PageView.Fact] {
    let count = result.note.cells.count
    let counts = check.counts
    guard count > 0 else { return [.init(text: counts.tally, tone: "")] }
    var facts = [
      PageView.Fact(text: count == 1 ? "1 cell" : "\(count) cells", tone: ""),
      PageView.Fact(text: counts.tally, tone: counts.failed > 0 ? "bad" : counts.passed > 0 ? "good" : ""),
    ]
    if let python = result.python { facts.append(.init(text: "Python \(python)", tone: "")) }
    let ran = result.cells.contains { $0.status != .notRun }
    if ran {
      let clocks = Set(result.cells.compactMap { $0.trace?.clock })
      let clock = clocks.count > 1 ? nil : clocks.first ?? result.note.frontMatter.clock ?? .virtual
      facts.append(.init(text: clock.map { "\($0.rawValue) clock" } ?? "virtual and real clocks", tone: ""))
      if timings { facts.append(.init(text: "ran in \(DurationText.format(result.seconds))", tone: "")) }
    }
    return facts
  }
}

/// What page.mustache shows.
struct PageView {
  struct Fact {
    var text: String
    /// "good", "bad" or "".
    var tone: String
  }

  struct CellChip {
    var anchor: String
    var chipNumber: Int
    var chipStatus: String
    var chipSymbol: String
    var chipTitle: String
  }

  var title: String
  /// The title as HTML: escaped, or the note's own heading as cmark-gfm rendered it.
  var titleHTML: String
  var file: String
  var indexHref: String?
  var css: String
  var facts: [Fact]
  var cellMap: [CellChip]
  var hasCells: Bool
  var body: String
  /// Zoom, pan and the detail panel of the timelines, on pages that have one.
  var timelineScript: String?
  var liveReloadScript: String?
}

/// A fence of Python that is not a cell, highlighted.
struct CodeBlockView {
  var language: String
  var html: String
}
