/// The geometry of a trace's timeline, in SVG user units: one lane per task in creation
/// order, time across. Everything `TimelineSVG` draws is decided here, texts included, so
/// it can be tested without parsing SVG.
public struct TimelineLayout: Sendable {
  /// What runs across: time, linearly, or the loop's steps in order (see `TimeScale`).
  public enum Axis: String, Sendable, Hashable, CaseIterable {
    case time
    case steps
  }

  public struct Metrics: Sendable, Hashable {
    /// Drawn at this many CSS pixels (the page scrolls it sideways on a narrow screen rather
    /// than shrink its text below 11 px).
    public var width = 900.0
    /// Room for lane names at the left.
    public var gutter = 140.0
    public var rightMargin = 24.0
    /// Tick labels, then the row of burst marks.
    public var axisHeight = 48.0
    /// Lanes share `lanesHeight` within these bounds; past the minimum the SVG grows taller.
    public var laneHeights = 22.0...32.0
    public var lanesHeight = 220.0
    /// No span is drawn narrower, so an instant's work stays visible.
    public var minimumSpanWidth = 2.0
    public var footerLineHeight = 16.0
    /// Room past the end of time where tasks still waiting keep waiting.
    public var waitingTail = 56.0
    /// Above this many lanes, lines from creator to created tasks would only blur together.
    public var maxLinkedLanes = 12
    /// Tasks past this many get no lane (a note says so): the table still lists them.
    public var maxLanes = 200
    /// Wake arrows past this many are left out (a note says so): the table has every waker.
    public var maxArrows = 400
    /// Width of a character of the monospaced font, per unit of font size.
    public var characterWidth = 0.6

    public init() {}
  }

  public enum SpanKind: String, Sendable, Hashable {
    case running
    case suspended
    /// Ready to run, waiting for its turn on the loop.
    case ready
    /// Never resumed: still waiting when the cell ended (a deadlock, or left running).
    case waiting
    /// Alive past the trace limit, events not recorded.
    case unrecorded
    /// Steps too close to draw apart.
    case dense
  }

  /// How a wait ended when it did not end with a value.
  public enum Thrown: String, Sendable, Hashable {
    /// The task was cancelled while it waited.
    case cancelled
    /// What it awaited failed: the exception propagated into it.
    case raised
  }

  public struct Span: Sendable, Hashable {
    public var kind: SpanKind
    public var x: Double
    public var width: Double
    /// Drawn inside the bar: what was awaited, elided to fit; nil when nothing fits.
    public var label: String?
    public var title: String
    public var thrown: Thrown?
    /// The wait began before the cell (a task an earlier cell left waiting).
    public var carried = false
  }

  public enum MarkKind: String, Sendable, Hashable {
    case create
    case print
    case stderr
    case block
    case done
    case failed
    case cancelled
  }

  public struct Mark: Sendable, Hashable {
    public var kind: MarkKind
    public var x: Double
    public var title: String
  }

  /// Where a task was created, joined to the lane of the task that created it.
  public struct Link: Sendable, Hashable {
    public var x: Double
    public var fromY: Double
    public var toY: Double
  }

  public struct Lane: Sendable, Hashable {
    public var taskID: Int
    /// The task's name, elided to the gutter.
    public var label: String
    public var title: String
    /// The cell's own task, which no other task created.
    public var isMain: Bool
    public var y: Double
    public var height: Double
    /// From the task's creation to its end (or the end of the trace).
    public var lifeline: ClosedRange<Double>
    public var spans: [Span]
    public var marks: [Mark]
    public var link: Link?
    public var centerY: Double { y + height / 2 }
  }

  /// What woke a task: from the waker's step to the woken task's resume.
  public struct Arrow: Sendable, Hashable {
    public var fromX: Double
    public var fromY: Double
    public var toX: Double
    public var toY: Double
    public var title: String
    /// Cancellation (or a failure propagating) rather than an ordinary wake-up.
    public var cancels: Bool
  }

