/// What one task was doing when, read from a trace's events: running, suspended on
/// something, still waiting at the end. Positions are anchors (an event, a time, or the end
/// of the trace) so the timeline can place them on its own scale.
struct TaskActivity: Sendable {
  enum Anchor: Sendable, Hashable {
    /// The moment of the event at this index in `Trace.events`.
    case event(Int)
    /// A moment before any event at that time (a task an earlier cell created).
    case before(Double)
    /// A moment after every event at that time (an end the events did not record).
    case after(Double)
    /// The end of the trace.
    case end
  }

  enum SpanKind: Sendable, Hashable {
    case running
    case suspended
    /// Ready to run (woken, or just created) but waiting for its turn on the loop.
    case ready
    /// Suspended and never resumed: the task was still waiting when the cell ended.
    case waitingAtEnd
    /// Alive, but its events fell past the trace limit.
    case unrecorded
  }

  struct Span: Sendable, Hashable {
    var kind: SpanKind
    var start: Anchor
    var end: Anchor
    /// What a suspended task awaited.
    var what: String?
    var chain: [ChainFrame] = []
    /// Suspended, ready: the index of the `resume` event that ended it (its wake, what was
    /// thrown in). Running: the `resume` (or `create`) event that began the step.
    var event: Int?
    /// Suspended: the wait began before the cell (a task an earlier cell left waiting).
    var carried = false
  }

  enum MarkKind: Sendable, Hashable {
    case create
    case print(OutputStream, String)
    case block(seconds: Double?, origin: String?)
    case end(TaskEnd.State, String?)
  }

  struct Mark: Sendable, Hashable {
    var kind: MarkKind
    var at: Anchor
  }

  var task: TraceTask
  /// From creation (or the trace's start, for a task an earlier cell created) to its end.
  var start: Anchor
  var end: Anchor
  var spans: [Span] = []
  var marks: [Mark] = []

  /// One activity per task: the trace's tasks in creation order, then any task the events
  /// mention that the task list lacks.
  static func all(_ trace: Trace) -> [TaskActivity] {
    var builders: [Int: Builder] = [:]
    var order: [Int] = []
    let lower = trace.timeRange.lowerBound
    let tasks = trace.tasksByID
    func builder(for id: Int, at time: Double) -> Builder {
      if let existing = builders[id] { return existing }
      let task =
        tasks[id]
        ?? TraceTask(
          id: id, name: "#\(id)", coroutine: "?", parent: nil, created: time, origin: nil, end: nil)
      order.append(id)
      return Builder(task: task, lifeStart: .before(max(task.created, lower)))
    }
    for task in trace.tasks { builders[task.id] = builder(for: task.id, at: task.created) }
    // After a deadlock or the time budget, the events are the kernel's cleanup (cancelling
    // what was stuck), not the cell's run: the stuck tasks are drawn as still waiting.
    for (index, event) in trace.events.prefix(trace.runEvents).enumerated() {
      if builders[event.task] == nil { builders[event.task] = builder(for: event.task, at: event.time) }
      // In place: a copy out of the dictionary would copy the task's spans at every event.
      builders[event.task]!.handle(event, at: index)
    }
    let cutoff: Anchor? =
      trace.omitted != nil && !trace.events.isEmpty ? .event(trace.events.count - 1) : nil
    let waiting = Dictionary(trace.waiting.map { ($0.task, $0) }, uniquingKeysWith: { first, _ in first })
    return order.map { id in
      builders[id]!.finish(cutoff: cutoff, waiting: waiting[id], stopped: trace.stop != nil)
      return builders[id]!.activity
    }
  }

  /// Follows one task's events: which span is open, and what closes it.
  private struct Builder {
    var activity: TaskActivity
    var open: Span?
    /// The open span is the ready one from the task's creation to its first step.
    var openSinceCreate = false
    var ended = false
    /// Cancelled before its first step: its coroutine never ran a line.
    var neverStarted = false

