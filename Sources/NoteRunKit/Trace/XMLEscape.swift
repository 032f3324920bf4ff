/// User text (task names, prints, reprs) made safe inside SVG/HTML text and attributes.
enum XMLEscape {
  /// Escapes markup as `HTMLEscape` does, after replacing the control characters XML 1.0
  /// forbids (a print of an ANSI colour code, say) with their visible Unicode pictures (`␛`).
  static func text(_ text: String) -> String {
    var visible = ""
    visible.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\t", "\n", "\r": visible.unicodeScalars.append(scalar)
      case "\u{0}"..."\u{1F}": visible.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
      case "\u{7F}": visible += "\u{2421}"
      case "\u{FFFE}", "\u{FFFF}": visible += "\u{FFFD}"
      default: visible.unicodeScalars.append(scalar)
      }
    }
    return HTMLEscape.escape(visible)
  }
}
