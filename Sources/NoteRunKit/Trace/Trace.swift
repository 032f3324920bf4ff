/// The suspension trace of one cell, as the kernel records it: every asyncio task the
/// cell ran, and what each did when. Times are seconds on the cell's clock (virtual
/// unless `clock=real`) from the start of the cell.
public struct Trace: Sendable, Hashable {
  public var clock: ClockMode
  /// Clock time at which the cell ended.
  public var end: Double
  /// Tasks in creation order.
  public var tasks: [TraceTask]
  /// Events in the order they happened, up to the per-cell limit.
  public var events: [TraceEvent]
  /// What was left out past the limit; nil when nothing was.
  public var omitted: OmittedEvents?
  /// Tasks still waiting when the cell ended (deadlock, time budget, or left running).
  public var waiting: [WaitingTask]
  /// Set when the clock stopped the cell (deadlock, time budget).
  public var stop: TraceStop?

  public init(
    clock: ClockMode, end: Double, tasks: [TraceTask], events: [TraceEvent],
    omitted: OmittedEvents? = nil, waiting: [WaitingTask] = [], stop: TraceStop? = nil
  ) {
    self.clock = clock
    self.end = end
    self.tasks = tasks
    self.events = events
    self.omitted = omitted
    self.waiting = waiting
    self.stop = stop
  }
}

/// How the clock stopped a cell, and where in the events the cleanup after it begins.
public struct TraceStop: Sendable, Hashable {
  public enum Status: String, Sendable, Hashable {
    /// Nothing could ever run again: the `waiting` tasks are deadlocked.
    case deadlock
    /// The cell used up its virtual-time budget.
    case budget
  }
  public var status: Status
  public var time: Double
  /// Index into `events` of the first event after the stop: from there on the events are
  /// the kernel's and asyncio's cleanup (cancelling what was stuck), not the cell's own
  /// run. nil when no event followed.
  public var event: Int?

  public init(status: Status, time: Double, event: Int?) {
    self.status = status
    self.time = time
    self.event = event
  }
}

public struct TraceTask: Sendable, Hashable {
  /// Unique within the kernel; stable run to run.
  public var id: Int
  public var name: String
  /// The coroutine's function name.
  public var coroutine: String
  /// Id of the task that created it; nil for the cell's own main task.
  public var parent: Int?
  public var created: Double
  /// `note.md:LINE` where it was created.
  public var origin: String?
  /// nil while still pending when the cell ended.
  public var end: TaskEnd?
  /// What the task is to the reader beyond its name; nil for an ordinary task.
  public var role: TaskRole?
  /// Set when the task existed before the cell: what it was waiting for when the cell began.
  public var carried: CarriedWait?

  public init(
    id: Int, name: String, coroutine: String, parent: Int?, created: Double, origin: String?,
    end: TaskEnd?, role: TaskRole? = nil, carried: CarriedWait? = nil
  ) {
    self.id = id
    self.name = name
    self.coroutine = coroutine
    self.parent = parent
    self.created = created
    self.origin = origin
    self.end = end
    self.role = role
    self.carried = carried
  }
}

public enum TaskRole: String, Sendable, Hashable {
  /// The cell's own top-level-await task. Its name is Python's own (`Task-3`); a view may
  /// call it "cell".
  case cell
}

/// A task from an earlier cell, as it was when this cell began.
public struct CarriedWait: Sendable, Hashable {
  /// When its current wait began: 0 or earlier (before the cell); nil when that is not
  /// known (its last suspension was past the event limit of its cell).
  public var since: Double?
  /// As for a suspension; `not started` for a task that never ran, `ready` for one that
  /// was already scheduled.
  public var what: String
  public var chain: [ChainFrame]

  public init(since: Double?, what: String, chain: [ChainFrame]) {
    self.since = since
    self.what = what
    self.chain = chain
  }
}

public struct TaskEnd: Sendable, Hashable {
  public enum State: String, Sendable, Hashable {
    case done
    case failed
    case cancelled
  }
  public var time: Double
  public var state: State
  /// repr of the result, or `Type: message` of the exception.
  public var detail: String?

  public init(time: Double, state: State, detail: String?) {
    self.time = time
    self.state = state
    self.detail = detail
  }
}

