import Foundation
import Mustache

/// What cell.mustache shows for one cell: a cell and its result, turned into plain text
/// (escaped by the template) and already-escaped HTML (`html` fields). Mustache finds
/// these by property name, and looks up a missing name in the enclosing views, so names
/// differ between nesting levels.
struct CellView {
  /// Lines are many: they answer the template by name instead of through reflection.
  struct SourceLine: MustacheParent {
    /// The line in the note: the anchor.
    var number: Int
    /// The number shown: the note's line, or counted from the cell's `linenums=` start.
    var shown: Int
    /// `hl_lines=` marks it.
    var highlighted: Bool
    var html: String

    func child(named name: String) -> Any? {
      switch name {
      case "number": number
      case "shown": shown
      case "highlighted": highlighted
      case "html": html
      default: nil
      }
    }
  }

  struct Source {
    var lines: [SourceLine]
  }

  /// Consecutive chunks of one stream from one writer, as a terminal shows them.
  struct OutputRun {
    var stream: String
    var runLabel: String?
    var html: String
  }

  struct Mismatch {
    var expectedText: String
    var expectedLocation: String
  }

  struct ErrorBlock {
    var errorTitle: String
    var traceback: String?
    var expectedRaise: Bool
    var raisedAt: String?
  }

  struct WaitingTask {
    var taskName: String
    var awaiting: String
    /// The note's frames of its await chain, innermost first.
    var chain: String?
    /// The standard library's frames, folded (one click shows them).
    var libraryChain: String?
  }

  struct Waiting {
    var waitingTitle: String
    var tasks: [WaitingTask]
  }

  /// Tasks this cell created that the note never saw finish.
  struct Unfinished {
    var unfinishedTitle: String
    var unfinishedTasks: [String]
  }

  struct TraceSection {
    var traceSummary: String
    var traceHTML: String
    /// Async cells show their timeline open unless the cell or front matter says `closed`.
    var traceOpen: Bool
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
  var source: Source?
  var outputRuns: [OutputRun]
  /// The trailing expression's repr, folded when long.
  var valueHTML: String?
  /// Output or value to show: the output area's frame.
  var hasOutput: Bool
  /// Some run has a label: the output area gets a label column.
  var labelled: Bool
  var error: ErrorBlock?
  var dropped: String?
  var waiting: Waiting?
  var unfinished: Unfinished?
  var trace: TraceSection?

  /// The cell as its verdict judged it: the view shows the verdict, it does not judge.
  /// `timings` adds the wall-clock time the cell took, which differs run to run.
  init(
    cell: Cell, result: CellResult, check: CellCheck, unfinished: [UnfinishedTask], note: Note, timings: Bool,
    traceHTML: (Trace) -> String
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

    if !hidden.contains(.source) {
      source = Source(lines: Self.sourceLines(cell))
    }
    outputRuns = hidden.contains(.output) ? [] : Self.runs(result.outputs)
    valueHTML = hidden.contains(.output) ? nil : result.value.map(TerminalHTML.html)
    hasOutput = !outputRuns.isEmpty || valueHTML != nil
    labelled = valueHTML != nil || outputRuns.contains { $0.runLabel != nil }
    if let raised = result.error, result.status != .expectedError || !hidden.contains(.output) {
      error = ErrorBlock(
        errorTitle: TerminalScreen.readerText(
          raised.message.isEmpty ? raised.type : "\(raised.type): \(raised.message)"),
        traceback: raised.traceback.isEmpty ? nil : TerminalScreen.readerText(raised.traceback),
        expectedRaise: result.status == .expectedError,
        raisedAt: raised.line.map { "\(raised.file ?? note.file):\($0)" })
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
      waiting = Self.waiting(trace, verdict: verdict)
      // A cell in which no asyncio task ran has nothing to show.
      if !hidden.contains(.trace) && cell.options.trace && !(trace.tasks.isEmpty && trace.events.isEmpty) {
        self.trace = TraceSection(
          traceSummary: Self.summary(trace), traceHTML: traceHTML(trace),
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
  private static func sourceLines(_ cell: Cell) -> [SourceLine] {
    guard !cell.source.isEmpty else { return [] }
    var lines = Highlighter.pythonLines(cell.source)
    if cell.source.hasSuffix("\n") { lines.removeLast() }
    return lines.enumerated().map { offset, html in
      let number =
        cell.sourceLines.count == lines.count ? cell.sourceLines[offset] : cell.codeLine + offset
      return SourceLine(
        number: number, shown: cell.options.lineNumberStart.map { $0 + offset } ?? number,
        highlighted: cell.options.highlightedLines.contains(offset + 1), html: html)
    }
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

  private static func waiting(_ trace: Trace, verdict: CellVerdict) -> Waiting? {
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
        chain: task.chain.isEmpty ? nil : TraceFormat.noteChain(task.chain),
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
