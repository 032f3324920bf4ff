extension Trace {
  /// From the cell's start (or an earlier event) to its end (or a later event). A task
  /// created by an earlier cell does not stretch it back: only what this cell saw counts.
  var timeRange: ClosedRange<Double> {
    var lower = 0.0
    var upper = end
    for task in tasks {
      if let taskEnd = task.end { upper = max(upper, taskEnd.time) }
    }
    for event in events {
      lower = min(lower, event.time)
      upper = max(upper, event.time)
    }
    return lower...max(lower, upper)
  }

  /// How many events belong to the cell's own run: all of them, unless the clock stopped
  /// the cell and the rest are the cleanup after it.
  var runEvents: Int {
    guard let first = stop?.event else { return events.count }
    return min(max(first, 0), events.count)
  }

  /// Tasks by id, for traces with thousands of them.
  var tasksByID: [Int: TraceTask] {
    Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// A task's name by id, or `#id` for an id the task list does not hold.
  var taskNames: @Sendable (Int) -> String {
    let tasks = tasksByID
    return { id in tasks[id]?.name ?? "#\(id)" }
  }

  /// The file of the note the cell is in, judged from where its tasks were created.
  var noteFile: String? {
    for origin in tasks.compactMap(\.origin) + events.compactMap(\.origin) {
      if let file = Self.file(of: origin) { return file }
    }
    return nil
  }

  /// `note.md` of `note.md:12`.
  static func file(of origin: String) -> String? {
    guard let colon = origin.lastIndex(of: ":") else { return nil }
    return String(origin[..<colon])
  }

  /// The frame a reader wants to see as "where": the innermost one in the note itself,
  /// else the innermost one outside the standard library, else the innermost one.
  static func location(in chain: [ChainFrame], noteFile: String?) -> ChainFrame? {
    if let noteFile, let frame = chain.last(where: { Self.file(of: $0.origin) == noteFile }) {
      return frame
    }
    return chain.last { $0.library != true } ?? chain.last
  }
}
