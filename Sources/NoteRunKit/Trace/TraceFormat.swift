import Foundation

/// How trace text reads in the timeline's tooltips and the trace table, so both show the
/// same times and the same wording.
struct TraceFormat: Sendable {
  /// Digits after the decimal point for every time of one trace.
  let decimals: Int
  /// A task's name for a reader, by id (`#id` for an id the task list does not hold).
  let names: @Sendable (Int) -> String

  init(_ trace: Trace) {
    let tasks = trace.tasksByID
    names = { id in tasks[id].map(Self.name) ?? "#\(id)" }
    // Virtual time moves in timer steps: milliseconds usually suffice, but a
    // `sleep(0.0004)` needs its fourth digit. Real time of a short cell lives in
    // microseconds, where three digits would show every event at 0.000.
    let span = trace.timeRange.upperBound - trace.timeRange.lowerBound
    if trace.clock == .real && span < 1 {
      decimals = 6
    } else {
      let times =
        trace.events.map(\.time) + trace.tasks.compactMap { $0.end?.time } + [trace.end]
        + trace.events.compactMap(\.ready)
      decimals = Self.decimals(for: times, least: 3)
    }
  }

  /// The fewest decimals, from `least` up to 6 (microseconds, the kernel's rounding), that
  /// write every one of `values` exactly.
  static func decimals(for values: [Double], least: Int) -> Int {
    var decimals = least
    var scale = pow(10, Double(least))
    for value in values where value.isFinite {
      while decimals < 6 {
        let scaled = abs(value) * scale
        if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
        decimals += 1
        scale *= 10
      }
    }
    return decimals
  }

  /// The cell's own task is "cell" (its Python name, `Task-3`, says nothing to a reader);
  /// every other task goes by its name.
  static func name(_ task: TraceTask) -> String {
    task.role == .cell ? "cell" : task.name
  }

  func name(_ task: TraceTask) -> String { Self.name(task) }

  func time(_ seconds: Double) -> String {
    Self.fixed(seconds, decimals: decimals)
  }

  /// `value` with exactly `decimals` digits after the point, as `%.Nf` writes it but
  /// without its cost: tables of 50,000 events format 50,000 times.
  static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return String(format: "%.\(decimals)f", value) }
    let units = Int(scaled)
    let whole = String(units / Int(scale))
    let sign = value < 0 && units != 0 ? "-" : ""
    guard decimals > 0 else { return sign + whole }
    let fraction = String(units % Int(scale))
    return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
  }

  func duration(_ seconds: Double) -> String {
    time(seconds) + " s"
  }

  /// `995,000`: counts stay readable whatever the locale.
  static func count(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
      grouped.append(digit)
    }
    return value < 0 ? "-" + grouped : grouped
  }

  /// A printed text on one line: line breaks shown as `⏎`, the final one dropped.
  static func oneLine(_ text: String) -> String {
    var text = text
    while let last = text.last, last.isNewline { text.removeLast() }
    return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .joined(separator: " ⏎ ")
  }

  /// At most `limit` characters, the last replaced by `…` when cut.
  static func elide(_ text: String, to limit: Int) -> String {
    guard text.count > limit else { return text }
    guard limit > 0 else { return "" }
    return String(text.prefix(limit - 1)) + "…"
  }

  static func frame(_ frame: ChainFrame) -> String {
    "\(frame.function) \(frame.origin)"
  }

  /// An await chain as a reader follows it: where the task stopped, then its callers.
  static func chain(_ chain: [ChainFrame]) -> String {
    chain.reversed().map(frame).joined(separator: " ← ")
  }

  /// Where in the note a task waits, then its callers: `x.md:12 in helper ← b x.md:30`.
  /// Frames inside what it awaits (asyncio's own) are left to the awaited thing's name.
  static func site(_ chain: [ChainFrame], noteFile: String?) -> String {
    guard let place = Trace.location(in: chain, noteFile: noteFile),
      let index = chain.lastIndex(of: place)
    else { return "" }
    let callers = chain[..<index].reversed().map(frame)
    return (["\(place.origin) in \(place.function)"] + callers).joined(separator: " ← ")
  }

  /// What woke a task, for a reader: `Queue.put by producer at note.md:14`, `timer: sleep(1)`.
  static func wake(_ wake: Wake, name: (Int) -> String) -> String {
    let by = wake.by.map(name)
    let at = wake.at.map { " at \($0)" } ?? ""
    switch wake.kind {
    case .start: return "its first step"
    case .yield: return "yield: rescheduled at once"
    case .timer: return "timer" + (wake.what.map { ": \($0) elapsed" } ?? "")
    case .call:
      return (wake.what ?? "a call") + (by.map { " by \($0)" } ?? "") + at
    case .done:
      return (wake.what ?? by.map { "Task '\($0)'" } ?? "what it awaited") + " finished"
    case .child:
      let group = wake.what ?? "a group"
      return by.map { "\(group): child \($0) finished" } ?? "\(group): a child finished"
    case .cancel:
      switch wake.what {
      case "TaskGroup", "gather":
        return "cancelled by \(wake.what!)" + (by.map { " because \($0) failed" } ?? "") + at
      case "timeout":
        return "cancelled by a timeout" + at
      default:
        return "cancel()" + (by.map { " by \($0)" } ?? "") + at
      }
    case .executor: return "executor: " + (wake.what ?? "a thread") + " finished"
    case .callback: return "callback " + (wake.what ?? "") + at
    case .loop: return "the loop" + (wake.what.map { ": \($0)" } ?? "")
    }
  }

  /// An await chain as a reader follows it, library frames (asyncio's own) left out:
  /// where the task stopped in the note, then its callers.
  static func noteChain(_ chain: [ChainFrame]) -> String {
    let own = chain.filter { $0.library != true }
    return Self.chain(own.isEmpty ? chain : own)
  }
}
