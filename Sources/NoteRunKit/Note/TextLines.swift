/// The lines of a text as cmark-gfm counts them: LF, CRLF and a lone CR each end a line,
/// and a final line break does not start another line. `lines[n - 1]` is file line `n`.
struct TextLines {
  /// Line contents without their line breaks.
  let lines: [Substring]
  /// Where each line ends including its line break.
  let ends: [String.Index]

  init(_ text: String) {
    var lines: [Substring] = []
    var ends: [String.Index] = []
    let utf8 = text.utf8
    var start = utf8.startIndex
    var index = start
    while index != utf8.endIndex {
      let byte = utf8[index]
      guard byte == 0x0A || byte == 0x0D else {
        index = utf8.index(after: index)
        continue
      }
      lines.append(text[start..<index])
      index = utf8.index(after: index)
      if byte == 0x0D, index != utf8.endIndex, utf8[index] == 0x0A {
        index = utf8.index(after: index)
      }
      ends.append(index)
      start = index
    }
    if start != utf8.endIndex {
      lines.append(text[start..<utf8.endIndex])
      ends.append(utf8.endIndex)
    }
    self.lines = lines
    self.ends = ends
  }

  var count: Int { lines.count }

  /// File line `number` (1-based), empty past the end.
  subscript(number: Int) -> Substring {
    number >= 1 && number <= lines.count ? lines[number - 1] : ""
  }

  /// The lines as one text, each followed by "\n".
  static func joined(_ lines: some Sequence<Substring>) -> String {
    lines.reduce(into: "") { text, line in
      text += line
      text += "\n"
    }
  }
}
