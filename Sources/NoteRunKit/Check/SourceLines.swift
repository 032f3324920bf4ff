/// A file's bytes cut into lines the way cmark-gfm counts them (LF, CRLF or a lone CR
/// ends a line), each line keeping its own terminator, so edits can leave every other
/// byte as it was.
struct SourceLines {
  let bytes: [UInt8]
  /// Byte ranges of the lines: content, then terminator.
  private let lines: [(content: Range<Int>, terminator: Range<Int>)]

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    var lines: [(Range<Int>, Range<Int>)] = []
    var start = 0
    var index = 0
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "\n"):
        lines.append((start..<index, index..<index + 1))
        index += 1
        start = index
      case UInt8(ascii: "\r"):
        let end = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n") ? index + 2 : index + 1
        lines.append((start..<index, index..<end))
        index = end
        start = index
      default:
        index += 1
      }
    }
    if start < bytes.count { lines.append((start..<bytes.count, bytes.count..<bytes.count)) }
    self.lines = lines
  }

  var count: Int { lines.count }

  /// The content of line `index` (0-based), without its terminator.
  func line(_ index: Int) -> ArraySlice<UInt8> { bytes[lines[index].content] }

  /// The terminator of line `index`: empty for a last line without one.
  func terminator(_ index: Int) -> [UInt8] { Array(bytes[lines[index].terminator]) }

  /// The file's first line ending, LF when it has none.
  var defaultTerminator: [UInt8] {
    lines.lazy.map { Array(self.bytes[$0.terminator]) }.first { !$0.isEmpty } ?? [UInt8(ascii: "\n")]
  }

  /// The run of `fence` bytes that opens a fence on line `index`: the first one, since
  /// what stands before a fence (indentation, `>`, list markers) holds no backtick or tilde.
  func fenceRun(_ index: Int, _ fence: UInt8) -> Range<Int>? {
    let line = line(index)
    guard let start = line.firstIndex(of: fence) else { return nil }
    return start..<(line[start...].firstIndex { $0 != fence } ?? line.endIndex)
  }

  /// The run of at least `length` `fence` bytes that closes a fence on line `index`,
  /// followed by nothing but spaces and tabs.
  func closingFenceRun(_ index: Int, _ fence: UInt8, atLeast length: Int) -> Range<Int>? {
    guard let run = fenceRun(index, fence), run.count >= length,
      bytes[run.upperBound..<lines[index].content.upperBound].allSatisfy({
        $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t")
      })
    else { return nil }
    return run
  }

  /// Line `index` with its terminator, the byte range `run` of it replaced.
  func replacingRun(_ index: Int, _ run: Range<Int>, with replacement: [UInt8]) -> [UInt8] {
    Array(bytes[lines[index].content.lowerBound..<run.lowerBound]) + replacement
      + Array(bytes[run.upperBound..<lines[index].terminator.upperBound])
  }

  /// The bytes with each edit's lines replaced; edits must not overlap.
  func applying(_ edits: [OutputBlockUpdater.Edit]) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count + edits.reduce(0) { $0 + $1.bytes.count })
    var copied = 0
    for edit in edits.sorted(by: { $0.lines.lowerBound < $1.lines.lowerBound }) {
      let start =
        edit.lines.lowerBound < count ? lines[edit.lines.lowerBound].content.lowerBound : bytes.count
      result += bytes[copied..<start]
      result += edit.bytes
      copied = edit.lines.isEmpty ? start : lines[edit.lines.upperBound - 1].terminator.upperBound
    }
    result += bytes[copied...]
    return result
  }
}
