import Foundation

/// A fenced Python cell of a note.
public struct Cell: Sendable, Hashable {
  /// Position among the note's cells, from 0.
  public var index: Int
  /// File line of the opening fence.
  public var line: Int
  /// File line of the first line of code (the line after the opening fence).
  public var codeLine: Int
  /// File line of the closing fence (or of the last line, for an unclosed fence).
  public var endLine: Int
  /// Whether the fence is closed; an unclosed fence is never rewritten.
  public var isClosed: Bool
  /// The info string, as cmark-gfm reports it.
  public var info: String
  /// The source shown on the page: the fence content without `#|` option lines.
  public var source: String
  /// File line of each line of `source` (option lines removed make gaps).
  public var sourceLines: [Int]
  /// What the kernel runs, in order: the cell's own lines and included files.
  public var segments: [SourceSegment]
  public var options: CellOptions
  /// The `output` block that follows the cell, if any.
  public var expected: ExpectedOutput?
  /// The fence as written, for rewriting blocks next to it.
  public var fence: Fence
  /// Files the cell includes (`{{#include}}`), for watch to follow.
  public var includes: [URL]
  /// An option the cell cannot have (unknown, or a bad value): the cell is not run and
  /// fails with this error; the rest of the note runs.
  public var optionError: NoteError?

  public init(
    index: Int, line: Int, codeLine: Int, endLine: Int, isClosed: Bool, info: String,
    source: String, sourceLines: [Int], segments: [SourceSegment], options: CellOptions,
    expected: ExpectedOutput?, fence: Fence, includes: [URL] = [], optionError: NoteError? = nil
  ) {
    self.index = index
    self.line = line
    self.codeLine = codeLine
    self.endLine = endLine
    self.isClosed = isClosed
    self.info = info
    self.source = source
    self.sourceLines = sourceLines
    self.segments = segments
    self.options = options
    self.expected = expected
    self.fence = fence
    self.includes = includes
    self.optionError = optionError
  }

  /// Whether the kernel runs the cell: not `norun`, and its options are valid.
  public var runs: Bool { options.run && optionError == nil }

  /// The code the kernel runs: all segments joined.
  public var code: String { segments.map(\.text).joined() }
}

/// A run of consecutive lines of code that come from one file: the note itself, or an
/// included file. `text` ends with a newline unless empty.
public struct SourceSegment: Sendable, Hashable {
  /// Display path of the file the lines come from.
  public var file: String
  /// File line of the first line of `text`.
  public var line: Int
  public var text: String

  public init(file: String, line: Int, text: String) {
    self.file = file
    self.line = line
    self.text = text
  }
}

/// A fence as written in the file.
public struct Fence: Sendable, Hashable {
  /// "`" or "~".
  public var character: Character
  public var length: Int
  /// What stands before the fence on its opening line (indentation, `>` markers, list
  /// markers), as written.
  public var prefix: String

  public init(character: Character, length: Int, prefix: String) {
    self.character = character
    self.length = length
    self.prefix = prefix
  }
}

/// The `output` block that belongs to a cell: what the cell is expected to print.
public struct ExpectedOutput: Sendable, Hashable {
  /// File line of the opening fence.
  public var line: Int
  /// File line of the closing fence.
  public var endLine: Int
  public var isClosed: Bool
  /// The block's content, lines ending in "\n".
  public var text: String
  public var fence: Fence

  public init(line: Int, endLine: Int, isClosed: Bool, text: String, fence: Fence) {
    self.line = line
    self.endLine = endLine
    self.isClosed = isClosed
    self.text = text
    self.fence = fence
  }
}
