/// What a fence's info string makes of the block: a Python cell (with the text of its
/// options and the tool whose syntax they follow), a fence with no language, or a block in
/// another language.
enum FenceKind: Equatable {
  case python(options: Substring, syntax: CellSyntax)
  case untagged
  case other(language: String)

  /// Info strings of the tools people write notes with:
  /// `python title="a.py"` (MkDocs, markdown-exec), `{python}` (Quarto, R Markdown),
  /// `{code-cell} python` (MyST), `{ .python #id title="a.py" }` (attribute lists).
  init(info: Substring) {
    let info = info.trimmingBlanks
    guard info.first == "{", let close = info.firstIndex(of: "}") else {
      let (word, rest) = Self.firstWord(info)
      if word.isEmpty {
        self = .untagged
      } else if Self.isPython(word) {
        self = .python(options: rest, syntax: .plain)
      } else {
        self = .other(language: String(word))
      }
      return
    }
    let inside = info[info.index(after: info.startIndex)..<close].trimmingBlanks
    let after = info[info.index(after: close)...].trimmingBlanks
    let (word, rest) = Self.firstWord(inside)
    if word.lowercased() == "code-cell" {
      // MyST: `{code-cell} python`; without a language it runs in the notebook's kernel.
      let (language, options) = Self.firstWord(after)
      if language.isEmpty {
        self = .untagged
      } else if Self.isPython(language) {
        self = .python(options: options, syntax: .myst)
      } else {
        self = .other(language: String(language))
      }
    } else if word.hasPrefix(".") {
      // An attribute list: the first class names the language; other classes, `#id` and
      // `key=value` are options.
      let language = word.dropFirst()
      if Self.isPython(language) {
        self = .python(
          options: Substring([rest, after].filter { !$0.isEmpty }.joined(separator: " ")), syntax: .attributes
        )
      } else {
        self = language.isEmpty ? .untagged : .other(language: String(language))
      }
    } else if Self.isPython(word) {
      self = .python(
        options: Substring([rest, after].filter { !$0.isEmpty }.joined(separator: " ")), syntax: .plain)
    } else {
      self = word.isEmpty ? .untagged : .other(language: String(word))
    }
  }

  /// Whether a language name (an info string's word, or `default-language`) means Python.
  static func isPython(_ language: some StringProtocol) -> Bool {
    ["python", "py", "python3", "ipython", "ipython3"].contains(language.lowercased())
  }

  /// The first blank-separated word and the rest after it, trimmed.
  static func firstWord(_ text: Substring) -> (word: Substring, rest: Substring) {
    let text = text.trimmingBlanks
    let end = text.firstIndex { $0 == " " || $0 == "\t" } ?? text.endIndex
    return (text[..<end], text[end...].trimmingBlanks)
  }
}

/// Whose syntax a cell's fence follows: it decides which option forms are read.
enum CellSyntax: Equatable {
  /// `python key=value flag` (noterun, MkDocs/pymdownx, markdown-exec, Quarto's `{python}`).
  case plain
  /// `{ .python .class #id key=value }`: classes are accepted and ignored, `#id` is the id.
  case attributes
  /// MyST `{code-cell}`: `:key: value` lines or a `---` YAML block open the cell.
  case myst
}
