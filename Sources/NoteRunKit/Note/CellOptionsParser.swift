import Foundation

extension CellOptions {
  /// noterun's own option names, then the Quarto names also accepted (mostly in `#|` lines).
  static let knownNames = [
    "norun", "skip", "raises", "match", "timeout", "clock", "hide", "trace", "id", "title", "filename",
    "name",
  ]
  static let quartoNames = ["echo", "eval", "output", "error", "label"]

  /// Applies one option, from the info string (`value` nil for a bare flag) or a `#|` line.
  mutating func set(_ name: String, _ value: String?, file: String, line: Int) throws(NoteError) {
    func fail(_ expected: String) -> NoteError {
      let given = value.map { "`\($0)`" } ?? "nothing"
      return NoteError(
        file: file, line: line, message: "cell option `\(name)` must be \(expected), not \(given)")
    }
    func required() throws(NoteError) -> String {
      guard let value, !value.isEmpty else { throw fail("given a value (`\(name)=…`)") }
      return value
    }
    func flag() throws(NoteError) -> Bool {
      guard let value else { return true }
      switch value.lowercased() {
      case "true", "yes": return true
      case "false", "no": return false
      default: throw fail("true or false")
      }
    }
    switch name.lowercased() {
    case "norun", "skip":
      run = try !flag()
    case "eval":
      run = try flag()
    case "raises":
      let value = try required()
      guard Self.isDottedName(value) else { throw fail("an exception name such as ValueError") }
      raises = value
    case "match":
      let value = try required()
      guard (try? NSRegularExpression(pattern: Self.icuPattern(value))) != nil else {
        throw fail("a valid regular expression")
      }
      match = value
    case "timeout":
      guard let seconds = Double(try required()), seconds.isFinite, seconds > 0 else {
        throw fail("a number of seconds above 0")
      }
      timeout = seconds
    case "clock":
      guard let mode = ClockMode(rawValue: try required().lowercased()) else {
        throw fail("virtual or real")
      }
      clock = mode
    case "hide":
      var parts: Set<HiddenPart> = []
      for item in try required().split(separator: ",", omittingEmptySubsequences: false) {
        guard let part = HiddenPart(rawValue: item.trimmingCharacters(in: .whitespaces).lowercased())
        else { throw fail("a comma list of source, output, trace") }
        parts.insert(part)
      }
      hide.formUnion(parts)
    case "echo":
      if try !flag() { hide.insert(.source) }
    case "output":
      if try !flag() { hide.insert(.output) }
    case "trace":
      switch try required().lowercased() {
      case "on", "true": trace = true
      case "off", "false": trace = false
      default: throw fail("off or on")
      }
    case "id", "label":
      let value = try required()
      guard value.unicodeScalars.allSatisfy(Self.isAnchorCharacter) else {
        throw fail("letters, digits, `-` and `_`")
      }
      id = value
    case "title", "filename", "name":
      caption = try required()
    case "error":
      // Quarto's `error: true` lets a render go on after a failing cell: noterun always
      // does, and `raises=` declares an expected error, so both values are accepted as is.
      _ = try flag()
    default:
      throw NoteError(
        file: file, line: line,
        message: "unknown cell option `\(name)` (known: \(Self.knownNames.joined(separator: ", "));"
          + " from Quarto: \(Self.quartoNames.joined(separator: ", ")))")
    }
  }

  /// NSRegularExpression (ICU) spells Python's named groups without the `P`.
  static func icuPattern(_ pattern: String) -> String {
    pattern.replacingOccurrences(of: "(?P<", with: "(?<")
      .replacingOccurrences(
        of: #"\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)"#, with: #"\\k<$1>"#, options: .regularExpression)
  }

  private static func isDottedName(_ text: String) -> Bool {
    text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
      guard let first = part.unicodeScalars.first, first == "_" || first.properties.isXIDStart else {
        return false
      }
      return part.unicodeScalars.allSatisfy { $0.properties.isXIDContinue }
    }
  }

  private static func isAnchorCharacter(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
      || scalar == "-" || scalar == "_"
  }
}
