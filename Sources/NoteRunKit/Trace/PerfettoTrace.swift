import Foundation

/// Traces as Chrome Trace Event JSON, which ui.perfetto.dev and chrome://tracing open.
///
/// Each cell is a process (`pid` = cell number), each task a thread (`tid` = task id) named
/// and ordered as on the page. A task's track holds complete (`X`) slices one after the
/// other: `run` for its steps, the awaited thing (`sleep(1.0)`, `Queue.get()`) for its
/// waits, `ready` for time it was ready but not running; they never overlap, so no async
/// events are needed. Prints, blocking steps and ends are instant events. Each wake with a
/// known waker is a flow (`s` on the waker's step, `f` on the woken task's resume), bound to
/// the slices open at those moments. Timestamps are the cell's clock (virtual unless
/// `clock=real`) in microseconds since the cell began: a virtual instant stays one instant,
/// and the `step` argument of each slice gives the loop's order within it.
public enum PerfettoTrace {
  /// One cell's trace and how to name its process.
  public struct Cell: Sendable {
    public var number: Int
    public var location: String
    public var trace: Trace

    public init(number: Int, location: String, trace: Trace) {
      self.number = number
      self.location = location
      self.trace = trace
    }
  }

  public static func json(_ cells: [Cell]) -> String {
    var events: [Event] = []
    var flows = 0
    for cell in cells { append(cell, to: &events, flows: &flows) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try! encoder.encode(File(traceEvents: events))
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  private struct File: Encodable {
    var displayTimeUnit = "ms"
    var traceEvents: [Event]
  }

  /// One trace event; absent fields are left out.
  private struct Event: Encodable {
    var ph: String
    var name: String
    var cat: String?
    var pid: Int
    var tid: Int?
    /// Microseconds.
    var ts: Double?
    var dur: Double?
    /// Instant events: scoped to their thread.
    var s: String?
    var id: Int?
    /// Flow events: bound to the enclosing slice.
    var bp: String?
    var args: [String: Argument]?
  }

  private enum Argument: Encodable {
    case text(String)
    case number(Double)
    case flag(Bool)

    func encode(to encoder: Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .text(let text): try container.encode(text)
      case .number(let number): try container.encode(number)
      case .flag(let flag): try container.encode(flag)
      }
    }
  }

  private static func append(_ cell: Cell, to events: inout [Event], flows: inout Int) {
    let trace = cell.trace
    let pid = cell.number
    let name = TraceFormat(trace).names
    let end = trace.timeRange.upperBound
    let process = "cell \(cell.number) · \(cell.location) · \(trace.clock.rawValue) clock"
    events.append(Event(ph: "M", name: "process_name", pid: pid, args: ["name": .text(process)]))
    events.append(
      Event(ph: "M", name: "process_sort_index", pid: pid, args: ["sort_index": .number(Double(pid))]))
    func time(_ anchor: TaskActivity.Anchor) -> Double {
      switch anchor {
      case .event(let index): trace.events[index].time
      case .before(let time), .after(let time): time
      case .end: end
      }
    }
    for (order, activity) in TaskActivity.all(trace).enumerated() {
      let tid = activity.task.id
      events.append(
        Event(ph: "M", name: "thread_name", pid: pid, tid: tid, args: ["name": .text(name(tid))]))
      events.append(
        Event(
          ph: "M", name: "thread_sort_index", pid: pid, tid: tid, args: ["sort_index": .number(Double(order))]
        ))
      for span in activity.spans {
        let start = time(span.start)
        var args: [String: Argument] = [:]
        let resume = span.event.map { trace.events[$0] }
        if let index = span.event { args["step"] = .number(Double(index)) }
        if !span.chain.isEmpty { args["await chain"] = .text(TraceFormat.chain(span.chain)) }
        if span.kind != .running, let wake = resume?.wake {
          args["woken by"] = .text(TraceFormat.wake(wake, name: name))
        }
        if span.kind != .running, let thrown = resume?.thrown { args["thrown"] = .text(thrown) }
        if span.carried { args["since an earlier cell"] = .flag(true) }
        let duration = max(0, time(span.end) - start)
        // A task scheduled and run at one instant was never really waiting: no slice.
        if span.kind == .ready, duration == 0, !span.carried { continue }
        let (title, category): (String, String) =
          switch span.kind {
          case .running: ("run", "step")
          case .suspended: (span.what ?? "await", "await")
          case .ready: ("ready", "ready")
          case .waitingAtEnd:
            (span.what ?? "await", trace.stop?.status == .deadlock ? "deadlock" : "waiting at the end")
          case .unrecorded: ("not recorded", "omitted")
          }
        events.append(
          Event(
            ph: "X", name: title, cat: category, pid: pid, tid: tid, ts: micros(start),
            dur: micros(duration), args: args))
      }
      for mark in activity.marks {
        let (title, args): (String, [String: Argument]) =
          switch mark.kind {
          case .create: ("created", ["at": .text(activity.task.origin ?? "")])
          case .print(let stream, let text): (stream == .stderr ? "stderr" : "print", ["text": .text(text)])
          case .block(let seconds, let origin):
            ("blocked the loop", ["real seconds": .number(seconds ?? 0), "at": .text(origin ?? "")])
          case .end(let state, let detail): (state.rawValue, ["detail": .text(detail ?? "")])
          }
        events.append(
          Event(
            ph: "i", name: title, cat: "mark", pid: pid, tid: tid, ts: micros(time(mark.at)), s: "t",
            args: args))
      }
    }
    for event in trace.events.prefix(trace.runEvents) {
      guard event.kind == .resume, let wake = event.wake, let step = wake.step, step < trace.runEvents else {
        continue
      }
      flows += 1
      let waker = trace.events[step]
      let title = "woke: " + TraceFormat.wake(wake, name: name)
      events.append(
        Event(
          ph: "s", name: title, cat: "wake", pid: pid, tid: waker.task, ts: micros(waker.time), id: flows,
          bp: "e"))
      events.append(
        Event(
          ph: "f", name: title, cat: "wake", pid: pid, tid: event.task, ts: micros(event.time), id: flows,
          bp: "e"))
    }
  }

  /// Seconds as whole microseconds (the kernel's resolution).
  private static func micros(_ seconds: Double) -> Double {
    (seconds * 1_000_000).rounded()
  }
}
