import Foundation

/// `check --update`: puts what each cell printed into its `output` block, and adds a
/// block after a cell that printed something and has none. Every byte outside the
/// rewritten block contents stays as it was: new lines take the line ending of the line
/// they follow and the container prefix of their fence (`>` markers kept, list markers
/// turned into spaces). A block that already matches, `...` and all, is left alone;
/// one that does not gets the actual output, without `...`.
///
/// Cells that did not run, or raised unexpectedly, hung or died, are left alone: an
/// error never becomes expected output, nor does output cut at the capture limit.
/// Unclosed fences are refused, not guessed at (cmark-gfm reports their end a line too
/// far). Output longer than `maxLines` or `maxBytes` is not pasted into a note unless the
/// cell says `long-output`.
public enum OutputBlockUpdater {
  public static let info = "output"
  public static let maxLines = 200
  public static let maxBytes = 64 * 1024

  public static func update(_ original: Data, note: Note, results: [CellResult]) -> OutputBlockUpdate {
    let source = SourceLines(Array(original))
    let resultsByCell = Dictionary(results.map { ($0.cell, $0) }, uniquingKeysWith: { first, _ in first })
    var edits: [Edit] = []
    var changes: [BlockChange] = []
    for cell in note.cells {
      guard let result = resultsByCell[cell.index], cell.options.run,
        [.ok, .expectedError, .missingError].contains(result.status)
      else { continue }
      let printed = result.printed
      do throws(Refusal) {
        if let block = cell.expected, OutputMatcher.matches(expected: block.text, actual: printed) {
          continue
        }
        guard result.droppedBytes == 0 else {
          throw Refusal(
            line: cell.expected?.line ?? cell.line,
            reason: "the output was cut at the capture limit, so it is not recorded")
        }
        if let block = cell.expected {
          try checkSize(printed, of: cell, line: block.line)
          edits.append(try replacing(block, with: OutputMatcher.lines(printed), in: source))
          changes.append(BlockChange(file: note.file, cell: cell.index, line: block.line, kind: .updated))
        } else {
          let lines = OutputMatcher.lines(printed)
          if lines.isEmpty { continue }
          try checkSize(printed, of: cell, line: cell.line)
          let edit = try adding(lines, after: cell, in: source)
          edits.append(edit)
          changes.append(BlockChange(file: note.file, cell: cell.index, line: edit.blockLine, kind: .added))
        }
      } catch {
        changes.append(
          BlockChange(file: note.file, cell: cell.index, line: error.line, kind: .refused(error.reason)))
      }
    }
    return OutputBlockUpdate(content: Data(source.applying(edits)), changes: moved(changes, by: edits))
  }

  /// Report lines as they are in the new file: each change moves by the lines that
  /// edits before it added or removed.
  private static func moved(_ changes: [BlockChange], by edits: [Edit]) -> [BlockChange] {
    changes.map { change in
      var change = change
      change.line += edits.filter { $0.blockLine < change.line }.reduce(0) { $0 + $1.lineDelta }
      return change
    }
  }

  /// A note is for reading: thousands of lines of output in it are a mistake more often
  /// than a wish, and a note over 8 MiB could no longer be checked.
  private static func checkSize(_ printed: String, of cell: Cell, line: Int) throws(Refusal) {
    guard !cell.options.longOutput else { return }
    let lines = printed.count { $0 == "\n" }
    let bytes = printed.utf8.count
    guard lines > maxLines || bytes > maxBytes else { return }
    let size =
      lines > maxLines
      ? "\(lines.grouped) lines (more than \(maxLines))"
      : "\(bytes.grouped) bytes (more than \(maxBytes / 1024) KiB)"
    throw Refusal(
      line: line,
      reason: "the cell printed \(size): not pasted into the note; add `long-output` to the cell to allow it")
  }

  private struct Refusal: Error {
    var line: Int
    var reason: String
  }

  /// A replacement of whole lines `lines` (0-based indices; empty to insert before
  /// `lines.lowerBound`) by `bytes`.
  struct Edit {
    var lines: Range<Int>
    var bytes: [UInt8]
    /// File line of the block's opening fence, before this and later edits.
    var blockLine: Int
    /// Lines added minus lines removed.
    var lineDelta: Int
  }

  private static func replacing(_ block: ExpectedOutput, with lines: [String], in source: SourceLines)
    throws(Refusal) -> Edit
  {
    guard block.isClosed else {
      throw Refusal(line: block.line, reason: "its output block's fence is not closed")
    }
    let fence = try fenceByte(block.fence, line: block.line)
    let opening = block.line - 1
    let closing = block.endLine - 1
    guard opening < closing, closing < source.count,
      source.fenceRun(opening, fence).map({ $0.count == block.fence.length }) == true,
      source.closingFenceRun(closing, fence, atLeast: block.fence.length) != nil
    else { throw Refusal(line: block.line, reason: "its output block is not where the note was parsed") }
    let eol = source.terminator(opening)
    let prefix = continuationPrefix(block.fence.prefix)
    let length = fenceLength(block.fence.length, for: lines, fence)
    let content = lines.flatMap { contentLine($0, prefix: prefix) + eol }
    if length == block.fence.length {
      return Edit(
        lines: opening + 1..<closing, bytes: content, blockLine: block.line,
        lineDelta: lines.count - (closing - opening - 1))
    }
    let longer = [UInt8](repeating: fence, count: length)
    let openingLine = source.replacingRun(opening, source.fenceRun(opening, fence)!, with: longer)
    let closingRun = source.closingFenceRun(closing, fence, atLeast: block.fence.length)!
    let closingLine = source.replacingRun(closing, closingRun, with: longer)
    return Edit(
      lines: opening..<closing + 1, bytes: openingLine + content + closingLine, blockLine: block.line,
      lineDelta: lines.count - (closing - opening - 1))
  }

