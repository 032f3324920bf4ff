import Yams

extension FrontMatter {
  /// Reads the front matter: a `---` line at the very top of the note, up to the next `---`
  /// or `...` line. Keys other than noterun's are ignored (Quarto and Jekyll share the
  /// block); a known key with a wrong value is an error at its line, a key close to a known
  /// one a warning.
  init(lines: TextLines, file: String) throws(NoteError) {
    self.init()
    guard lines.count > 0, Self.isDelimiter(lines[1].trimmingBOM, closing: false) else { return }
    guard let close = (2...max(2, lines.count)).first(where: { Self.isDelimiter(lines[$0], closing: true) })
    else {
      throw NoteError(
        file: file, line: 1,
        message: "front matter is not closed: no `---` line after the `---` on line 1"
          + " (to start with a horizontal rule, write `***`)")
    }
    lineCount = close
    let yaml = TextLines.joined((2..<close).map { lines[$0] })
    for entry in try YAMLMapping(yaml, firstLine: 2, file: file, what: "front matter").entries {
      try set(entry, file: file)
    }
  }

  private mutating func set(_ entry: YAMLMapping.Entry, file: String) throws(NoteError) {
    func fail(_ expected: String) -> NoteError {
      let value = entry.value.scalar.map { "`\($0.string)`" } ?? "a \(Self.kind(entry.value))"
      return NoteError(
        file: file, line: entry.line, message: "front matter `\(entry.key)` must be \(expected), not \(value)"
      )
    }
    let scalar = entry.value.scalar?.string
    guard let key = Key(rawValue: entry.key) else {
      if let known = NameSuggestion.closest(to: entry.key, among: Key.allCases.map(\.rawValue)) {
        warnings.append(
          NoteError(
            file: file, line: entry.line,
            message:
              "front matter `\(entry.key)` is not a noterun key and is ignored — did you mean `\(known)`?"))
      }
      return
    }
    switch key {
    case .title:
      guard let scalar else { throw fail("text") }
      title = scalar.isEmpty ? nil : scalar
    case .defaultLanguage:
      guard let scalar, !scalar.isEmpty else { throw fail("a language such as python") }
      defaultLanguage = scalar
    case .clock:
      guard let scalar, let mode = ClockMode(rawValue: scalar) else { throw fail("virtual or real") }
      clock = mode
    case .seed:
      guard let value = entry.value.int else { throw fail("an integer") }
      seed = value
    case .timeout:
      guard let value = entry.value.float, value.isFinite, value > 0 else {
        throw fail("a number of seconds above 0")
      }
      timeout = value
    case .order:
      guard let value = entry.value.float, value.isFinite else { throw fail("a number") }
      order = value
    case .python:
      guard let scalar, !scalar.isEmpty else { throw fail("a command or path") }
      python = scalar
    case .requiresPython:
      guard let scalar, let requirement = PythonRequirement(scalar) else {
        throw fail("a version specifier such as \">=3.11\"")
      }
      requiresPython = requirement
    case .trace:
      switch scalar {
      case "open": traceOpen = true
      case "closed": traceOpen = false
      default: throw fail("open or closed")
      }
    }
  }

  /// noterun's keys, one enum so that the keys read and the keys suggested for a typo are
  /// the same list; other tools' keys (author, date, …) are ignored.
  enum Key: String, CaseIterable {
    case title
    case defaultLanguage = "default-language"
    case clock, seed, timeout, python
    case requiresPython = "requires-python"
    case trace, order
  }

  private static func isDelimiter(_ line: Substring, closing: Bool) -> Bool {
    let trimmed = line.trimmingTrailingBlanks
    return trimmed == "---" || closing && trimmed == "..."
  }

  private static func kind(_ node: Node) -> String {
    switch node {
    case .mapping: "mapping"
    case .sequence: "list"
    default: "value"
    }
  }
}
