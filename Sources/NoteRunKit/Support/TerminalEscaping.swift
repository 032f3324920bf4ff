/// Text from a note or a cell, made harmless for a terminal or a CI log: a cell that
/// prints an escape sequence must not retitle the window, clear the screen or set the
/// clipboard (OSC 52) of whoever reads the report, nor a line starting `::error` annotate
/// a GitHub Actions run.
public enum TerminalEscaping {
  /// Every control character but line feed and tab becomes a visible stand-in: C0
  /// controls and DEL their Control Pictures (ESC shows as ␛), C1 controls (U+0080–U+009F,
  /// which some terminals also obey) U+FFFD. A `::` that opens a line, after any blanks,
  /// gets a zero-width space between its colons, which the runner does not read as a
  /// workflow command.
  public static func harmless(_ text: String) -> String {
    var safe = ""
    safe.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    var lineStart = true
    var previousColon = false
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n":
        safe.unicodeScalars.append(scalar)
        lineStart = true
        previousColon = false
        continue
      case "\u{0}"..."\u{1F}" where scalar != "\t":
        safe.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
      case "\u{7F}":
        safe += "\u{2421}"
      case "\u{80}"..."\u{9F}":
        safe += "\u{FFFD}"
      case ":" where lineStart && previousColon:
        safe += "\u{200B}:"
      default:
        safe.unicodeScalars.append(scalar)
      }
      let blank = scalar == " " || scalar == "\t"
      previousColon = lineStart && scalar == ":" && !previousColon
      lineStart = lineStart && (blank || previousColon)
    }
    return safe
  }
}
