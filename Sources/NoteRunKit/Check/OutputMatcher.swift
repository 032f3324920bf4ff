/// Compares what a cell printed with its expected-output block, as doctest's ELLIPSIS
/// does: `...` alone on a line stands for any number of lines (none included), `...`
/// inside a line for any run of characters within that line; every other character is
/// literal. Line endings, trailing spaces and tabs, and trailing blank lines do not count.
///
/// Matching is greedy, never backtracking: with only "match anything" wildcards, taking
/// the leftmost fit for each fixed piece is always safe, so the work stays proportional
/// to text length times pattern length, whatever the input.
public enum OutputMatcher {
  public static let ellipsis = "..."

  public static func matches(expected: String, actual: String) -> Bool {
    linesMatch(lines(expected).map(LinePattern.init)[...], lines(actual).map { Array($0.utf8) }[...])
  }

  /// The lines of `text` as compared: CRLF and lone CR read as LF, trailing spaces and
  /// tabs dropped from each line, trailing blank lines dropped.
  public static func lines(_ text: String) -> [String] {
    var lines: [String] = []
    var text = text
    text.withUTF8 { bytes in
      var start = 0
      var index = 0
      func cut() {
        var end = index
        while end > start && (bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t")) {
          end -= 1
        }
        lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
      }
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
          cut()
          let crlf =
            byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")
          index += crlf ? 2 : 1
          start = index
        } else {
          index += 1
        }
      }
      cut()
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  /// Whether a (normalised) line of an expected block stands for any number of lines.
  public static func isEllipsisLine(_ line: String) -> Bool {
    line.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.elementsEqual(ellipsis.utf8)
  }

  /// Whether the pattern lines match the actual lines (as UTF-8), all of them.
  static func linesMatch(_ patterns: ArraySlice<LinePattern>, _ lines: ArraySlice<[UInt8]>) -> Bool {
    let runs = patterns.split(omittingEmptySubsequences: false, whereSeparator: \.isEllipsis)
    guard let first = runs.first, let last = runs.last else { return lines.isEmpty }
    if runs.count == 1 {
      return first.count == lines.count && runMatches(first, at: lines.startIndex, in: lines)
    }
    guard lines.count >= first.count + last.count,
      runMatches(first, at: lines.startIndex, in: lines),
      runMatches(last, at: lines.endIndex - last.count, in: lines)
    else { return false }
    var cursor = lines.startIndex + first.count
    let end = lines.endIndex - last.count
    for run in runs.dropFirst().dropLast() {
      guard cursor + run.count <= end,
        let start = (cursor...end - run.count).first(where: { runMatches(run, at: $0, in: lines) })
      else { return false }
      cursor = start + run.count
    }
    return true
  }

  private static func runMatches(
    _ run: ArraySlice<LinePattern>, at start: Int, in lines: ArraySlice<[UInt8]>
  ) -> Bool {
    zip(run, lines[start..<start + run.count]).allSatisfy { $0.matches($1) }
  }
}

/// One line of an expected block, cut once at its `...`s so that comparing it with many
/// lines costs no allocation.
struct LinePattern {
  /// `...` alone: any number of lines.
  let isEllipsis: Bool
  /// The literal pieces between the `...`s of the line, as UTF-8.
  let pieces: [[UInt8]]

  init(_ line: String) {
    isEllipsis = OutputMatcher.isEllipsisLine(line)
    let dot = UInt8(ascii: ".")
    let bytes = Array(line.utf8)
    var pieces: [[UInt8]] = []
    var start = 0
    var index = 0
    while index + 3 <= bytes.count {
      if bytes[index] == dot && bytes[index + 1] == dot && bytes[index + 2] == dot {
        pieces.append(Array(bytes[start..<index]))
        index += 3
        start = index
      } else {
        index += 1
      }
    }
    pieces.append(Array(bytes[start...]))
    self.pieces = pieces
  }

  /// Whether the line (as UTF-8) matches; each piece found leftmost, in order.
  func matches(_ line: [UInt8]) -> Bool {
    guard let first = pieces.first, let last = pieces.last else { return line.isEmpty }
    if pieces.count == 1 { return line == first }
    guard line.count >= first.count + last.count, line.starts(with: first),
      line[(line.count - last.count)...].elementsEqual(last)
    else { return false }
    var cursor = first.count
    let end = line.count - last.count
    for piece in pieces.dropFirst().dropLast() {
      guard let start = Self.firstIndex(of: piece, in: line, from: cursor, to: end) else { return false }
      cursor = start + piece.count
    }
    return true
  }

  private static func firstIndex(of piece: [UInt8], in line: [UInt8], from start: Int, to end: Int) -> Int? {
    if piece.isEmpty { return start }
    guard end - start >= piece.count else { return nil }
    let head = piece[0]
    var index = start
    while index <= end - piece.count {
      if line[index] == head && line[index..<index + piece.count].elementsEqual(piece) { return index }
      index += 1
    }
    return nil
  }
}
