import Foundation
import Mustache

/// Turns a note and what running it produced into one self-contained HTML page: styles and
/// scripts inline, nothing fetched from the network (the site's note list and search index
/// are read from beside `index.html` when present; without them the page reads in full).
/// The prose is cmark-gfm's; each cell is replaced by its source, outputs, error and trace,
/// and each expected-output block is dropped (the cell shows what it actually printed, and
/// says so when that differs from the block).
public struct PageRenderer: Sendable {
  /// HTML inside a cell's collapsible trace section, for a cell of the note `noteFile`
  /// (places in it become links to the page's lines).
  public typealias TraceRendering = @Sendable (Trace, _ noteFile: String) -> String

  private let traceHTML: TraceRendering
  /// Show wall-clock times (the note's and each cell's); off, equal runs give equal pages.
  public var timings: Bool

  public init(trace: @escaping TraceRendering = PageRenderer.timelineAndTable, timings: Bool = false) {
    self.traceHTML = trace
    self.timings = timings
  }

  /// The page for `result`, judged by `check` (`NoteCheck(result)`). `indexHref` links back
  /// to the index (and places the site's navigation and search files beside it); links to
  /// other notes point to the pages `layout` gives them (without one, to the pages of the
  /// notes' own folder), and the navigation knows the open note by its page there;
  /// `liveReloadScript` is JavaScript source, put in a `<script>` element just before
  /// `</body>`.
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
    let prose = Self.prose(of: note, cells: cellHTML, anchors: cells.map(\.anchor))
    let labels = Dictionary(
      cells.map { ($0.anchor, "Cell \($0.number)") }, uniquingKeysWith: { first, _ in first })
    let page = PageView(
      title: note.title,
      titleHTML: prose.titleHTML,
      file: note.file,
      indexHref: indexHref,
      rootHref: Self.folder(of: indexHref),
      pagePath: layout.map { OutputLayout.href(from: $0.index, to: $0.page(for: note)) } ?? "",
      css: theme.css,
      script: theme.script("page.js"),
      toc: prose.outline.entries.filter { $0.level != 1 && $0.level <= 3 }.map { entry in
        PageView.TocEntry(
          tocAnchor: entry.anchor,
          tocText: entry.level == 0 ? labels[entry.anchor] ?? entry.text : entry.text,
          tocClass: entry.level == 0 ? "toc-cell" : "toc-h\(entry.level)")
      },
      facts: facts(result, check: check),
      cellMap: cells.map {
        PageView.CellChip(
          anchor: $0.anchor, chipNumber: $0.number, chipStatus: $0.status,
          chipSymbol: $0.statusSymbol, chipTitle: "Cell \($0.number) · \($0.statusLabel) · \($0.location)")
      },
      hasCells: !cells.isEmpty,
      body: NoteLinks.pointingToPages(
        prose.outline.html, from: note, layout: layout ?? OutputLayout(output: note.root, roots: [note.root])),
      timelineScript: cells.contains { $0.trace != nil } ? theme.script("timeline.js") : nil,
      liveReloadScript: liveReloadScript)
    return theme.render(page, with: "page")
  }

  /// The note's prose as HTML with `cells` in place of its cells (cells are `<section
  /// class="cell …" id="anchor">`), its title moved out, and ids on its headings.
  static func prose(of note: Note, cells cellHTML: [String], anchors: [String]) -> (
    titleHTML: String, outline: PageOutline
  ) {
    let outline = Markdown.outline(note.markdown)
    let body = Markdown.html(note.markdown) { index in
      guard index < note.codeBlocks.count else { return nil }
      switch note.codeBlocks[index].role {
      case .cell(let cell): return cell < cellHTML.count ? cellHTML[cell] : nil
      case .expectedOutput: return ""
      case .other(let language):
        guard let language, Self.isPython(language), index < outline.codeBlocks.count else { return nil }
        return Theme.standard.render(
          CodeBlockView(language: language, html: Highlighter.python(outline.codeBlocks[index].literal)),
          with: "code-block")
      }
    }
    let (titleHTML, prose) = Self.movingTitle(of: note, outline: outline, out: body)
    return (titleHTML, PageOutline(body: prose, reserved: Set(anchors)))
  }

  /// The folder part of a link to the index (`../`, or "" beside it): the output folder as
  /// seen from the page, where the site's navigation and search files are.
  static func folder(of indexHref: String?) -> String {
    guard let indexHref, let slash = indexHref.lastIndex(of: "/") else { return "" }
    return String(indexHref[...slash])
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
  public static func timelineAndTable(_ trace: Trace, noteFile: String) -> String {
    TimelineSection.html(trace, noteFile: noteFile)
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
struct PageView: MustacheParent {
  struct Fact: MustacheParent {
    var text: String
    /// "good", "bad" or "".
    var tone: String

    func child(named name: String) -> Any? {
      switch name {
      case "text": text
      case "tone": tone
      default: nil
      }
    }
  }

  /// A line of "On this page": a heading or a cell.
  struct TocEntry: MustacheParent {
    var tocAnchor: String
    var tocText: String
    /// "toc-h2", "toc-h3" or "toc-cell".
    var tocClass: String

    func child(named name: String) -> Any? {
      switch name {
      case "tocAnchor": tocAnchor
      case "tocText": tocText
      case "tocClass": tocClass
      default: nil
      }
    }
  }

  struct CellChip: MustacheParent {
    var anchor: String
    var chipNumber: Int
    var chipStatus: String
    var chipSymbol: String
    var chipTitle: String

    func child(named name: String) -> Any? {
      switch name {
      case "anchor": anchor
      case "chipNumber": chipNumber
      case "chipStatus": chipStatus
      case "chipSymbol": chipSymbol
      case "chipTitle": chipTitle
      default: nil
      }
    }
  }

  var title: String
  /// The title as HTML: escaped, or the note's own heading as cmark-gfm rendered it.
  var titleHTML: String
  var file: String
  var indexHref: String?
  /// The output folder, relative to this page ("", "../" …): where the site's scripts are.
  var rootHref: String
  /// This page's path inside the output folder.
  var pagePath: String
  var css: String
  var script: String
  var toc: [TocEntry]
  var hasToc: Bool { !toc.isEmpty }
  var facts: [Fact]
  var cellMap: [CellChip]
  var hasCells: Bool
  var body: String
  /// Zoom, pan and the detail panel of the timelines, on pages that have one.
  var timelineScript: String?
  var liveReloadScript: String?

  func child(named name: String) -> Any? {
    switch name {
    case "title": title
    case "titleHTML": titleHTML
    case "file": file
    case "indexHref": indexHref
    case "rootHref": rootHref
    case "pagePath": pagePath
    case "css": css
    case "script": script
    case "toc": toc
    case "hasToc": hasToc
    case "facts": facts
    case "cellMap": cellMap
    case "hasCells": hasCells
    case "body": body
    case "timelineScript": timelineScript
    case "liveReloadScript": liveReloadScript
    default: nil
    }
  }
}

/// A fence of Python that is not a cell, highlighted.
struct CodeBlockView: MustacheParent {
  var language: String
  var html: String

  func child(named name: String) -> Any? {
    switch name {
    case "language": language
    case "html": html
    default: nil
    }
  }
}
