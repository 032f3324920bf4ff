import Foundation
import Mustache

/// What cell.mustache shows for one cell: a cell and its result, turned into plain text
/// (escaped by the template) and already-escaped HTML (`html` fields). Mustache finds
/// these by name (`child(named:)`), and looks up a missing name in the enclosing views, so
/// names differ between nesting levels.
struct CellView: MustacheParent {
  /// A line of the shown source.
  struct SourceLine {
    /// The line in the note: the anchor.
    var number: Int
    /// The number shown: the note's line, or counted from the cell's `linenums=` start.
    var shown: Int
    /// `hl_lines=` marks it.
    var highlighted: Bool
    var html: String
    /// The line the cell's error was raised at.
    var failing: Bool
  }

  /// Consecutive chunks of one stream from one writer, as a terminal shows them.
  struct OutputRun {
    var stream: String
    var runLabel: String?
    var html: String
  }

  struct Mismatch: MustacheParent {
    var expectedText: String
    var expectedLocation: String

    func child(named name: String) -> Any? {
      switch name {
      case "expectedText": expectedText
      case "expectedLocation": expectedLocation
      default: nil
      }
    }
  }

  struct ErrorBlock: MustacheParent {
    var errorTitle: String
    /// Escaped, with places in the note linked to their lines.
    var tracebackHTML: String?
    var expectedRaise: Bool
    var raisedAtHTML: String?

    func child(named name: String) -> Any? {
      switch name {
      case "errorTitle": errorTitle
      case "tracebackHTML": tracebackHTML
      case "expectedRaise": expectedRaise
      case "raisedAtHTML": raisedAtHTML
      default: nil
      }
    }
  }

  struct WaitingTask: MustacheParent {
    var taskName: String
    var awaiting: String
    /// The note's frames of its await chain, innermost first: escaped, with places in the
    /// note linked to their lines.
    var chainHTML: String?
    /// The standard library's frames, folded (one click shows them).
    var libraryChain: String?

    func child(named name: String) -> Any? {
      switch name {
      case "taskName": taskName
      case "awaiting": awaiting
      case "chainHTML": chainHTML
      case "libraryChain": libraryChain
      default: nil
      }
    }
  }

  struct Waiting: MustacheParent {
    var waitingTitle: String
    var tasks: [WaitingTask]

    func child(named name: String) -> Any? {
      switch name {
      case "waitingTitle": waitingTitle
      case "tasks": tasks
      default: nil
      }
    }
  }

  /// Tasks this cell created that the note never saw finish.
  struct Unfinished: MustacheParent {
    var unfinishedTitle: String
    var unfinishedTasks: [String]

    func child(named name: String) -> Any? {
      switch name {
      case "unfinishedTitle": unfinishedTitle
      case "unfinishedTasks": unfinishedTasks
      default: nil
      }
    }
  }

  struct TraceSection: MustacheParent {
    var traceSummary: String
    var traceHTML: String
    /// Async cells show their timeline open unless the cell or front matter says `closed`.
    var traceOpen: Bool

    func child(named name: String) -> Any? {
      switch name {
      case "traceSummary": traceSummary
      case "traceHTML": traceHTML
      case "traceOpen": traceOpen
      default: nil
      }
    }
  }

  var anchor: String
  var number: Int
  var name: String?
  /// `title=` (MkDocs), `filename=`: shown above the source.
  var caption: String?
  var status: String
  var statusLabel: String
  var statusSymbol: String
  var failed: Bool
  var location: String
  var line: Int
  var timing: String?
  var freshKernel: Bool
  var message: String?
  var matchesNote: Bool
  var mismatch: Mismatch?
  /// The shown source, one `<span class="line">` per line (`sourceHTML(_:)`).
  var sourceHTML: String?
  /// What the cell printed, run by run, then its value (`outputsHTML(_:value:)`).
  var outputsHTML: String
  /// Output or value to show: the output area's frame.
  var hasOutput: Bool
  /// Some run has a label: the output area gets a label column.
  var labelled: Bool
  var error: ErrorBlock?
  var dropped: String?
  var waiting: Waiting?
  var unfinished: Unfinished?
  var trace: TraceSection?

  /// Cells are many: the template's keys are answered here rather than through
  /// reflection, which swift-mustache repeats for every key (a test keeps this in step
  /// with the fields).
  func child(named name: String) -> Any? {
    switch name {
    case "anchor": anchor
    case "number": number
    case "name": self.name
    case "status": status
    case "statusLabel": statusLabel
    case "statusSymbol": statusSymbol
    case "failed": failed
    case "location": location
    case "line": line
    case "timing": timing
    case "freshKernel": freshKernel
    case "message": message
    case "caption": caption
    case "matchesNote": matchesNote
    case "mismatch": mismatch
    case "sourceHTML": sourceHTML
    case "outputsHTML": outputsHTML
    case "hasOutput": hasOutput
    case "labelled": labelled
    case "error": error
    case "dropped": dropped
    case "waiting": waiting
    case "unfinished": unfinished
    case "trace": trace
    default: nil
    }
  }

