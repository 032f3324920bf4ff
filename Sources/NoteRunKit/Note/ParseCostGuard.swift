/// cmark-gfm 0.29.0.gfm.6 is superlinear on some inputs, fixed upstream in 2023 (FACTS.md).
/// Measured here: a table row costs ≈2.3 ns × cells², every cell a short row leaves out
/// ≈1.2 µs; each unclosed `<?` or `<![CDATA[` rescans its paragraph (≈1 ns a byte); so does
/// each `@` for the autolink extension (≈0.02 ns a byte). A 96 KB table took 78 s, 200 KB of
/// `a <?` 4 s. One linear pass estimates these costs and refuses a note that would take
/// more than about a second, instead of hanging on it.
enum ParseCostGuard {
  static let budgetNanoseconds = 1e9

  static func check(_ lines: TextLines, file: String) throws(NoteError) {
    var tables = TableCost()
    var paragraph = ParagraphCost()
    for (index, line) in lines.lines.enumerated() {
      let number = index + 1
      if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
        try paragraph.end(file: file)
        tables.end()
        continue
      }
      tables.add(line, number: number)
      paragraph.add(line, number: number)
      if tables.cost > budgetNanoseconds {
        throw NoteError(
          file: file, line: tables.startLine,
          message: "this table is too large for the Markdown parser (cmark-gfm 0.29 would take"
            + " minutes on it); split it or keep it in a file")
      }
    }
    try paragraph.end(file: file)
  }

  private struct TableCost {
    var cost = 0.0
    var startLine = 0
    private var columns: Int?
    private var paragraphPipes = 0.0

    mutating func add(_ line: Substring, number: Int) {
      var pipes = 0.0
      var delimiterLike = true
      var dashes = false
      for byte in line.utf8 {
        switch byte {
        case UInt8(ascii: "|"): pipes += 1
        case UInt8(ascii: "-"): dashes = true
        case UInt8(ascii: ":"), 0x20, 0x09: break
        default: delimiterLike = false
        }
      }
      if delimiterLike && dashes {
        // The table extension parses the paragraph above as a header row.
        cost += 2.3 * paragraphPipes * paragraphPipes
        if columns == nil {
          columns = Int(pipes) + 1
          startLine = number
        }
      }
      if let columns {
        cost += 2.3 * pipes * pipes + 1200 * Double(max(0, columns - Int(pipes) - 1))
      }
      paragraphPipes += pipes
    }

    mutating func end() {
      columns = nil
      paragraphPipes = 0
    }
  }

  /// Raw HTML openers that scan to their closer, and `@`s, within one paragraph (a run of
  /// non-blank lines). Each opener costs the distance to the next closer.
  private struct ParagraphCost {
    private static let kinds: [(open: [UInt8], close: [UInt8])] = [
      (Array("<?".utf8), Array("?>".utf8)), (Array("<![CDATA[".utf8), Array("]]>".utf8)),
    ]
    private var startLine = 0
    private var length = 0.0
    private var ats = 0.0
    /// Per kind: openers not closed yet, and the sum of their positions.
    private var pending = [(count: 0.0, positions: 0.0), (count: 0.0, positions: 0.0)]
    private var cost = 0.0

    mutating func add(_ line: Substring, number: Int) {
      if length == 0 { startLine = number }
      let bytes = Array(line.utf8)
      for index in bytes.indices {
        switch bytes[index] {
        case UInt8(ascii: "@"): ats += 1
        case UInt8(ascii: "<"), UInt8(ascii: "?"), UInt8(ascii: "]"): scan(bytes, at: index)
        default: break
        }
      }
      length += Double(bytes.count + 1)
    }

    private mutating func scan(_ bytes: [UInt8], at index: Int) {
      let position = length + Double(index)
      for (kind, marks) in Self.kinds.enumerated() {
        if bytes[index...].starts(with: marks.close) { closeAll(kind, at: position) }
        if bytes[index...].starts(with: marks.open) {
          pending[kind].count += 1
          pending[kind].positions += position
        }
      }
    }

    private mutating func closeAll(_ kind: Int, at position: Double) {
      cost += pending[kind].count * position - pending[kind].positions
      pending[kind] = (0, 0)
    }

    mutating func end(file: String) throws(NoteError) {
      for kind in pending.indices { closeAll(kind, at: length) }
      cost += 0.02 * ats * length
      if cost > ParseCostGuard.budgetNanoseconds {
        throw NoteError(
          file: file, line: startLine,
          message: "this paragraph is too costly for the Markdown parser (cmark-gfm 0.29 would take"
            + " minutes on its many unclosed `<?`, `<![CDATA[` or `@`); break it up")
      }
      self = ParagraphCost()
    }
  }
}
