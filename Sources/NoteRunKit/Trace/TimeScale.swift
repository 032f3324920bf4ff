import Foundation

/// Maps trace time to x on the timeline. Time runs proportionally across, except that every
/// event also gets a small step of its own: under the virtual clock whole bursts of events
/// share one instant (a task runs, prints and suspends at t = 0), and spreading them in
/// order keeps each of them visible and their order readable.
struct TimeScale: Sendable {
  /// Events that happened at one moment (within half a pixel), drawn side by side.
  struct Instant: Sendable, Hashable {
    var time: Double
    var firstEvent: Int
    var count: Int
    /// Where the instant's first event sits.
    var x: Double
  }

  struct Tick: Sendable, Hashable {
    var time: Double
    var x: Double
    var label: String
  }

  let start: Double
  let end: Double
  let left: Double
  /// Pixels between two events of one instant.
  let step: Double
  /// Pixels given to proportional time; the rest of the width goes to steps.
  let timeWidth: Double
  let instants: [Instant]
  /// x of each event, by its index in the trace.
  let eventX: [Double]
  private let tolerance: Double

  /// `right` when events need no more room than this.
  static let nominalStep = 6.0
  /// Steps never take more than this share of the width while time passes.
  static let stepShare = 0.4
  /// When all happens at one instant, the steps have the whole width, up to this each.
  static let widestStep = 40.0

  init(eventTimes: [Double], range: ClosedRange<Double>, left: Double, width: Double) {
    start = range.lowerBound
    end = range.upperBound
    self.left = left
    let span = end - start
    tolerance = span / width / 2

    var instants: [Instant] = []
    for (index, rawTime) in eventTimes.enumerated() {
      // A clock never runs backwards; a float a hair behind the last instant joins it.
      let time = max(rawTime, instants.last?.time ?? start)
      if let last = instants.last, time - last.time <= tolerance {
        instants[instants.count - 1].count += 1
      } else {
        instants.append(Instant(time: time, firstEvent: index, count: 1, x: 0))
      }
    }

    let events = Double(eventTimes.count)
    if span > 0 {
      let stepsWidth = min(Self.nominalStep * events, Self.stepShare * width)
      step = events > 0 ? stepsWidth / events : 0
      timeWidth = width - stepsWidth
    } else {
      step = events > 0 ? min(Self.widestStep, width / events) : 0
      timeWidth = 0
    }

    var eventX: [Double] = []
    eventX.reserveCapacity(eventTimes.count)
    for index in instants.indices {
      let instant = instants[index]
      let x = left + Self.fraction(instant.time, start, span) * timeWidth + step * Double(instant.firstEvent)
      instants[index].x = x
      for ordinal in 0..<instant.count { eventX.append(x + step * Double(ordinal)) }
    }
    self.instants = instants
    self.eventX = eventX
  }

  /// The right edge: after the last event's step and the end of time.
  var right: Double { left + timeWidth + step * Double(eventX.count) }

  /// x of a moment no event marks (a tick, a task's end past the trace limit). At an
  /// instant it is where that instant's events begin, or `after` them, where they end.
  func x(_ time: Double, after: Bool = false) -> Double {
    let span = end - start
    let before = instants.partitioningIndex { $0.time >= time - tolerance }
    if before < instants.count, abs(instants[before].time - time) <= tolerance {
      let instant = instants[before]
      return after ? instant.x + step * Double(instant.count) : instant.x
    }
    let eventsBefore = before < instants.count ? instants[before].firstEvent : eventX.count
    return left + Self.fraction(time, start, span) * timeWidth + step * Double(eventsBefore)
  }

  /// Axis ticks at a round step (1, 2 or 5 × 10ⁿ), in milliseconds when less than a second
  /// passes, at least 70 pixels apart.
  var ticks: [Tick] {
    let span = end - start
    guard span > 0 else { return [Tick(time: start, x: left, label: "0 s")] }
    let millis = span < 1
    let unit = millis ? 1000.0 : 1
    let target = max(2, (timeWidth / 70).rounded(.down))
    let stepSize = Self.roundStep(span / target)
    let decimals = max(0, Int((-log10(stepSize * unit)).rounded(.up)))
    var ticks: [Tick] = []
    var index = (start / stepSize).rounded(.up)
    while index * stepSize <= end + stepSize * 1e-9 {
      let time = index * stepSize
      let value = time * unit
      let number = value == 0 ? "0" : TraceFormat.fixed(value, decimals: decimals)
      let label = number + (millis ? " ms" : " s")
      ticks.append(Tick(time: time, x: x(time), label: label))
      index += 1
    }
    return ticks
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
