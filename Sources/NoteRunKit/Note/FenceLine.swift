/// What the file says about a fence that cmark-gfm does not: what stands before it on its
/// line, its info string as written, and whether a line really closes it.
enum FenceLine {
  /// The text before the fence character run (container markers and indentation) and the
  /// info string after it, trimmed but not unescaped: backslashes in regexes survive.
  static func split(_ line: Substring, character: Character) -> (prefix: String, info: Substring) {
    let scalars = line.trimmingBOM.unicodeScalars
    guard let fence = character.unicodeScalars.first, let start = scalars.firstIndex(of: fence) else {
      return ("", "")
    }
    let end = scalars[start...].firstIndex { $0 != fence } ?? scalars.endIndex
    return (String(scalars[..<start]), Substring(scalars[end...]).trimmingBlanks)
  }

  /// Whether `line` is a closing fence for a fence of `length` `character`s: after the
  /// container markers (blockquote `>`, indentation) at least `length` fence characters,
  /// then only blanks.
  static func closes(_ line: Substring, character: Character, length: Int) -> Bool {
    guard let fence = character.unicodeScalars.first else { return false }
    let scalars = line.unicodeScalars
    guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != ">" }),
      scalars[start] == fence
    else { return false }
    let end = scalars[start...].firstIndex { $0 != fence } ?? scalars.endIndex
    return scalars.distance(from: start, to: end) >= length
      && scalars[end...].allSatisfy { $0 == " " || $0 == "\t" }
  }
}
