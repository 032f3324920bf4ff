/// A small Python highlighter: it only has to make notes readable, so it scans tokens by
/// hand instead of parsing. Output is escaped HTML in which every character of the input
/// appears once and in order; spans never cross a line, so lines can be numbered.
public enum Highlighter {
  /// The highlighted HTML of `source`.
  public static func python(_ source: String) -> String {
    pythonLines(source).joined(separator: "\n")
  }

  /// One HTML string per line: the pieces of `source` between "\n", highlighted (a source
  /// ending in "\n" gives a last, empty line).
  public static func pythonLines(_ source: String) -> [String] {
    let scalars = Array(source.unicodeScalars)
    var lines: [String] = [""]
    var scanner = PythonScanner(scalars)
    for token in scanner.scan() {
      var pieces = scalars[token.range].split(separator: "\n", omittingEmptySubsequences: false)[...]
      let first = pieces.removeFirst()
      lines[lines.count - 1] += span(first, token.kind)
      for piece in pieces { lines.append(span(piece, token.kind)) }
    }
    return lines
  }

  private static func span(_ scalars: ArraySlice<Unicode.Scalar>, _ kind: TokenKind?) -> String {
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars)
    let escaped = HTMLEscape.escape(text)
    guard let kind, !escaped.isEmpty else { return escaped }
    return "<span class=\"\(kind.rawValue)\">\(escaped)</span>"
  }
}

/// CSS classes of highlighted tokens (see style.css).
enum TokenKind: String {
  case keyword = "k"
  case constant = "kc"
  case builtin = "b"
  case string = "s"
  case interpolation = "si"
  case comment = "c"
  case number = "n"
  case decorator = "d"
  case definition = "nf"
}

private struct PythonToken {
  var kind: TokenKind?
  var range: Range<Int>
}

private struct PythonScanner {
  private let text: [Unicode.Scalar]
  private var position = 0
  private var tokens: [PythonToken] = []
  private var atLineStart = true
  /// The last word was `def` or `class`: the next name is being defined.
  private var namesDefinition = false

  init(_ text: [Unicode.Scalar]) { self.text = text }

  mutating func scan() -> [PythonToken] {
    while position < text.count {
      let start = position
      let character = text[position]
      switch character {
      case "#":
        advance(while: { $0 != "\n" })
        emit(.comment, from: start)
      case "\"", "'":
        scanString(from: start, formatted: false)
      case "@" where atLineStart:
        position += 1
        advance(while: { $0 == "." || isNameContinue($0) })
        emit(.decorator, from: start)
      case _ where isDigit(character) || (character == "." && isDigit(peek(1))):
        scanNumber()
        emit(.number, from: start)
      case _ where isNameStart(character):
        advance(while: isNameContinue)
        let word = String(String.UnicodeScalarView(text[start..<position]))
        if let quote = peek(0), quote == "\"" || quote == "'", Self.stringPrefixes.contains(word.lowercased())
        {
          scanString(from: start, formatted: word.lowercased().contains("f"))
        } else {
          emitWord(word, from: start)
        }
      default:
        position += 1
        emit(nil, from: start)
      }
    }
    return tokens
  }

  private mutating func emitWord(_ word: String, from start: Int) {
    let kind: TokenKind?
    if namesDefinition {
      kind = .definition
    } else if word == "True" || word == "False" || word == "None" {
      kind = .constant
    } else if Self.keywords.contains(word) {
      kind = .keyword
    } else if Self.builtins.contains(word) {
      kind = .builtin
    } else {
      kind = nil
    }
    emit(kind, from: start)
    namesDefinition = word == "def" || word == "class"
  }