  /// Time axis: several loop steps at one instant. Its title lists them in the order the
  /// loop ran them.
  public struct Burst: Sendable, Hashable {
    public var x: Double
    public var steps: Int
    public var title: String
  }

  /// One entry of the legend: a sample of what is drawn, and its name.
  public struct LegendItem: Sendable, Hashable {
    public enum Sample: Sendable, Hashable {
      case span(SpanKind)
      case mark(MarkKind)
      case arrow
      case cancelArrow
      case burst
      case carried
      case thrown
    }
    public var sample: Sample
    public var label: String
    /// Where the sample starts; the label follows it.
    public var x: Double
    /// The line's middle.
    public var y: Double
  }

  public struct TextLine: Sendable, Hashable {
    /// The line's middle.
    public var y: Double
    public var text: String
  }

  public struct Tick: Sendable, Hashable {
    public var x: Double
    public var label: String
  }

  public let metrics: Metrics
  public let axis: Axis
  public let height: Double
  public let plotLeft: Double
  /// x of the trace's last moment.
  public let plotRight: Double
  /// Where bars of tasks still waiting stop: past `plotRight` when there are any.
  public let waitingRight: Double
  public let lanesTop: Double
  public let laneHeight: Double
  public let barHeight: Double
  public let labelFontSize: Double
  public let barFontSize: Double
  public let ticks: [Tick]
  public let lanes: [Lane]
  public let arrows: [Arrow]
  public let bursts: [Burst]
  /// Explains only what is drawn, wrapped to the width.
  public let legend: [LegendItem]
  public let legendFontSize = 11.0
  /// Lines under the legend: what the trace left out.
  public let notes: [TextLine]
  /// One line for screen readers.
  public let summary: String
  /// Tooltip of the line marking the end of the cell.
  public let endTitle: String