public struct TraceEvent: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    case create
    case suspend
    case resume
    case print
    /// A step that held the event loop for `seconds` (a blocking call in a coroutine).
    case block
    case end
  }
  public var time: Double
  public var task: Int
  public var kind: Kind
  /// suspend: the awaited thing for a human (`sleep(1.0)`, `Task 'worker-2'`, `Queue.get()`).
  public var what: String?
  /// suspend: the await chain, outermost coroutine first.
  public var chain: [ChainFrame]?
  /// print: the text; end: the result or exception.
  public var text: String?
  /// print: which stream.
  public var stream: OutputStream?
  /// block: real seconds the step held the loop.
  public var seconds: Double?
  /// `note.md:LINE`. create: where it was created; block: where the loop was held; print:
  /// the line that printed; end: where the exception that ended the task left its code.
  public var origin: String?
  /// resume: when the task became ready to run; nil when that is `time`. From `ready` to
  /// `time` it waited for its turn on the loop, not for what it awaited.
  public var ready: Double?
  /// resume: what made the task ready.
  public var wake: Wake?
  /// resume: the exception thrown into the task instead of a value: `CancelledError` when
  /// it was cancelled, `Type: message` when what it awaited failed.
  public var thrown: String?

  public init(
    time: Double, task: Int, kind: Kind, what: String? = nil, chain: [ChainFrame]? = nil,
    text: String? = nil, stream: OutputStream? = nil, seconds: Double? = nil, origin: String? = nil,
    ready: Double? = nil, wake: Wake? = nil, thrown: String? = nil
  ) {
    self.time = time
    self.task = task
    self.kind = kind
    self.what = what
    self.chain = chain
    self.text = text
    self.stream = stream
    self.seconds = seconds
    self.origin = origin
    self.ready = ready
    self.wake = wake
    self.thrown = thrown
  }
}

/// What made a task ready to resume.
public struct Wake: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    /// Its first step, scheduled when it was created.
    case start
    /// It yielded to the loop (`sleep(0)`, a bare `yield`) and was rescheduled at once.
    case yield
    /// A timer fired: its `sleep`, a `wait`/`wait_for` timeout.
    case timer
    /// An asyncio call (`Queue.put`, `Event.set`, `Lock.release`, …) completed what it awaited.
    case call
    /// The task or future it awaited finished.
    case done
    /// A child of `gather`, `TaskGroup` or `wait` finished.
    case child
    /// It was cancelled.
    case cancel
    /// An executor thread finished its job.
    case executor
    /// A loop callback from the note's code.
    case callback
    /// Anything else the loop ran (I/O readiness, signals, library callbacks).
    case loop
  }
  public var kind: Kind
  /// The waking task: the caller, the task that finished, or the failed child whose
  /// group cancelled this one. nil when no task did it.
  public var by: Int?
  /// `note.md:LINE` of the waker's call.
  public var at: String?
  /// The call or awaitable: `Queue.put`, `Task 'worker-2'`, `gather`, `sleep(1)`, …
  public var what: String?
  /// Index into `events` of the waker's `resume`: the step in which it woke this task.
  public var step: Int?

  public init(kind: Kind, by: Int? = nil, at: String? = nil, what: String? = nil, step: Int? = nil) {
    self.kind = kind
    self.by = by
    self.at = at
    self.what = what
    self.step = step
  }
}

public struct ChainFrame: Sendable, Hashable {
  public var function: String
  /// `note.md:LINE`, or `module.py:LINE` outside the note.
  public var origin: String
  /// True for a frame of the standard library or site-packages (a view folds those);
  /// nil for the note's and its own modules' code.
  public var library: Bool?

  public init(function: String, origin: String, library: Bool? = nil) {
    self.function = function
    self.origin = origin
    self.library = library
  }
}

public struct OmittedEvents: Sendable, Hashable {
  public var events: Int
  /// Counts of the omitted suspensions per task and awaited thing, largest first.
  public var sites: [OmittedSite]
  /// Tasks of the cell left out of `tasks` because none of their events were kept (nor
  /// named in `sites` or `waiting`); nil when none were.
  public var tasks: Int?

  public init(events: Int, sites: [OmittedSite], tasks: Int? = nil) {
    self.events = events
    self.sites = sites
    self.tasks = tasks
  }
}

public struct OmittedSite: Sendable, Hashable {
  public var task: Int
  public var what: String
  public var count: Int

  public init(task: Int, what: String, count: Int) {
    self.task = task
    self.what = what
    self.count = count
  }
}

public struct WaitingTask: Sendable, Hashable {
  public var task: Int
  public var what: String
  public var chain: [ChainFrame]
  /// When its current wait began (negative: before the cell).
  public var since: Double?

  public init(task: Int, what: String, chain: [ChainFrame], since: Double? = nil) {
    self.task = task
    self.what = what
    self.chain = chain
    self.since = since
  }
}
