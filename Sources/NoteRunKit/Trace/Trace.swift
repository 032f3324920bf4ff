/// The suspension trace of one cell, as the kernel records it: every asyncio task the
/// cell ran, and what each did when. Times are seconds on the cell's clock (virtual
/// unless `clock=real`) from the start of the cell.
public struct Trace: Sendable, Hashable, Codable {
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

  public init(
    clock: ClockMode, end: Double, tasks: [TraceTask], events: [TraceEvent],
    omitted: OmittedEvents? = nil, waiting: [WaitingTask] = []
  ) {
    self.clock = clock
    self.end = end
    self.tasks = tasks
    self.events = events
    self.omitted = omitted
    self.waiting = waiting
  }
}

public struct TraceTask: Sendable, Hashable, Codable {
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

  public init(
    id: Int, name: String, coroutine: String, parent: Int?, created: Double, origin: String?,
    end: TaskEnd?
  ) {
    self.id = id
    self.name = name
    self.coroutine = coroutine
    self.parent = parent
    self.created = created
    self.origin = origin
    self.end = end
  }
}

public struct TaskEnd: Sendable, Hashable, Codable {
  public enum State: String, Sendable, Hashable, Codable {
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

public struct TraceEvent: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Hashable, Codable {
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
  /// block, create: `note.md:LINE`.
  public var origin: String?

  public init(
    time: Double, task: Int, kind: Kind, what: String? = nil, chain: [ChainFrame]? = nil,
    text: String? = nil, stream: OutputStream? = nil, seconds: Double? = nil, origin: String? = nil
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
  }
}

public struct ChainFrame: Sendable, Hashable, Codable {
  public var function: String
  /// `note.md:LINE`, or `module.py:LINE` outside the note.
  public var origin: String

  public init(function: String, origin: String) {
    self.function = function
    self.origin = origin
  }
}

public struct OmittedEvents: Sendable, Hashable, Codable {
  public var events: Int
  /// Counts of the omitted suspensions per task and awaited thing, largest first.
  public var sites: [OmittedSite]

  public init(events: Int, sites: [OmittedSite]) {
    self.events = events
    self.sites = sites
  }
}

public struct OmittedSite: Sendable, Hashable, Codable {
  public var task: Int
  public var what: String
  public var count: Int

  public init(task: Int, what: String, count: Int) {
    self.task = task
    self.what = what
    self.count = count
  }
}

public struct WaitingTask: Sendable, Hashable, Codable {
  public var task: Int
  public var what: String
  public var chain: [ChainFrame]

  public init(task: Int, what: String, chain: [ChainFrame]) {
    self.task = task
    self.what = what
    self.chain = chain
  }
}
