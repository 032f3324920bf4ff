import Foundation

/// Maps trace time to x on the timeline, on one of two axes.
///
/// * `.time`: linear. x is proportional to time and nothing else, so durations can be read
///   off the axis and a 1.7 s bar is always wider than a 1.4 s one. Everything that happens
///   at one virtual instant sits at one x; its order is told by the instant's burst mark
///   (`TimelineLayout.Burst`) and by the `.steps` axis.
/// * `.steps`: one column per loop step (a task's run from a resume to its next await), in
///   the order the loop ran them, whatever time passed between them. Not to scale: ticks
///   name the time at which each new instant begins.
struct TimeScale: Sendable {
  typealias Axis = TimelineLayout.Axis

  /// Events that happened at one moment (within half a pixel on the time axis).
  struct Instant: Sendable, Hashable {
    var time: Double
    var firstEvent: Int
    var count: Int
    /// Loop steps begun at this instant, in order: the index of each step's first event.
    var steps: [Int]
  }

  struct Tick: Sendable, Hashable {
    var time: Double
    var x: Double
    var label: String
  }

  let axis: Axis
  let start: Double
  let end: Double
  let left: Double
  let width: Double
  let instants: [Instant]
  /// x of each event, by its index in the trace.
  let eventX: [Double]
  /// Steps axis: x where each column begins, and the width of one.
  private let columnX: [Double]
  private let columnWidth: Double
  /// Steps axis: the first and last column of each instant.
  private let instantColumns: [ClosedRange<Int>]

  /// `events`: each event's time and task, and whether it begins a loop step (a resume).
  init(
    events: [(time: Double, task: Int, startsStep: Bool)], range: ClosedRange<Double>, axis: Axis = .time,
    left: Double, width: Double
  ) {
    self.axis = axis
    start = range.lowerBound
    end = range.upperBound
    self.left = left
    self.width = width
    let span = end - start
    let tolerance = axis == .time ? span / max(width, 1) / 2 : 0

    // Instants, and loop-step columns: a new column at each resume, and at an event of
    // another task than the column's (a creation or an end seen from outside).
    var instants: [Instant] = []
    var column: [Int] = []
    var columnTask: Int?
    var columns = 0
    var columnsOfInstant: [ClosedRange<Int>] = []
    for (index, event) in events.enumerated() {
      // A clock never runs backwards; a float a hair behind the last instant joins it.
      let time = max(event.time, instants.last?.time ?? start)
      let newInstant = instants.last.map { time - $0.time > tolerance } ?? true
      if newInstant {
        instants.append(Instant(time: time, firstEvent: index, count: 0, steps: []))
      }
      instants[instants.count - 1].count += 1
      if newInstant || event.startsStep || event.task != columnTask {
        columns += 1
        columnTask = event.task
        instants[instants.count - 1].steps.append(index)
        if newInstant {
          columnsOfInstant.append((columns - 1)...(columns - 1))
        } else {
          let first = columnsOfInstant[columnsOfInstant.count - 1].lowerBound
          columnsOfInstant[columnsOfInstant.count - 1] = first...(columns - 1)
        }
      }
      column.append(columns - 1)
    }
    self.instants = instants
    instantColumns = columnsOfInstant

    switch axis {
    case .time:
      columnWidth = 0
      columnX = []
      var eventX: [Double] = []
      eventX.reserveCapacity(events.count)
      for instant in instants {
        let x = left + Self.fraction(instant.time, start, span) * width
        eventX.append(contentsOf: repeatElement(x, count: instant.count))
      }
      self.eventX = eventX
    case .steps:
      let count = max(columns, 1)
      columnWidth = width / Double(count)
      columnX = (0..<count).map { left + Double($0) * width / Double(count) }
      // Within its column, a step's events spread over its first 70 %: a running bar from
      // the resume to the await, then a gap before the next step.
      var eventX: [Double] = []
      eventX.reserveCapacity(events.count)
      var ordinal = 0
      var lastColumn = -1
      var sizes = [Int](repeating: 0, count: count)
      for columnIndex in column { sizes[columnIndex] += 1 }
      let columnWidth = self.columnWidth
      let columnX = self.columnX
      for columnIndex in column {
        ordinal = columnIndex == lastColumn ? ordinal + 1 : 0
        lastColumn = columnIndex
        let share = sizes[columnIndex] > 1 ? Double(ordinal) / Double(sizes[columnIndex] - 1) : 0
        eventX.append(columnX[columnIndex] + columnWidth * 0.7 * share)
      }
      self.eventX = eventX
    }
  }

