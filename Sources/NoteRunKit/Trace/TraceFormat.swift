import Foundation

/// How trace text reads in the timeline's tooltips and the trace table, so both show the
/// same times and the same wording.
struct TraceFormat: Sendable {
  /// Digits after the decimal point for every time of one trace.
  let decimals: Int

  init(_ trace: Trace) {
    // Virtual time moves in whole timer steps: milliseconds suffice. Real time of a short
    // cell lives in microseconds, where three digits would show every event at 0.000.
    let span = trace.timeRange.upperBound - trace.timeRange.lowerBound
    decimals = trace.clock == .real && span < 1 ? 6 : 3
  }

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
}