  public init(_ trace: Trace, metrics: Metrics = Metrics(), axis: Axis = .time) {
    self.metrics = metrics
    self.axis = axis
    let format = TraceFormat(trace)
    let range = trace.timeRange
    let allActivities = TaskActivity.all(trace)
    let activities = Array(allActivities.prefix(metrics.maxLanes))
    plotLeft = metrics.gutter
    lanesTop = metrics.axisHeight
    let laneCount = max(activities.count, 1)
    laneHeight = min(
      max(metrics.lanesHeight / Double(laneCount), metrics.laneHeights.lowerBound),
      metrics.laneHeights.upperBound)
    barHeight = (laneHeight * 0.62).rounded()
    labelFontSize = min(max(laneHeight * 0.42, 11), 12.5)
    barFontSize = 11
    // Wide enough to name what the waiting tasks wait for, within reason.
    let longestWait = trace.waiting.map(\.what.count).max() ?? 0
    let tail =
      trace.waiting.isEmpty
      ? 0
      : min(
        max(metrics.waitingTail, Double(longestWait) * barFontSize * metrics.characterWidth + 12),
        metrics.waitingTail * 2.5)

    let scale = TimeScale(
      events: trace.events.prefix(trace.runEvents).map { ($0.time, $0.task, $0.kind == .resume) },
      range: range, axis: axis, left: plotLeft,
      width: metrics.width - metrics.gutter - metrics.rightMargin - tail)
    plotRight = scale.right
    waitingRight = plotRight + tail
    ticks = scale.ticks.map { Tick(x: $0.x, label: $0.label) }

    let placer = Placer(
      trace: trace, scale: scale, format: format, metrics: metrics, barFontSize: barFontSize, tail: tail)
    var laneIndex: [Int: Int] = [:]
    for (index, activity) in activities.enumerated() where laneIndex[activity.task.id] == nil {
      laneIndex[activity.task.id] = index
    }
    let gutterCharacters = Int((metrics.gutter - 14) / (labelFontSize * metrics.characterWidth))
    var lanes: [Lane] = []
    for (index, activity) in activities.enumerated() {
      let y = lanesTop + Double(index) * laneHeight
      let waiting = activity.spans.last?.kind == .waitingAtEnd
      let start = placer.x(activity.start)
      var link: Link?
      if activities.count <= metrics.maxLinkedLanes, let parent = activity.task.parent,
        let parentIndex = laneIndex[parent], parentIndex != index
      {
        let x = activity.marks.first { $0.kind == .create }.map { placer.x($0.at) } ?? start
        let parentY = lanesTop + (Double(parentIndex) + 0.5) * laneHeight
        link = Link(x: x, fromY: parentY, toY: y + laneHeight / 2)
      }
      lanes.append(
        Lane(
          taskID: activity.task.id,
          label: TraceFormat.elide(format.name(activity.task), to: gutterCharacters),
          title: placer.laneTitle(activity),
          isMain: activity.task.role == .cell || activity.task.parent == nil && activity.task.carried == nil,
          y: y, height: laneHeight,
          lifeline: start...max(start, placer.x(activity.end) + (waiting ? tail : 0)),
          spans: placer.spans(activity),
          marks: placer.marks(activity),
          link: link))
    }
    self.lanes = lanes

    var arrows: [Arrow] = []
    var arrowsLeftOut = 0
    for (index, event) in trace.events.prefix(trace.runEvents).enumerated() {
      guard event.kind == .resume, let wake = event.wake, let step = wake.step, step < scale.eventX.count,
        let from = laneIndex[trace.events[step].task], let to = laneIndex[event.task], from != to
      else { continue }
      guard arrows.count < metrics.maxArrows else {
        arrowsLeftOut += 1
        continue
      }
      let name = format.names
      arrows.append(
        Arrow(
          fromX: scale.eventX[step], fromY: lanesTop + (Double(from) + 0.5) * laneHeight,
          toX: scale.eventX[index], toY: lanesTop + (Double(to) + 0.5) * laneHeight,
          title: "\(name(event.task)) woken by \(TraceFormat.wake(wake, name: name)) "
            + "(at \(format.duration(event.time)))",
          cancels: wake.kind == .cancel || event.thrown != nil))
    }
    self.arrows = arrows

    bursts =
      axis == .steps
      ? []
      : scale.instants.compactMap { instant in
        guard instant.steps.count >= 2 else { return nil }
        return Burst(
          x: scale.x(instant.time), steps: instant.steps.count,
          title: placer.burstTitle(instant))
      }

    var notes: [String] = []
    if allActivities.count > activities.count {
      let more = TraceFormat.count(allActivities.count - activities.count)
      notes.append("… \(more) more tasks not drawn: the table lists their events")
    }
    if arrowsLeftOut > 0 {
      notes.append(
        "… \(TraceFormat.count(arrowsLeftOut)) more wake-ups not drawn: the table names every waker")
    }
    if let stop = trace.stop, trace.runEvents < trace.events.count {
      let what = stop.status == .deadlock ? "deadlock" : "time budget"
      notes.append(
        "after the \(what) at \(format.duration(stop.time)), the kernel cancelled the stuck tasks "
          + "(cleanup, not drawn)")
    }
    if let omitted = trace.omitted {
      let characters = Int((metrics.width - 16) / (11 * metrics.characterWidth))
      notes.append(TraceFormat.elide(TraceTable.omittedLine(omitted, in: trace), to: characters))
    }
    let lineHeight = metrics.footerLineHeight
    var legend: [LegendItem] = []
    var x = plotLeft
    var y = lanesTop + Double(laneCount) * laneHeight + 12 + lineHeight / 2
    let allSpans = Set(lanes.flatMap(\.spans).map(\.kind))
    let allMarks = Set(lanes.flatMap(\.marks).map(\.kind))
    let spanNames: [(SpanKind, String)] = [
      (.running, "running"), (.suspended, "awaiting"), (.ready, "ready, waiting for the loop"),
      (.waiting, trace.stop?.status == .deadlock ? "deadlocked" : "still waiting at the end"),
      (.unrecorded, "not recorded"), (.dense, "many steps"),
    ]
    let markNames: [(MarkKind, String)] = [
      (.print, "printed"), (.stderr, "stderr"), (.block, "blocked the loop"), (.done, "done"),
      (.failed, "failed"), (.cancelled, "cancelled"),
    ]
    var samples: [(LegendItem.Sample, String)] = []
    for (kind, name) in spanNames where allSpans.contains(kind) { samples.append((.span(kind), name)) }
    for (kind, name) in markNames where allMarks.contains(kind) { samples.append((.mark(kind), name)) }
    let allSpanValues = lanes.flatMap(\.spans)
    if allSpanValues.contains(where: \.carried) {
      samples.append((.carried, "waiting since an earlier cell"))
    }
    if allSpanValues.contains(where: { $0.thrown != nil }) {
      samples.append((.thrown, "wait ended by cancellation or an exception"))
    }
    if arrows.contains(where: { !$0.cancels }) { samples.append((.arrow, "woke")) }
    if arrows.contains(where: \.cancels) { samples.append((.cancelArrow, "cancelled / raised into")) }
    if !bursts.isEmpty { samples.append((.burst, "steps at one instant (order: click)")) }
    for (sample, label) in samples {
      let width = 16 + Double(label.count) * legendFontSize * metrics.characterWidth
      if x + width > metrics.width - metrics.rightMargin, x > plotLeft {
        x = plotLeft
        y += lineHeight
      }
      legend.append(LegendItem(sample: sample, label: label, x: x, y: y))
      x += width + 14
    }
    self.legend = legend
    self.notes = notes.enumerated().map {
      TextLine(y: y + lineHeight * Double($0.offset + 1), text: $0.element)
    }
    height = y + lineHeight * Double(notes.count) + lineHeight / 2 + 4

    let taskCount = "\(allActivities.count) task" + (allActivities.count == 1 ? "" : "s")
    summary =
      "Suspension timeline: \(taskCount) over \(format.duration(range.upperBound - range.lowerBound))"
      + (trace.clock == .virtual ? " of virtual time" : "")
      + (trace.waiting.isEmpty
        ? ""
        : trace.stop?.status == .deadlock
          ? ", \(trace.waiting.count) deadlocked" : ", \(trace.waiting.count) still waiting at the end")
      + (axis == .steps ? "; across: loop steps in order, not to scale" : "")
    endTitle =
      "the cell ended at \(format.duration(range.upperBound))"
      + (trace.waiting.isEmpty ? "" : " with \(trace.waiting.count) tasks still waiting")
  }
}

