/// Splits the options of an info string into `key=value` and bare `flag` words. Values may
/// be quoted: 'single quotes' are literal; in "double quotes" a backslash escapes only `"`
/// and `\` (as in a shell), so `match="\d+ s"` keeps its regex backslash.
enum OptionTokenizer {
  struct Token: Equatable {
    var key: String
    var value: String?
  }

  static func tokens(_ text: Substring, file: String, line: Int) throws(NoteError) -> [Token] {
    func fail(_ message: String) -> NoteError { NoteError(file: file, line: line, message: message) }
    var tokens: [Token] = []
    var scalars = text.unicodeScalars[...]
    func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
    while true {
      while let first = scalars.first, isBlank(first) { scalars.removeFirst() }
      guard !scalars.isEmpty else { return tokens }
      let keyEnd = scalars.firstIndex { isBlank($0) || $0 == "=" } ?? scalars.endIndex
      let key = String(String.UnicodeScalarView(scalars[..<keyEnd]))
      scalars = scalars[keyEnd...]
      guard !key.isEmpty else { throw fail("cell option without a name before `=`") }
      guard scalars.first == "=" else {
        tokens.append(Token(key: key, value: nil))
        continue
      }
      scalars.removeFirst()
      var value = String.UnicodeScalarView()
      switch scalars.first {
      case "\"", "'":
        let quote = scalars.removeFirst()
        var closed = false
        while let scalar = scalars.popFirst() {
          if scalar == quote {
            closed = true
            break
          }
          if quote == "\"", scalar == "\\", let next = scalars.first, next == "\"" || next == "\\" {
            value.append(scalars.removeFirst())
          } else {
            value.append(scalar)
          }
        }
        guard closed else { throw fail("cell option `\(key)`: the quoted value is not closed") }
        if let next = scalars.first, !isBlank(next) {
          throw fail("cell option `\(key)`: put a space after the quoted value")
        }
      default:
        let end = scalars.firstIndex(where: isBlank) ?? scalars.endIndex
        value.append(contentsOf: scalars[..<end])
        scalars = scalars[end...]
      }
      tokens.append(Token(key: key, value: String(value)))
    }
  }
}
