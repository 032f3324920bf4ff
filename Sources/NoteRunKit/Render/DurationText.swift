import Foundation

/// Durations for people: "0 s", "3.2 ms", "250 ms", "1.5 s", "2 min 5 s", "1 h".
enum DurationText {
  static func format(_ seconds: Double) -> String {
    switch seconds {
    case ..<0.000_000_5: "0 s"
    case ..<0.01: trimmed(seconds * 1000, decimals: 1) + " ms"
    case ..<1: trimmed(seconds * 1000, decimals: 0) + " ms"
    case ..<60: trimmed(seconds, decimals: 2) + " s"
    case ..<3600: units(whole(seconds) / 60, "min", whole(seconds) % 60, "s")
    default: units(whole(seconds) / 3600, "h", whole(seconds) % 3600 / 60, "min")
    }
  }

  /// Rounded whole seconds; total for any Double (NaN is 0, beyond Int's range is clamped),
  /// so a corrupt duration cannot trap the renderer.
  private static func whole(_ seconds: Double) -> Int {
    guard seconds.isFinite else { return seconds.isNaN ? 0 : (seconds > 0 ? Int.max : Int.min) }
    return Int(exactly: seconds.rounded()) ?? (seconds > 0 ? Int.max : Int.min)
  }

  private static func units(_ large: Int, _ largeUnit: String, _ small: Int, _ smallUnit: String) -> String {
    small == 0 ? "\(large) \(largeUnit)" : "\(large) \(largeUnit) \(small) \(smallUnit)"
  }

  private static func trimmed(_ value: Double, decimals: Int) -> String {
    var text = String(format: "%.\(decimals)f", value)
    guard text.contains(".") else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