  /// The cell as its verdict judged it: the view shows the verdict, it does not judge.
  /// `timings` adds the wall-clock time the cell took, which differs run to run.
  init(
    cell: Cell, result: CellResult, check: CellCheck, unfinished: [UnfinishedTask], note: Note, timings: Bool,
    traceHTML: (Trace, String) -> String
  ) {
    let hidden = cell.options.hide
    let ran = result.status != .notRun
    let verdict = check.verdict
    anchor = cell.options.id ?? "cell-\(cell.index + 1)"
    number = cell.index + 1
    name = cell.options.id
    caption = cell.options.caption
    status = verdict.reason.code
    statusLabel = verdict.reason.words.label
    statusSymbol = verdict.symbol
    failed = verdict.failed
    location = note.location(cell.line)
    line = cell.line
    timing = ran ? Self.timing(result, clock: Self.clock(cell, result, note), timings: timings) : nil
    freshKernel = result.freshKernel
    // A raised error speaks for itself in the error block; other failures say why in the
    // verdict's words. A cell that passed may carry a note of the run (a fresh kernel).
    switch verdict.reason {
    case .raised(_, _, _, nil, _): message = result.message
    case _ where verdict.failed: message = verdict.reason.words.sentence
    default: message = result.message
    }

    matchesNote = ran && check.outputMatches == true && !hidden.contains(.output)
    if check.outputMatches == false, let expected = cell.expected, !hidden.contains(.output) {
      mismatch = Mismatch(expectedText: expected.text, expectedLocation: note.location(expected.line))
    }

    let failingLine = result.error.flatMap { ($0.file ?? note.file) == note.file ? $0.line : nil }
    if !hidden.contains(.source) {
      sourceHTML = Self.sourceHTML(Self.sourceLines(cell, failing: failingLine))
    }
    let outputRuns = hidden.contains(.output) ? [] : Self.runs(result.outputs)
    let valueHTML = hidden.contains(.output) ? nil : result.value.map(TerminalHTML.html)
    outputsHTML = Self.outputsHTML(outputRuns, value: valueHTML)
    hasOutput = !outputRuns.isEmpty || valueHTML != nil
    labelled = valueHTML != nil || outputRuns.contains { $0.runLabel != nil }
    if let raised = result.error, result.status != .expectedError || !hidden.contains(.output) {
      error = ErrorBlock(
        errorTitle: TerminalScreen.readerText(
          raised.message.isEmpty ? raised.type : "\(raised.type): \(raised.message)"),
        tracebackHTML: raised.traceback.isEmpty
          ? nil : LocationLinks.html(TerminalScreen.readerText(raised.traceback), file: note.file),
        expectedRaise: result.status == .expectedError,
        raisedAtHTML: raised.line.map {
          LocationLinks.html("\(raised.file ?? note.file):\($0)", file: note.file)
        })
    }
    if result.droppedBytes > 0 && !hidden.contains(.output) {
      dropped = "\(Self.grouped(result.droppedBytes)) bytes of output were dropped"
    }
    if !unfinished.isEmpty {
      self.unfinished = Unfinished(
        unfinishedTitle: unfinished.count == 1
          ? "Never finished: a task of this cell was still pending when the note ended"
          : "Never finished: \(unfinished.count) tasks of this cell were still pending when the note ended",
        unfinishedTasks: unfinished.map(\.description))
    }
    if let trace = result.trace {
      waiting = Self.waiting(trace, verdict: verdict, file: note.file)
      // A cell in which no asyncio task ran has nothing to show.
      if !hidden.contains(.trace) && cell.options.trace && !(trace.tasks.isEmpty && trace.events.isEmpty) {
        self.trace = TraceSection(
          traceSummary: Self.summary(trace), traceHTML: traceHTML(trace, note.file),
          traceOpen: cell.options.traceOpen ?? note.frontMatter.traceOpen ?? true)
      }
    }
  }

  /// The clock the cell's times are on: its trace says, else its options.
  private static func clock(_ cell: Cell, _ result: CellResult, _ note: Note) -> ClockMode {
    result.trace?.clock ?? cell.options.clock ?? note.frontMatter.clock ?? .virtual
  }

  /// The cell's time on its own clock; wall-clock time only with `timings` (under the real
  /// clock that is the cell's time, so it is shown only then too).
  private static func timing(_ result: CellResult, clock: ClockMode, timings: Bool) -> String? {
    let real = timings ? DurationText.format(result.seconds) : nil
    guard clock == .virtual else { return real }
    let virtual = "\(DurationText.format(result.clockSeconds)) virtual"
    return real.map { "\($0) · \(virtual)" } ?? virtual
  }

