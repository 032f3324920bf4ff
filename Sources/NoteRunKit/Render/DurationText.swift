import Foundation

/// Durations for people: "0 s", "3.2 ms", "250 ms", "1.5 s", "2 min 5 s".
enum DurationText {
  static func format(_ seconds: Double) -> String {
    switch seconds {
    case ..<0.000_000_5: "0 s"
    case ..<0.01: trimmed(seconds * 1000, decimals: 1) + " ms"
    case ..<1: trimmed(seconds * 1000, decimals: 0) + " ms"
    case ..<60: trimmed(seconds, decimals: 2) + " s"
    default: "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
  }

  private static func trimmed(_ value: Double, decimals: Int) -> String {
    var text = String(format: "%.\(decimals)f", value)
    guard text.contains(".") else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