  private static func adding(_ lines: [String], after cell: Cell, in source: SourceLines) throws(Refusal)
    -> Edit
  {
    guard cell.isClosed else { throw Refusal(line: cell.line, reason: "the cell's fence is not closed") }
    let fence = try fenceByte(cell.fence, line: cell.line)
    let closing = cell.endLine - 1
    guard cell.line >= 1, closing < source.count,
      source.closingFenceRun(closing, fence, atLeast: cell.fence.length) != nil
    else { throw Refusal(line: cell.line, reason: "the cell is not where the note was parsed") }
    let eol = source.terminator(closing).isEmpty ? source.defaultTerminator : source.terminator(closing)
    let prefix = continuationPrefix(cell.fence.prefix)
    let run = [UInt8](repeating: fence, count: fenceLength(cell.fence.length, for: lines, fence))
    let blank = blankLineBefore(cell, in: source) ? [Array(trimmingTrailingBlanks(prefix).utf8)] : []
    let block =
      blank + [Array(prefix.utf8) + run + Array(info.utf8)] + lines.map { contentLine($0, prefix: prefix) }
      + [Array(prefix.utf8) + run]
    // The cell's closing line keeps its bytes; at the end of a file without a final line
    // break it gains one, and the new block ends without one instead.
    let atEnd = source.terminator(closing).isEmpty
    let bytes =
      atEnd
      ? source.line(closing) + eol + block.joined(separator: eol)
      : block.joined(separator: eol) + eol
    return Edit(
      lines: atEnd ? closing..<closing + 1 : closing + 1..<closing + 1, bytes: Array(bytes),
      blockLine: cell.endLine + 1 + blank.count, lineDelta: block.count)
  }

  private static func fenceByte(_ fence: Fence, line: Int) throws(Refusal) -> UInt8 {
    guard let byte = fence.character.asciiValue, byte == UInt8(ascii: "`") || byte == UInt8(ascii: "~")
    else { throw Refusal(line: line, reason: "its fence is neither backticks nor tildes") }
    return byte
  }

  /// The prefix of the lines inside a block whose opening line starts with `prefix`:
  /// blockquote markers and indentation stay, list markers become spaces of their width.
  static func continuationPrefix(_ prefix: String) -> String {
    String(prefix.map { $0 == ">" || $0 == " " || $0 == "\t" ? $0 : " " })
  }

  /// A content line under `prefix`. After a bare `>` cmark-gfm eats one optional space,
  /// so a line that starts with a space or tab gets one to eat.
  private static func contentLine(_ line: String, prefix: String) -> [UInt8] {
    if line.isEmpty { return Array(trimmingTrailingBlanks(prefix).utf8) }
    let eaten = prefix.hasSuffix(">") && (line.hasPrefix(" ") || line.hasPrefix("\t")) ? " " : ""
    return Array((prefix + eaten + line).utf8)
  }

  /// Long enough that no content line can close the block.
  private static func fenceLength(_ length: Int, for lines: [String], _ fence: UInt8) -> Int {
    let longest =
      lines.map { line -> Int in
        let bytes = line.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let run = bytes.prefix { $0 == fence }.count
        return bytes.dropFirst(run).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
          ? run : 0
      }.max() ?? 0
    return max(length, longest + 1)
  }

  /// Whether to leave a blank line between a cell and its new block: only where the
  /// cell itself follows a blank line, and not on a list item's first line, so a tight
  /// list stays tight.
  private static func blankLineBefore(_ cell: Cell, in source: SourceLines) -> Bool {
    let before = cell.line - 2
    guard before >= 0, cell.fence.prefix.allSatisfy({ $0 == ">" || $0 == " " || $0 == "\t" }) else {
      return false
    }
    return source.line(before).allSatisfy {
      $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t")
    }
  }

  private static func trimmingTrailingBlanks(_ text: String) -> String {
    String(text.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}

/// What `OutputBlockUpdater` made of a note.
public struct OutputBlockUpdate: Sendable, Hashable {
  /// The note's new bytes (the original ones when nothing changed).
  public var content: Data
  /// Each block updated or added, and each refused, in file order.
  public var changes: [BlockChange]
}

/// One block `check --update` changed, or could not change.
public struct BlockChange: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    case updated
    case added
    case refused(String)
  }
  public var file: String
  /// The index of the cell whose block this is.
  public var cell: Int
  /// The block's opening line in the new file; for a refusal, the line it is about.
  public var line: Int
  public var kind: Kind

  public init(file: String, cell: Int, line: Int, kind: Kind) {
    self.file = file
    self.cell = cell
    self.line = line
    self.kind = kind
  }

  public var description: String {
    switch kind {
    case .updated: "\(file):\(line): output updated"
    case .added: "\(file):\(line): output added"
    case .refused(let reason): "\(file):\(line): output not updated: \(reason)"
    }
  }
}
