/// A trace as a compact table — time, task, event, what, woken by, where — for the HTML
/// page (as rows) and the terminal (as aligned text).
public enum TraceTable {
  public struct Row: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
      case create
      case suspend
      case resume
      case print
      case block
      case end
      /// What the trace left out past its limit: one row for the total, one per site.
      case omitted
      /// A task still waiting when the cell ended, with its await chain in `location`.
      case waiting
    }

    public var kind: Kind
    public var time: String
    public var task: String
    public var event: String
    /// What was awaited, printed, returned or raised.
    public var what: String
    /// resume: what woke the task (`Queue.put by producer at note.md:14`, `timer`).
    public var wokenBy: String
    /// `note.md:LINE` (the "where" column); for a waiting task, its await chain.
    public var location: String
    /// The await chain's frames in the standard library (asyncio's own), folded on the page.
    public var libraryFrames: String

    public init(
      kind: Kind, time: String, task: String, event: String, what: String, wokenBy: String = "",
      location: String, libraryFrames: String = ""
    ) {
      self.kind = kind
      self.time = time
      self.task = task
      self.event = event
      self.what = what
      self.wokenBy = wokenBy
      self.location = location
      self.libraryFrames = libraryFrames
    }
  }

  public static let columns = ["time", "task", "event", "what", "woken by", "where"]

  /// Every recorded event in order, then what was omitted, then the tasks still waiting.
  public static func rows(_ trace: Trace) -> [Row] {
    let format = TraceFormat(trace)
    let noteFile = trace.noteFile
    let tasks = trace.tasksByID
    let name = TraceFormat(trace).names
    var lastSuspend: [Int: TraceEvent] = [:]
    var rows: [Row] = []
    rows.reserveCapacity(trace.events.count + trace.waiting.count)
    // A print's text and the newline `print` writes after it arrive as two events: they
    // are one row, and a bare newline is no row of its own.
    var openPrint: (row: Int, task: Int, stream: OutputStream, text: String)?
    for event in trace.events.prefix(trace.runEvents) {
      if event.kind == .print {
        let stream = event.stream ?? .stdout
        let text = event.text ?? ""
        if let open = openPrint, open.task == event.task, open.stream == stream, !open.text.hasSuffix("\n") {
          openPrint!.text += text
          rows[open.row].what = TraceFormat.oneLine(openPrint!.text)
          continue
        }
        if TraceFormat.oneLine(text).isEmpty { continue }
      }
      let task = tasks[event.task]
      var row = Row(
        kind: Row.Kind(event.kind), time: format.time(event.time), task: name(event.task),
        event: event.kind.rawValue, what: "", location: "")
      switch event.kind {
      case .create:
        row.what = task.map { "\($0.coroutine)()" } ?? ""
        if let parent = task?.parent { row.what += " by \(name(parent))" }
        row.location = event.origin ?? task?.origin ?? ""
      case .suspend:
        row.event = "await"
        row.what = event.what ?? ""
        let chain = event.chain ?? []
        row.location = Trace.location(in: chain, noteFile: noteFile)?.origin ?? ""
        row.libraryFrames = TraceFormat.chain(chain.filter { $0.library == true })
        lastSuspend[event.task] = event
      case .resume:
        let suspend = lastSuspend.removeValue(forKey: event.task)
        // The suspension proper ends when the task became ready; then it waited its turn.
        let ready = event.ready ?? event.time
        let since = suspend?.time ?? task?.carried?.since
        let waited = since.map { ready - $0 } ?? 0
        let after = waited > 0 ? " after \(format.duration(waited))" : ""
        let cancelled = event.thrown?.hasPrefix("CancelledError") == true
        // Where: the await it resumes at; a task's first step starts where it was created.
        if let suspend {
          row.what = (suspend.what ?? "?") + after
          row.location = Trace.location(in: suspend.chain ?? [], noteFile: noteFile)?.origin ?? ""
        } else if let carried = task?.carried, carried.what != "not started", carried.what != "ready" {
          row.what = carried.what + after + " (since an earlier cell)"
          row.location = Trace.location(in: carried.chain, noteFile: noteFile)?.origin ?? ""
        } else {
          row.event = "start"
          row.location = task?.origin ?? ""
        }
        if cancelled {
          row.event = "cancel"
          row.what =
            row.what.isEmpty ? "before its first step" : "while awaiting \(row.what)"
        } else if let thrown = event.thrown {
          row.event = "raise"
          row.what += (row.what.isEmpty ? "" : ": ") + thrown
        }
        if let ready = event.ready, ready < event.time {
          row.what += ", then ready \(format.duration(event.time - ready))"
        }
        // A first step's "wake" is its creation, which the create row already says.
        if let wake = event.wake, wake.kind != .start {
          row.wokenBy = TraceFormat.wake(wake, name: name)
        }
      case .print:
        if event.stream == .stderr { row.event = "stderr" }
        row.what = TraceFormat.oneLine(event.text ?? "")
        row.location = event.origin ?? ""
        openPrint = (rows.count, event.task, event.stream ?? .stdout, event.text ?? "")
      case .block:
        row.what = "held the event loop"
        if let seconds = event.seconds { row.what += " \(TraceFormat.fixed(seconds, decimals: 3)) s" }
        row.location = event.origin ?? ""
      case .end:
        row.event = (task?.end?.state ?? .done).rawValue
        // The kernel writes the state itself when there is nothing more to say.
        let detail = event.text ?? task?.end?.detail ?? ""
        row.what = detail == row.event ? "" : TraceFormat.oneLine(detail)
        // Where an exception left the task's code; a return leaves no line behind.
        row.location = event.origin ?? ""
      }
      if event.kind != .print { openPrint = nil }
      rows.append(row)
    }
    if let omitted = trace.omitted {
      rows.append(
        Row(
          kind: .omitted, time: "…", task: "", event: "omitted",
          what: "\(TraceFormat.count(omitted.events)) more events", location: ""))
      for site in omitted.sites {
        rows.append(
          Row(
            kind: .omitted, time: "…", task: name(site.task),
            event: "await ×\(TraceFormat.count(site.count))", what: site.what, location: ""))
      }
    }
    let stuck = trace.stop?.status == .deadlock ? "deadlock" : "waiting"
    for waiting in trace.waiting {
      rows.append(
        Row(
          kind: .waiting, time: format.time(trace.stop?.time ?? trace.end), task: name(waiting.task),
          event: stuck, what: waiting.what,
          location: TraceFormat.site(waiting.chain.filter { $0.library != true }, noteFile: noteFile),
          libraryFrames: TraceFormat.chain(waiting.chain.filter { $0.library == true })))
    }
    return rows
  }

  /// The lines that close the table: what was omitted, and which tasks still wait on what.
  public static func summary(_ trace: Trace) -> [String] {
    let name = TraceFormat(trace).names
    let noteFile = trace.noteFile
    var lines: [String] = []
    if let omitted = trace.omitted { lines.append(omittedLine(omitted, in: trace)) }
    if let stop = trace.stop, trace.runEvents < trace.events.count {
      let what = stop.status == .deadlock ? "deadlock" : "time budget"
      lines.append(
        "after the \(what) at \(TraceFormat(trace).duration(stop.time)) the kernel cancelled the stuck "
          + "tasks: \(TraceFormat.count(trace.events.count - trace.runEvents)) cleanup events not listed")
    }
    if !trace.waiting.isEmpty {
      let state = trace.stop?.status == .deadlock ? "deadlocked" : "still waiting"
      lines.append(
        "\(state) when the cell ended at \(TraceFormat(trace).duration(trace.stop?.time ?? trace.end)):")
      for waiting in trace.waiting {
        var line = "  Task '\(name(waiting.task))' awaits \(waiting.what)"
        let site = TraceFormat.site(waiting.chain.filter { $0.library != true }, noteFile: noteFile)
        if !site.isEmpty { line += " at " + site }
        lines.append(line)
      }
    }
    return lines
  }

  /// `… 995,000 more events: worker-1 sleep(0) ×500,000, …`
  static func omittedLine(_ omitted: OmittedEvents, in trace: Trace) -> String {
    let shown = 5
    let name = TraceFormat(trace).names
    var line = "… \(TraceFormat.count(omitted.events)) more events"
    let sites = omitted.sites.prefix(shown).map {
      "\(name($0.task)) \($0.what) ×\(TraceFormat.count($0.count))"
    }
    if !sites.isEmpty { line += ": " + sites.joined(separator: ", ") }
    if omitted.sites.count > shown {
      line += ", and \(TraceFormat.count(omitted.sites.count - shown)) more sites"
    }
    return line
  }

  /// The table for a terminal: event rows in aligned columns, then the summary lines.
  public static func text(_ trace: Trace) -> String {
    let limits = [Int.max, 20, 9, 50, 50, Int.max]
    let table =
      [columns]
      + rows(trace).filter { $0.kind != .omitted && $0.kind != .waiting }.map {
        [$0.time, $0.task, $0.event, $0.what, $0.wokenBy, $0.location]
      }
    let cells = table.map { row in
      zip(row, limits).map { cell, limit in
        let text = TraceFormat.elide(cell, to: limit)
        return (text: text, count: text.count)
      }
    }
    var widths = Array(repeating: 0, count: columns.count)
    for row in cells {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    var text = ""
    for row in cells {
      // Cells after the last non-empty one add no padding: lines end without spaces.
      let last = row.lastIndex { $0.count > 0 } ?? 0
      for (column, cell) in row.enumerated() where column <= last {
        if column > 0 { text += "  " }
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        // Times align right so their decimal points line up.
        if column == 0 {
          text += padding + cell.text
        } else {
          text += cell.text
          if column < last { text += padding }
        }
      }
      text += "\n"
    }
    for line in summary(trace) { text += line + "\n" }
    return text
  }
}

extension TraceTable.Row.Kind {
  init(_ kind: TraceEvent.Kind) {
    switch kind {
    case .create: self = .create
    case .suspend: self = .suspend
    case .resume: self = .resume
    case .print: self = .print
    case .block: self = .block
    case .end: self = .end
    }
  }
}
