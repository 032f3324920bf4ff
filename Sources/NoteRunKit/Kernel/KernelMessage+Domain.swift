// The one place where the kernel's wire types (KernelMessage.swift) meet noterun's domain
// types. The cell cache stores the wire types too, so both directions live here.

extension WireSegment {
  init(_ segment: SourceSegment) {
    self.init(file: segment.file, line: segment.line, text: segment.text)
  }
}

extension WireClock {
  init(_ clock: ClockMode) {
    switch clock {
    case .virtual: self = .virtual
    case .real: self = .real
    }
  }

  var domain: ClockMode {
    switch self {
    case .virtual: .virtual
    case .real: .real
    }
  }
}

extension WireStream {
  init(_ stream: OutputStream) {
    switch stream {
    case .stdout: self = .stdout
    case .stderr: self = .stderr
    }
  }

  var domain: OutputStream {
    switch self {
    case .stdout: .stdout
    case .stderr: .stderr
    }
  }
}

extension WireError {
  init(_ error: CellError) {
    self.init(
      type: error.type, mro: error.mro, message: error.message, traceback: error.traceback,
      file: error.file, line: error.line)
  }

  var domain: CellError {
    CellError(type: type, mro: mro, message: message, traceback: traceback, file: file, line: line)
  }
}

extension WireTrace {
  /// Why a trace from the wire cannot be shown: a kind or state this noterun does not know.
  struct Unknown: Error {
    var what: String
  }

  init(_ trace: Trace) {
    self.init(
      clock: WireClock(trace.clock), end: trace.end,
      tasks: trace.tasks.map { task in
        Task(
          id: task.id, name: task.name, coroutine: task.coroutine, parent: task.parent,
          created: task.created, origin: task.origin,
          end: task.end.map { End(time: $0.time, state: $0.state.rawValue, detail: $0.detail) },
          role: task.role?.rawValue,
          carried: task.carried.map {
            Carried(since: $0.since, what: $0.what, chain: $0.chain.map(Frame.init))
          })
      },
      events: trace.events.map { event in
        Event(
          time: event.time, task: event.task, kind: event.kind.rawValue, what: event.what,
          chain: event.chain.map { $0.map(Frame.init) }, text: event.text,
          stream: event.stream.map(WireStream.init), seconds: event.seconds, origin: event.origin,
          ready: event.ready,
          wake: event.wake.map {
            Wake(kind: $0.kind.rawValue, by: $0.by, at: $0.at, what: $0.what, step: $0.step)
          },
          thrown: event.thrown)
      },
      omitted: trace.omitted.map { omitted in
        Omitted(
          events: omitted.events,
          sites: omitted.sites.map { Site(task: $0.task, what: $0.what, count: $0.count) },
          tasks: omitted.tasks)
      },
      waiting: trace.waiting.map {
        Waiting(task: $0.task, what: $0.what, chain: $0.chain.map(Frame.init), since: $0.since)
      },
      stop: trace.stop.map { Stop(status: $0.status.rawValue, time: $0.time, event: $0.event) })
  }

  /// The largest time a trace may hold: the time budget's bound with room to spare. A time
  /// outside it (or NaN) can only come from a damaged cache entry or kernel, and would
  /// trap where the timeline turns seconds into whole pixels or digits.
  static let timeBound = 1e12

  func domain() throws(Unknown) -> Trace {
    var times: [Double] = [end]
    for task in tasks {
      times.append(task.created)
      if let end = task.end { times.append(end.time) }
      if let since = task.carried?.since { times.append(since) }
    }
    for event in events {
      times.append(event.time)
      if let ready = event.ready { times.append(ready) }
      if let seconds = event.seconds { times.append(seconds) }
    }
    times += waiting.compactMap(\.since)
    if let stop { times.append(stop.time) }
    if let bad = times.first(where: { !(abs($0) <= Self.timeBound) }) {
      throw Unknown(what: "time \(bad) s")
    }
    func known<Value: RawRepresentable<String>>(_ raw: String, _ what: String) throws(Unknown) -> Value {
      guard let value = Value(rawValue: raw) else { throw Unknown(what: "\(what) '\(raw)'") }
      return value
    }
    var tasks: [TraceTask] = []
    tasks.reserveCapacity(self.tasks.count)
    for task in self.tasks {
      var end: TaskEnd?
      if let wire = task.end {
        end = TaskEnd(time: wire.time, state: try known(wire.state, "task end"), detail: wire.detail)
      }
      var role: TaskRole?
      if let wire = task.role { role = try known(wire, "task role") }
      tasks.append(
        TraceTask(
          id: task.id, name: task.name, coroutine: task.coroutine, parent: task.parent,
          created: task.created, origin: task.origin, end: end, role: role,
          carried: task.carried.map {
            CarriedWait(since: $0.since, what: $0.what, chain: $0.chain.map(\.domain))
          }
        ))
    }
    var events: [TraceEvent] = []
    events.reserveCapacity(self.events.count)
    for event in self.events {
      var wake: NoteRunKit.Wake?
      if let wire = event.wake {
        wake = NoteRunKit.Wake(
          kind: try known(wire.kind, "wake"), by: wire.by, at: wire.at, what: wire.what, step: wire.step)
      }
      events.append(
        TraceEvent(
          time: event.time, task: event.task, kind: try known(event.kind, "trace event"), what: event.what,
          chain: event.chain.map { $0.map(\.domain) }, text: event.text, stream: event.stream?.domain,
          seconds: event.seconds, origin: event.origin, ready: event.ready, wake: wake, thrown: event.thrown))
    }
    var stop: TraceStop?
    if let wire = self.stop {
      stop = TraceStop(status: try known(wire.status, "stop"), time: wire.time, event: wire.event)
    }
    return Trace(
      clock: clock.domain, end: end, tasks: tasks, events: events,
      omitted: omitted.map { omitted in
        OmittedEvents(
          events: omitted.events,
          sites: omitted.sites.map { OmittedSite(task: $0.task, what: $0.what, count: $0.count) },
          tasks: omitted.tasks)
      },
      waiting: waiting.map {
        WaitingTask(task: $0.task, what: $0.what, chain: $0.chain.map(\.domain), since: $0.since)
      },
      stop: stop)
  }
}

extension WireTrace.Frame {
  init(_ frame: ChainFrame) {
    self.init(function: frame.function, origin: frame.origin, library: frame.library)
  }

  var domain: ChainFrame { ChainFrame(function: function, origin: origin, library: library) }
}

extension KernelEvent.PendingTask {
  static let waiting = "waiting"
  static let notStarted = "not started"

  init(_ task: UnfinishedTask) {
    self.init(
      name: task.name, coroutine: task.coroutine, state: task.started ? Self.waiting : Self.notStarted,
      location: task.location, cell: task.cell)
  }

  /// nil for a state this noterun does not know.
  var domain: UnfinishedTask? {
    guard state == Self.waiting || state == Self.notStarted else { return nil }
    return UnfinishedTask(
      name: name, coroutine: coroutine, started: state == Self.waiting, location: location, cell: cell)
  }
}
