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
    linesMatch(lines(expected)[...], lines(actual)[...])
  }

  /// The lines of `text` as compared: CRLF and lone CR read as LF, trailing spaces and
  /// tabs dropped from each line, trailing blank lines dropped.
  public static func lines(_ text: String) -> [String] {
    var lines: [String] = []
    var line = String.UnicodeScalarView()
    var afterCR = false
    for scalar in text.unicodeScalars {
      if scalar == "\n" && afterCR {
        afterCR = false
        continue
      }
      afterCR = scalar == "\r"
      if scalar == "\n" || scalar == "\r" {
        lines.append(trimmingTrailingBlanks(line))
        line = String.UnicodeScalarView()
      } else {
        line.append(scalar)
      }
    }
    lines.append(trimmingTrailingBlanks(line))
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  /// Whether a (normalised) line of an expected block stands for any number of lines.
  public static func isEllipsisLine(_ line: String) -> Bool {
    line.drop { $0 == " " || $0 == "\t" }.utf8.elementsEqual(ellipsis.utf8)
  }

  /// Whether the pattern lines match the actual lines, all of them.
  static func linesMatch(_ pattern: ArraySlice<String>, _ lines: ArraySlice<String>) -> Bool {
    let runs = pattern.split(omittingEmptySubsequences: false, whereSeparator: isEllipsisLine)
    guard let first = runs.first, let last = runs.last else { return lines.isEmpty }
    if runs.count == 1 { return runMatches(first, at: lines.startIndex, in: lines, exactly: true) }
    guard lines.count >= first.count + last.count,
      runMatches(first, at: lines.startIndex, in: lines),
      runMatches(last, at: lines.endIndex - last.count, in: lines)
    else { return false }
    var cursor = lines.startIndex + first.count
    let end = lines.endIndex - last.count
    for run in runs.dropFirst().dropLast() {
      guard
        let start = (cursor...max(cursor, end - run.count)).first(where: {
          $0 + run.count <= end && runMatches(run, at: $0, in: lines)
        })
      else { return false }
      cursor = start + run.count
    }
    return true
  }

  /// Whether one pattern line (possibly with `...` inside) matches one actual line.
  static func lineMatches(_ pattern: String, _ line: String) -> Bool {
    let line = Array(line.utf8)
    let pieces = Array(pattern.utf8).split(
      separator: Array(ellipsis.utf8), omittingEmptySubsequences: false)
    guard let first = pieces.first, let last = pieces.last else { return line.isEmpty }
    if pieces.count == 1 { return line.elementsEqual(first) }
    guard line.count >= first.count + last.count, line.starts(with: first),
      line.reversed().starts(with: last.reversed())
    else { return false }
    var cursor = first.count
    let end = line.count - last.count
    for piece in pieces.dropFirst().dropLast() {
      guard let start = firstIndex(of: piece, in: line[cursor..<end]) else { return false }
      cursor = start + piece.count
    }
    return true
  }

  private static func runMatches(
    _ run: ArraySlice<String>, at start: Int, in lines: ArraySlice<String>, exactly: Bool = false
  ) -> Bool {
    if exactly && run.count != lines.count { return false }
    guard start + run.count <= lines.endIndex else { return false }
    return zip(run, lines[start..<start + run.count]).allSatisfy { lineMatches($0, $1) }
  }

  private static func firstIndex(of piece: ArraySlice<UInt8>, in text: ArraySlice<UInt8>) -> Int? {
    if piece.isEmpty { return text.startIndex }
    guard text.count >= piece.count else { return nil }
    return (text.startIndex...text.endIndex - piece.count).first {
      text[$0..<$0 + piece.count].elementsEqual(piece)
    }
  }

  private static func trimmingTrailingBlanks(_ line: String.UnicodeScalarView) -> String {
    var line = line
    while let last = line.last, last == " " || last == "\t" { line.removeLast() }
    return String(line)
  }
}
