import Foundation

extension CellOptions {
  /// noterun's own option names.
  static let ownNames = [
    "norun", "skip", "raises", "match", "timeout", "clock", "hide", "trace", "id", "long-output",
    "requires-python",
  ]
  /// Names other tools write, understood as the README's table says: MkDocs/pymdownx,
  /// Quarto (mostly in `#|` lines), MyST (`tags`), markdown-exec.
  static let otherToolNames = [
    "title", "filename", "name", "linenums", "hl_lines", "echo", "eval", "output", "include", "error",
    "warning", "label", "tags", "exec", "session", "source", "result", "html",
  ]
  /// MyST tags noterun acts on; other tags are free-form labels and are ignored.
  static let mystTags = [
    "raises-exception", "skip-execution", "hide-input", "hide-output", "hide-cell", "remove-input",
    "remove-output", "remove-cell",
  ]
  /// markdown-exec's `source=` places.
  static let sourcePlaces = [
    "above", "below", "material-block", "tabbed-left", "tabbed-right", "console", "pyconsole",
  ]

  /// Applies one option, from the info string (`value` nil for a bare flag) or an option
  /// line at the top of the cell.
  mutating func set(
    _ name: String, _ value: String?, file: String, line: Int, syntax: CellSyntax = .plain
  ) throws(NoteError) {
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
      case "true", "yes", "on", "1": return true
      case "false", "no", "off", "0": return false
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
    case "include":
      // Quarto: the cell runs, nothing of it is shown.
      if try !flag() { hide.formUnion(HiddenPart.allCases) }
    case "trace":
      switch try required().lowercased() {
      case "on", "true": trace = true
      case "off", "false": trace = false
      case "open": traceOpen = true
      case "closed": traceOpen = false
      default: throw fail("off, on, open or closed")
      }
    case "id", "label":
      let value = try required()
      guard value.unicodeScalars.allSatisfy(Self.isAnchorCharacter) else {
        throw fail("letters, digits, `-` and `_`")
      }
      id = value
    case "title", "filename", "name":
      caption = try required()
    case "long-output":
      longOutput = try flag()
    case "requires-python":
      guard let requirement = PythonRequirement(try required()) else {
        throw fail("a version specifier such as \">=3.11\"")
      }
      requiresPython = requirement
    case "error":
      // Quarto's `error: true` shows an error instead of stopping the render: the cell may
      // raise.
      mayRaise = try flag()
    case "warning":
      // Quarto's `warning: false` hides warnings; noterun shows them as the stderr Python
      // writes (check compares them), so both values are accepted as they are.
      _ = try flag()
    case "linenums":
      // pymdownx: "START [STEP [SPECIAL]]"; only the start changes what noterun shows.
      let numbers = try required().split(separator: " ").map { Int($0) }
      guard let first = numbers.first, let start = first, numbers.count <= 3,
        numbers.allSatisfy({ $0 != nil }),
        start >= 0
      else { throw fail("a line number such as 1") }
      lineNumberStart = start
    case "hl_lines":
      var lines: Set<Int> = []
      for item in try required().split(separator: " ") {
        let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard bounds.count <= 2, let low = bounds.first ?? nil, let high = bounds.last ?? nil, low >= 1,
          low <= high, high - low < 100_000
        else { throw fail("line numbers and ranges such as \"2 4-6\"") }
        lines.formUnion(low...high)
      }
      highlightedLines = lines
    case "tags":
      for tag in (try required()).split(separator: ",") {
        switch tag.trimmingCharacters(in: .whitespaces).lowercased() {
        case "raises-exception": mayRaise = true
        case "skip-execution": run = false
        case "hide-input", "remove-input": hide.insert(.source)
        case "hide-output", "remove-output": hide.insert(.output)
        case "hide-cell", "remove-cell": hide.formUnion(HiddenPart.allCases)
        default: break
        }
      }
    case "exec":
      // markdown-exec runs only the blocks that say `exec="on"`.
      let runs = try flag()
      exec = runs
      run = runs
    case "session":
      // markdown-exec sessions share state; all of a note's cells share one namespace.
      _ = try required()
    case "source":
      let place = try required().lowercased()
      guard Self.sourcePlaces.contains(place) else {
        throw fail("one of \(Self.sourcePlaces.joined(separator: ", "))")
      }
      showsSource = true
    case "result", "html":
      // markdown-exec's presentation of the output (a code block's language, raw HTML):
      // noterun shows output as text, escaped, whatever they say.
      break
    default:
      if name.hasPrefix("."), syntax == .attributes {
        break
      }
      if name.hasPrefix("#"), syntax == .attributes {
        try set("id", String(name.dropFirst()), file: file, line: line, syntax: syntax)
        break
      }
      let known = Self.ownNames + Self.otherToolNames
      let hint =
        NameSuggestion.closest(to: name, among: known).map { " — did you mean `\($0)`?" }
        ?? " (noterun's options: \(Self.ownNames.joined(separator: ", ")))"
      throw NoteError(file: file, line: line, message: "unknown cell option `\(name)`" + hint)
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