    init(task: TraceTask, lifeStart: Anchor) {
      activity = TaskActivity(task: task, start: lifeStart, end: .end)
      // A task an earlier cell left behind was already waiting (or ready) when this cell began.
      if let carried = task.carried {
        let kind: SpanKind = carried.what == "ready" || carried.what == "not started" ? .ready : .suspended
        open = Span(
          kind: kind, start: lifeStart, end: lifeStart, what: carried.what, chain: carried.chain,
          carried: true)
      }
    }

    mutating func handle(_ event: TraceEvent, at index: Int) {
      let here = Anchor.event(index)
      switch event.kind {
      case .create:
        activity.start = here
        activity.marks.append(Mark(kind: .create, at: here))
        // Scheduled, not yet run: ready until its first step.
        open = Span(kind: .ready, start: here, end: here)
        openSinceCreate = true
      case .resume:
        if openSinceCreate {
          open?.event = index
          close(at: here)
          if event.thrown?.hasPrefix("CancelledError") == true {
            neverStarted = true
            break
          }
        }
        guard open?.kind != .running else { break }
        // From becoming ready to running the task waited for the loop, not for what it awaited.
        var readyAt: Anchor?
        if open != nil, let ready = event.ready, ready < event.time {
          readyAt = event.wake?.step.map { .event($0) } ?? .after(ready)
        }
        open?.event = index
        close(at: readyAt ?? here)
        if let readyAt { append(Span(kind: .ready, start: readyAt, end: here, event: index)) }
        open = Span(kind: .running, start: here, end: here, event: index)
      case .suspend:
        close(at: here)
        open = Span(kind: .suspended, start: here, end: here, what: event.what, chain: event.chain ?? [])
      case .print:
        activity.marks.append(Mark(kind: .print(event.stream ?? .stdout, event.text ?? ""), at: here))
      case .block:
        activity.marks.append(Mark(kind: .block(seconds: event.seconds, origin: event.origin), at: here))
      case .end:
        close(at: here)
        let detail = neverStarted ? "before its first step" : event.text
        activity.marks.append(Mark(kind: .end(activity.task.end?.state ?? .done, detail), at: here))
        activity.end = here
        ended = true
      }
    }

    mutating func finish(cutoff: Anchor?, waiting: WaitingTask?, stopped: Bool) {
      guard !ended else { return }
      // A stuck task's end came from the cleanup: it was still waiting when the cell stopped.
      let taskEnd = stopped && waiting != nil ? nil : activity.task.end
      if let cutoff {
        close(at: cutoff)
        // A task whose only record is its creation (or not even that, when it was created
        // past the limit) went unrecorded from then on.
        let last = activity.spans.last?.end ?? activity.start
        if let taskEnd {
          append(Span(kind: .unrecorded, start: last, end: .after(taskEnd.time)))
          finishEnd(taskEnd)
        } else if let waiting {
          append(Span(kind: .waitingAtEnd, start: last, end: .end, what: waiting.what, chain: waiting.chain))
        } else {
          append(Span(kind: .unrecorded, start: last, end: .end))
        }
        return
      }
      if let taskEnd {
        close(at: .after(taskEnd.time))
        finishEnd(taskEnd)
      } else if let waiting {
        let since = open?.start ?? activity.spans.last?.end ?? activity.start
        let carried = open?.carried ?? false
        open = nil
        append(
          Span(
            kind: .waitingAtEnd, start: since, end: .end, what: waiting.what, chain: waiting.chain,
            carried: carried))
      } else {
        close(at: .end)
      }
    }

    private mutating func finishEnd(_ taskEnd: TaskEnd) {
      activity.end = .after(taskEnd.time)
      activity.marks.append(Mark(kind: .end(taskEnd.state, taskEnd.detail), at: .after(taskEnd.time)))
    }

    private mutating func close(at anchor: Anchor) {
      guard var span = open else { return }
      open = nil
      openSinceCreate = false
      span.end = anchor
      append(span)
    }

    private mutating func append(_ span: Span) {
      guard span.start != span.end else { return }
      activity.spans.append(span)
    }
  }
}
