/// What a fence's info string makes of the block: a Python cell (with the text of its
/// options), a fence with no language, or a block in another language.
enum FenceKind: Equatable {
  case python(options: Substring)
  case untagged
  case other(language: String)

  init(info: Substring) {
    let (word, rest) = Self.firstWord(info)
    let lowered = word.lowercased()
    if lowered.isEmpty {
      self = .untagged
    } else if lowered == "{code-cell}" {
      // MyST: `{code-cell} python`; without a language it runs in the notebook's kernel.
      let (language, options) = Self.firstWord(rest)
      if language.isEmpty {
        self = .untagged
      } else if Self.isPython(language) {
        self = .python(options: options)
      } else {
        self = .other(language: String(language))
      }
    } else if Self.isPython(word) || ["{python}", "{python3}"].contains(lowered) {
      self = .python(options: rest)
    } else {
      self = .other(language: String(word.trimmingPrefix("{").prefix { $0 != "}" }))
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