extension TimelineLayout {
  /// Turns one task's activity into pixels and words.
  fileprivate struct Placer {
    let trace: Trace
    let scale: TimeScale
    let format: TraceFormat
    let metrics: Metrics
    let barFontSize: Double
    /// The trace's last moment.
    let end: Double
    let taskName: @Sendable (Int) -> String
    let waiting: [Int: WaitingTask]
    let tail: Double

    init(
      trace: Trace, scale: TimeScale, format: TraceFormat, metrics: Metrics, barFontSize: Double, tail: Double
    ) {
      self.tail = tail
      self.trace = trace
      self.scale = scale
      self.format = format
      self.metrics = metrics
      self.barFontSize = barFontSize
      end = trace.timeRange.upperBound
      taskName = format.names
      waiting = Dictionary(trace.waiting.map { ($0.task, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func x(_ anchor: TaskActivity.Anchor) -> Double {
      switch anchor {
      case .event(let index): scale.eventX[index]
      case .before(let time): scale.x(time)
      case .after(let time): scale.x(time, after: true)
      case .end: scale.right
      }
    }

    func time(_ anchor: TaskActivity.Anchor) -> Double {
      switch anchor {
      case .event(let index): trace.events[index].time
      case .before(let time), .after(let time): time
      case .end: end
      }
    }

    func interval(_ start: Double, _ end: Double) -> String {
      start == end ? "at \(format.duration(start))" : "\(format.time(start)) → \(format.duration(end))"
    }

    func laneTitle(_ activity: TaskActivity) -> String {
      let task = activity.task
      var lines = ["\(task.name) — \(task.coroutine)()"]
      if task.role == .cell { lines[0] = "cell — the cell's own task (\(task.name))" }
      var created = "created at \(format.duration(task.created))"
      if let parent = task.parent { created += " by \(taskName(parent))" }
      if let origin = task.origin { created += ", \(origin)" }
      lines.append(created)
      if let end = task.end {
        lines.append(Self.ending(end.state, format.duration(end.time), end.detail))
      } else if let waiting = waiting[task.id] {
        let state = trace.stop?.status == .deadlock ? "deadlocked" : "still waiting at the end"
        lines.append("\(state) for \(waiting.what)")
      } else {
        lines.append("not finished when the cell ended")
      }
      return lines.joined(separator: "\n")
    }

    static func ending(_ state: TaskEnd.State, _ time: String, _ detail: String?) -> String {
      let verb =
        switch state {
        case .done: "done"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
      let detail = detail.map { ": " + TraceFormat.elide($0, to: 300) } ?? ""
      return "\(verb) at \(time)\(detail)"
    }

    private struct Draft {
      var kind: SpanKind
      var x0: Double
      var x1: Double
      var start: Double
      var end: Double
      var what: String?
      var chain: [ChainFrame]
      var event: Int?
      var carried: Bool
      var steps = 1
    }

    func spans(_ activity: TaskActivity) -> [Span] {
      let minimum = metrics.minimumSpanWidth
      var drafts: [Draft] = []
      for span in activity.spans {
        let kind: SpanKind =
          switch span.kind {
          case .running: .running
          case .suspended: .suspended
          case .ready: .ready
          case .waitingAtEnd: .waiting
          case .unrecorded: .unrecorded
          }
        let (start, end) = (time(span.start), time(span.end))
        // On the time axis a ready span of no duration is no span at all; on the steps axis
        // it shows that the task waited for other steps before its own.
        if kind == .ready, end <= start, scale.axis == .time, !span.carried { continue }
        let (x0, x1) = (x(span.start), x(span.end))
        let draft = Draft(
          kind: kind, x0: min(x0, x1), x1: max(x0, x1) + (kind == .waiting ? tail : 0),
          start: start, end: end, what: span.what, chain: span.chain, event: span.event,
          carried: span.carried)
        // Thousands of steps at one instant would each be a sliver: draw them as one block.
        if draft.x1 - draft.x0 < minimum, let last = drafts.last,
          last.kind == .dense || last.x1 - last.x0 < minimum,
          draft.x0 - last.x1 < minimum, ![.waiting, .unrecorded].contains(last.kind),
          ![.waiting, .unrecorded].contains(kind)
        {
          drafts[drafts.count - 1].kind = .dense
          drafts[drafts.count - 1].x1 = draft.x1
          drafts[drafts.count - 1].end = draft.end
          drafts[drafts.count - 1].steps += 1
        } else {
          drafts.append(draft)
        }
      }
      let name = format.name(activity.task)
      return drafts.map { draft in
        let width = max(draft.x1 - draft.x0, minimum)
        let resume = draft.event.map { trace.events[$0] }
        let thrown: Thrown? =
          switch resume?.thrown {
          case nil: nil
          case let text? where text.hasPrefix("CancelledError"): .cancelled
          case _?: .raised
          }
        var label: String?
        var lines: [String] = []
        let what = draft.what ?? "?"
        // A wait carried over from an earlier cell began before this cell, when known.
        let start =
          draft.carried ? min(activity.task.carried?.since ?? draft.start, draft.start) : draft.start
        let duration = format.duration(draft.end - start)
        let during = interval(start, draft.end)
        switch draft.kind {
        case .running:
          lines.append("\(name) ran \(during)")
        case .suspended:
          label = fitted(what, width)
          switch thrown {
          case .cancelled?:
            lines.append("\(name) was cancelled while awaiting \(what), after \(duration) (\(during))")
          case .raised?:
            lines.append(
              "\(name) awaited \(what) for \(duration) (\(during)): it raised \(resume?.thrown ?? "")")
          case nil: lines.append("\(name) awaited \(what) for \(duration) (\(during))")
          }
        case .ready:
          if thrown == .cancelled, draft.what == nil {
            lines.append("\(name) was cancelled before its first step (\(during))")
          } else if draft.what != nil {
            label = fitted(what, width)
            lines.append("\(name) was \(what == "ready" ? "ready" : "created, not started") (\(during))")
          } else {
            lines.append("\(name) was ready for \(duration), waiting for its turn on the loop (\(during))")
          }
        case .waiting:
          label = fitted(what, width)
          let state = trace.stop?.status == .deadlock ? "deadlocked" : "still waiting at the end"
          lines.append("\(name) \(state) for \(what), since \(format.duration(draft.start))")
        case .unrecorded:
          lines.append("\(name): events past the trace limit not recorded (\(during))")
        case .dense:
          lines.append(
            "\(name): \(TraceFormat.count(draft.steps)) steps \(during), too close to draw apart")
        }
        if draft.carried { lines.append("already waiting when this cell began (an earlier cell started it)") }
        if draft.kind != .running, draft.kind != .dense, let wake = resume?.wake, wake.kind != .start {
          lines.append("woken by: " + TraceFormat.wake(wake, name: taskName))
        }
        lines += chainLines(draft.chain)
        if draft.kind == .running, let event = draft.event { lines += stepLines(from: event) }
        return Span(
          kind: draft.kind, x: draft.x0, width: width, label: label, title: lines.joined(separator: "\n"),
          thrown: draft.kind == .suspended || draft.kind == .ready ? thrown : nil, carried: draft.carried)
      }
    }

    /// An await chain: the note's frames, then asyncio's own (folded on the page).
    func chainLines(_ chain: [ChainFrame]) -> [String] {
      guard !chain.isEmpty else { return [] }
      let library = chain.filter { $0.library == true }
      var lines = ["await chain: " + TraceFormat.noteChain(chain)]
      if !library.isEmpty, library.count < chain.count {
        lines.append("library frames: " + TraceFormat.chain(library))
      }
      return lines
    }

    /// What one step did, from its first event: how it began, what it printed, how it ended.
    func stepLines(from first: Int) -> [String] {
      let task = trace.events[first].task
      var lines: [String] = []
      let start = trace.events[first]
      if start.kind == .resume, let wake = start.wake, wake.kind != .start {
        lines.append("woken by: " + TraceFormat.wake(wake, name: taskName))
      }
      var printed: [String] = []
      var index = first + 1
      var scanned = 0
      while index < trace.runEvents, scanned < 400 {
        let event = trace.events[index]
        index += 1
        scanned += 1
        guard event.task == task else { continue }
        if event.kind == .resume { break }
        switch event.kind {
        case .print:
          let text = TraceFormat.oneLine(event.text ?? "")
          if !text.isEmpty, printed.count < 10 { printed.append(text) }
        case .suspend:
          lines.append("then awaited " + (event.what ?? "?"))
          index = trace.runEvents
        case .end:
          lines.append("then ended")
          index = trace.runEvents
        case .create, .resume, .block: break
        }
      }
      if !printed.isEmpty {
        lines.insert("printed: " + printed.joined(separator: " ⏎ "), at: min(1, lines.count))
      }
      return lines
    }

    /// The loop steps of one instant, in the order they ran.
    func burstTitle(_ instant: TimeScale.Instant) -> String {
      var lines = [
        "\(instant.steps.count) steps at \(format.duration(instant.time)), in the order the loop ran them:"
      ]
      for (ordinal, first) in instant.steps.prefix(30).enumerated() {
        let event = trace.events[first]
        var step = "\(ordinal + 1). \(taskName(event.task)) "
        switch event.kind {
        case .resume:
          step += event.thrown.map { "got \($0)" } ?? (event.wake?.kind == .start ? "started" : "resumed")
        case .create: step += "was created"
        case .end: step += "ended"
        case .suspend, .print, .block: step += event.kind.rawValue
        }
        if let then = stepLines(from: first).last(where: { $0.hasPrefix("then ") }) { step += ", " + then }
        lines.append(step)
      }
      if instant.steps.count > 30 { lines.append("… \(TraceFormat.count(instant.steps.count - 30)) more") }
      return lines.joined(separator: "\n")
    }

    /// The label elided to the bar, or nil when not even a few characters fit.
    private func fitted(_ text: String, _ width: Double) -> String? {
      guard barFontSize >= 8.5 else { return nil }
      let characters = Int((width - 6) / (barFontSize * metrics.characterWidth))
      guard characters >= min(4, text.count) else { return nil }
      return TraceFormat.elide(TraceFormat.oneLine(text), to: characters)
    }

    func marks(_ activity: TaskActivity) -> [Mark] {
      let name = format.name(activity.task)
      var marks: [Mark] = []
      var prints: [(mark: Int, when: String, lines: [String], count: Int)] = []
      for mark in activity.marks {
        let at = x(mark.at)
        let when = format.duration(time(mark.at))
        switch mark.kind {
        case .create:
          var title = "\(name) created at \(when)"
          if let parent = activity.task.parent { title += " by \(taskName(parent))" }
          if let origin = activity.task.origin { title += ", \(origin)" }
          marks.append(Mark(kind: .create, x: at, title: title))
        case .print(let stream, let text):
          let line = (stream == .stderr ? "stderr: " : "") + TraceFormat.elide(text, to: 400)
          // Prints closer than a few pixels share one mark and one tooltip.
          if let group = prints.last, at - marks[group.mark].x < 4, group.mark == marks.count - 1 {
            if prints[prints.count - 1].lines.count < 20 { prints[prints.count - 1].lines.append(line) }
            prints[prints.count - 1].count += 1
            if stream == .stderr { marks[group.mark].kind = .stderr }
          } else {
            prints.append((marks.count, when, [line], 1))
            marks.append(Mark(kind: stream == .stderr ? .stderr : .print, x: at, title: ""))
          }
        case .block(let seconds, let origin):
          var title = "\(name) blocked the event loop"
          if let seconds { title += " for \(TraceFormat.fixed(seconds, decimals: 3)) s of real time" }
          if let origin { title += ", \(origin)" }
          marks.append(Mark(kind: .block, x: at, title: title + " (at \(when))"))
        case .end(let state, let detail):
          let kind: MarkKind =
            switch state {
            case .done: .done
            case .failed: .failed
            case .cancelled: .cancelled
            }
          marks.append(Mark(kind: kind, x: at, title: "\(name) " + Self.ending(state, when, detail)))
        }
      }
      for group in prints {
        let head =
          group.count > 1
          ? "\(name) printed \(TraceFormat.count(group.count)) times from \(group.when)"
          : "\(name) printed at \(group.when)"
        let more =
          group.count > group.lines.count
          ? "\n… \(TraceFormat.count(group.count - group.lines.count)) more" : ""
        marks[group.mark].title = "\(head):\n" + group.lines.joined(separator: "\n") + more
      }
      return marks
    }
  }
}