  /// The right edge: the end of time, or of the last step.
  var right: Double { left + width }

  /// x of a moment no event marks (a tick, a task's end past the trace limit). On the steps
  /// axis, at an instant it is where that instant's steps begin, or `after` them, where they end.
  func x(_ time: Double, after: Bool = false) -> Double {
    switch axis {
    case .time:
      return left + Self.fraction(time, start, end - start) * width
    case .steps:
      guard !instants.isEmpty else { return left }
      // The first instant at or after `time`.
      let index = instants.partitioningIndex { $0.time >= time - 1e-9 }
      if index < instants.count, abs(instants[index].time - time) <= 1e-9 {
        let columns = instantColumns[index]
        return after ? columnX[columns.upperBound] + columnWidth : columnX[columns.lowerBound]
      }
      return index < instants.count ? columnX[instantColumns[index].lowerBound] : right
    }
  }

  /// Time axis: ticks at a round step (1, 2 or 5 × 10ⁿ), in milliseconds when less than a
  /// second passes, at least 70 pixels apart. Steps axis: the time of each new instant,
  /// where there is room for its label.
  var ticks: [Tick] {
    let span = end - start
    guard span > 0 else { return [Tick(time: start, x: left, label: "0 s")] }
    let millis = span < 1
    let unit = millis ? 1000.0 : 1
    let target = max(2, (width / 70).rounded(.down))
    let stepSize = Self.roundStep(span / target)
    let decimals = max(0, Int((-log10(stepSize * unit)).rounded(.up)))
    switch axis {
    case .time:
      var ticks: [Tick] = []
      var index = (start / stepSize).rounded(.up)
      while index * stepSize <= end + stepSize * 1e-9 {
        let time = index * stepSize
        ticks.append(Tick(time: time, x: x(time), label: Self.label(time, unit: unit, decimals: decimals)))
        index += 1
      }
      return ticks
    case .steps:
      var ticks: [Tick] = []
      for instant in instants {
        let x = x(instant.time)
        if let last = ticks.last, x - last.x < 56 { continue }
        let decimals = TraceFormat.decimals(for: [instant.time * unit], least: 0)
        ticks.append(
          Tick(time: instant.time, x: x, label: Self.label(instant.time, unit: unit, decimals: decimals)))
      }
      return ticks
    }
  }

  private static func label(_ time: Double, unit: Double, decimals: Int) -> String {
    let value = time * unit
    let number = value == 0 ? "0" : TraceFormat.fixed(value, decimals: decimals)
    return number + (unit == 1000 ? " ms" : " s")
  }

  /// The smallest of 1, 2, 5 × 10ⁿ at least `raw`.
  static func roundStep(_ raw: Double) -> Double {
    let power = pow(10, log10(raw).rounded(.down))
    for multiple in [1.0, 2, 5, 10] where multiple * power >= raw * (1 - 1e-9) {
      return multiple * power
    }
    return 10 * power
  }

  private static func fraction(_ time: Double, _ start: Double, _ span: Double) -> Double {
    span > 0 ? min(max((time - start) / span, 0), 1) : 0
  }
}

extension Array {
  /// The first index whose element satisfies `belongs`, for an array where all that do
  /// follow all that do not.
  fileprivate func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
    var low = 0
    var high = count
    while low < high {
      let middle = (low + high) / 2
      if belongs(self[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
