import Foundation

/// Durations for people: "0 s", "3.2 ms", "250 ms", "1.5 s", "2 min 5 s", "1 h".
enum DurationText {
  static func format(_ seconds: Double) -> String {
    switch seconds {
    case ..<0.000_000_5: "0 s"
    case ..<0.01: trimmed(seconds * 1000, decimals: 1) + " ms"
    case ..<1: trimmed(seconds * 1000, decimals: 0) + " ms"
    case ..<60: trimmed(seconds, decimals: 2) + " s"
    case ..<3600: units(Int(seconds.rounded()) / 60, "min", Int(seconds.rounded()) % 60, "s")
    default: units(Int(seconds.rounded()) / 3600, "h", Int(seconds.rounded()) % 3600 / 60, "min")
    }
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