  /// A string literal whose prefix (if any) starts at `start` and whose quote is at
  /// `position`. Unterminated single-quoted strings end at the line's end, triple-quoted
  /// ones at the end of the text.
  private mutating func scanString(from start: Int, formatted: Bool) {
    let quote = text[position]
    let triple = peek(1) == quote && peek(2) == quote
    position += triple ? 3 : 1
    var segmentStart = start
    while position < text.count {
      let character = text[position]
      if character == "\\" {
        position = min(position + 2, text.count)
      } else if character == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
        position += triple ? 3 : 1
        break
      } else if character == "\n" && !triple {
        break
      } else if formatted && character == "{" {
        if peek(1) == "{" {
          position += 2
          continue
        }
        emit(.string, from: segmentStart)
        let field = position
        scanReplacementField(multiline: triple)
        emit(.interpolation, from: field)
        segmentStart = position
      } else {
        position += 1
      }
    }
    emit(.string, from: segmentStart)
  }

  /// `{expression!r:format}` inside an f-string, braces included; quoted strings inside
  /// it are skipped so their braces do not count.
  private mutating func scanReplacementField(multiline: Bool) {
    var depth = 0
    while position < text.count {
      let character = text[position]
      if character == "\n" && !multiline { return }
      position += 1
      switch character {
      case "{": depth += 1
      case "}":
        depth -= 1
        if depth == 0 { return }
      case "\"", "'":
        advance(while: { $0 != character && $0 != "\n" })
        if peek(0) == character { position += 1 }
      default: break
      }
    }
  }

  private mutating func scanNumber() {
    while position < text.count {
      let character = text[position]
      if (character == "e" || character == "E") && (peek(1) == "+" || peek(1) == "-")
        && !isHex(from: position)
      {
        position += 2
      } else if character == "." || character == "_" || isNameContinue(character) {
        position += 1
      } else {
        return
      }
    }
  }

  private func isHex(from end: Int) -> Bool {
    var start = end
    while start > 0 && (isNameContinue(text[start - 1]) || text[start - 1] == ".") { start -= 1 }
    return end - start >= 2 && text[start] == "0" && (text[start + 1] == "x" || text[start + 1] == "X")
  }

  private mutating func emit(_ kind: TokenKind?, from start: Int) {
    guard start < position else { return }
    let range = start..<position
    if kind == nil, let last = tokens.last, last.kind == nil, last.range.upperBound == start {
      tokens[tokens.count - 1].range = last.range.lowerBound..<position
    } else {
      tokens.append(PythonToken(kind: kind, range: range))
    }
    for scalar in text[range] where scalar != " " && scalar != "\t" {
      atLineStart = scalar == "\n"
    }
    if text[range].contains(where: { $0 != " " && $0 != "\t" }) { namesDefinition = false }
  }

  private mutating func advance(while predicate: (Unicode.Scalar) -> Bool) {
    while position < text.count && predicate(text[position]) { position += 1 }
  }

  private func peek(_ offset: Int) -> Unicode.Scalar? {
    position + offset < text.count ? text[position + offset] : nil
  }

  private static let stringPrefixes: Set<String> = ["r", "u", "b", "f", "br", "rb", "fr", "rf"]

  private static let keywords: Set<String> = [
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
  ]

  private static let builtins: Set<String> = [
    "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray",
    "bytes", "callable", "chr", "classmethod", "compile", "complex", "delattr", "dict", "dir",
    "divmod", "enumerate", "eval", "exec", "filter", "float", "format", "frozenset", "getattr",
    "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
    "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview", "min", "next",
    "object", "oct", "open", "ord", "pow", "print", "property", "range", "repr", "reversed",
    "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple",
    "type", "vars", "zip", "__import__", "self", "cls", "__name__", "__file__",
    "BaseException", "BaseExceptionGroup", "Exception", "ExceptionGroup", "ArithmeticError",
    "AssertionError", "AttributeError", "ImportError", "IndexError", "KeyError",
    "KeyboardInterrupt", "LookupError", "ModuleNotFoundError", "NameError",
    "NotImplementedError", "OSError", "RecursionError", "RuntimeError", "StopAsyncIteration",
    "StopIteration", "SyntaxError", "SystemExit", "TimeoutError", "TypeError", "ValueError",
    "ZeroDivisionError",
  ]
}

private func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
  guard let scalar else { return false }
  return scalar >= "0" && scalar <= "9"
}

private func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
  scalar == "_" || scalar.properties.isXIDStart
}

private func isNameContinue(_ scalar: Unicode.Scalar) -> Bool {
  scalar == "_" || scalar.properties.isXIDContinue
}