  /// Each shown line with its line in the note; a line count that disagrees with
  /// `sourceLines` (which the parser should never produce) falls back to counting from the
  /// first code line.
  /// Each line with its anchor `L<line in the note>`, a link to it showing its number, and
  /// its highlighted code. Built here rather than by a template section: lines are the
  /// many items of a page, and swift-mustache looks every key of every line up by name.
  static func sourceHTML(_ lines: [SourceLine]) -> String {
    var html = ""
    for line in lines {
      html +=
        "<span class=\"line\(line.highlighted ? " hl" : "")\(line.failing ? " failing" : "")\" id=\"L\(line.number)\">"
      html +=
        "<a class=\"ln\" href=\"#L\(line.number)\" data-n=\"\(line.shown)\" aria-label=\"line \(line.shown)\"></a>"
      html += line.html + "\n</span>"
    }
    return html
  }

  private static func sourceLines(_ cell: Cell, failing: Int?) -> [SourceLine] {
    guard !cell.source.isEmpty else { return [] }
    var lines = Highlighter.pythonLines(cell.source)
    if cell.source.hasSuffix("\n") { lines.removeLast() }
    return lines.enumerated().map { offset, html in
      let number =
        cell.sourceLines.count == lines.count ? cell.sourceLines[offset] : cell.codeLine + offset
      return SourceLine(
        number: number, shown: cell.options.lineNumberStart.map { $0 + offset } ?? number,
        highlighted: cell.options.highlightedLines.contains(offset + 1), html: html,
        failing: number == failing)
    }
  }

  /// Each run with its label (empty for the cell's own stdout), then the value labelled
  /// `Out`; built here like the source lines, a template section per run costing more.
  static func outputsHTML(_ runs: [OutputRun], value: String?) -> String {
    var html = ""
    for run in runs {
      html += "<div class=\"run \(HTMLEscape.escape(run.stream))\"><span class=\"run-label\">"
      html += HTMLEscape.escape(run.runLabel ?? "") + "</span>" + run.html + "</div>"
    }
    if let value {
      html += "<div class=\"run value\"><span class=\"run-label\">Out</span>" + value + "</div>"
    }
    return html
  }

  private static func runs(_ chunks: [OutputChunk]) -> [OutputRun] {
    var runs: [(OutputStream, String?, String)] = []
    for chunk in chunks where !chunk.text.isEmpty {
      if let last = runs.last, last.0 == chunk.stream, last.1 == chunk.task {
        runs[runs.count - 1].2 += chunk.text
      } else {
        runs.append((chunk.stream, chunk.task, chunk.text))
      }
    }
    return runs.map { stream, task, text in
      let label: String? =
        switch (stream, task) {
        case (.stdout, nil): nil
        case (.stderr, nil): "stderr"
        case (.stdout, let task?): "task \(task)"
        case (.stderr, let task?): "stderr · task \(task)"
        }
      return OutputRun(stream: stream.rawValue, runLabel: label, html: TerminalHTML.html(text))
    }
  }

  private static func waiting(_ trace: Trace, verdict: CellVerdict, file: String) -> Waiting? {
    guard !trace.waiting.isEmpty else { return nil }
    let names = Dictionary(trace.tasks.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    let title =
      switch verdict.reason {
      case .deadlock: verdict.reason.words.sentence
      case .timedOut, .kernelDied, .timeBudget: "Waiting when the cell was stopped"
      default: "Still waiting when the cell ended"
      }
    let tasks = trace.waiting.map { task in
      let library = task.chain.filter { $0.library == true }
      return WaitingTask(
        taskName: names[task.task] ?? "task \(task.task)", awaiting: task.what,
        chainHTML: task.chain.isEmpty
          ? nil : LocationLinks.html(TraceFormat.noteChain(task.chain), file: file),
        libraryChain: library.isEmpty || library.count == task.chain.count ? nil : TraceFormat.chain(library))
    }
    return Waiting(waitingTitle: title, tasks: tasks)
  }

  private static func summary(_ trace: Trace) -> String {
    let suspensions =
      trace.events.count { $0.kind == .suspend }
      + (trace.omitted?.sites.reduce(0) { $0 + $1.count } ?? 0)
    var parts = [
      trace.tasks.count == 1 ? "1 task" : "\(trace.tasks.count) tasks",
      suspensions == 1 ? "1 suspension" : "\(suspensions) suspensions",
      "\(DurationText.format(trace.end)) \(trace.clock == .virtual ? "virtual" : "real")",
    ]
    if let omitted = trace.omitted { parts.append("\(grouped(omitted.events)) events summarised") }
    return parts.joined(separator: " · ")
  }

  static func grouped(_ number: Int) -> String {
    let digits = Array(String(number))
    var text = ""
    for (offset, digit) in digits.enumerated() {
      if offset > 0 && (digits.count - offset) % 3 == 0 { text += "," }
      text.append(digit)
    }
    return text
  }
}
