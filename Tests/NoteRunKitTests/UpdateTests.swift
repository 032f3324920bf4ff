import Foundation
import Testing

@testable import NoteRunKit

/// Builds a `Note` from Markdown text with cmark-gfm's own lines, the way the note parser
/// pairs cells with `output` blocks, so the updater is tested on real positions.
enum ParsedNote {
  static func note(_ text: String, file: String = "Notes/x.md", url: URL = URL(fileURLWithPath: "/tmp/x.md"))
    -> Note
  {
    let blocks = Markdown.outline(text).codeBlocks
    let lines = fileLines(text)
    var cells: [Cell] = []
    var index = 0
    while index < blocks.count {
      let block = blocks[index]
      index += 1
      guard block.isFenced, block.info.hasPrefix("python") else { continue }
      var expected: ExpectedOutput?
      if index < blocks.count, blocks[index].isFenced, blocks[index].info == "output",
        blocks[index].followsPreviousCodeBlock
      {
        let output = blocks[index]
        expected = ExpectedOutput(
          line: output.startLine, endLine: output.endLine, isClosed: isClosed(output, lines),
          text: output.literal, fence: fence(output, lines))
        index += 1
      }
      cells.append(
        Cell(
          index: cells.count, line: block.startLine, codeLine: block.startLine + 1, endLine: block.endLine,
          isClosed: isClosed(block, lines), info: block.info, source: block.literal, sourceLines: [],
          segments: [SourceSegment(file: file, line: block.startLine + 1, text: block.literal)],
          options: CellOptions(), expected: expected, fence: fence(block, lines)))
    }
    return Note(
      file: file, url: url, root: url.deletingLastPathComponent(), source: text, markdown: text,
      frontMatter: FrontMatter(), title: "x", cells: cells, codeBlocks: [])
  }

  /// The file's lines without terminators (LF, CRLF or CR), as cmark-gfm numbers them.
  static func fileLines(_ text: String) -> [String] {
    var lines: [String] = []
    var line = String.UnicodeScalarView()
    var scalars = text.unicodeScalars[...]
    while let scalar = scalars.popFirst() {
      if scalar == "\n" || scalar == "\r" {
        if scalar == "\r" && scalars.first == "\n" { scalars.removeFirst() }
        lines.append(String(line))
        line = String.UnicodeScalarView()
      } else {
        line.append(scalar)
      }
    }
    if !line.isEmpty { lines.append(String(line)) }
    return lines
  }

  private static func fence(_ block: Markdown.CodeBlock, _ lines: [String]) -> Fence {
    let opening = lines[block.startLine - 1]
    let prefix = opening.prefix { $0 != block.fenceCharacter }
    return Fence(character: block.fenceCharacter, length: block.fenceLength, prefix: String(prefix))
  }

  /// Closed when its last line is a closing fence: cmark-gfm reports an unclosed fence
  /// in a container one line too far (FACTS.md).
  private static func isClosed(_ block: Markdown.CodeBlock, _ lines: [String]) -> Bool {
    guard block.endLine > block.startLine, block.endLine <= lines.count else { return false }
    let last = lines[block.endLine - 1].drop { $0 == " " || $0 == "\t" || $0 == ">" || $0 == "-" }
      .drop { $0 == " " || $0 == "\t" }
    let run = last.prefix { $0 == block.fenceCharacter }.count
    return run >= block.fenceLength && last.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
  }
}

@Suite struct UpdateTests {
  static func result(_ cell: Int, _ printed: String, status: CellStatus = .ok) -> CellResult {
    CellResult(cell: cell, status: status, outputs: [OutputChunk(stream: .stdout, text: printed)])
  }

  static func update(_ text: String, _ results: [CellResult], edit: (inout Note) -> Void = { _ in })
    -> (String, [String])
  {
    var note = ParsedNote.note(text)
    edit(&note)
    let update = OutputBlockUpdater.update(Data(text.utf8), note: note, results: results)
    return (String(decoding: update.content, as: UTF8.self), update.changes.map(\.description))
  }

  @Test func replacesTheContentOfABlockAndNothingElse() {
    let text = "# T\n\n```python\nprint(2)\n```\n\n```output\n1\nold\n```\nafter\n"
    let (new, changes) = Self.update(text, [Self.result(0, "2\n")])
    #expect(new == "# T\n\n```python\nprint(2)\n```\n\n```output\n2\n```\nafter\n")
    #expect(changes == ["Notes/x.md:7: output updated"])
  }

  @Test func addsABlockAfterACellThatHasNone() {
    let text = "Intro\n\n```python\nprint(1)\n```\nText right after.\n\n```python\nprint(2)\n```\n"
    let (new, changes) = Self.update(text, [Self.result(0, "1\n"), Self.result(1, "2\n")])
    #expect(
      new
        == "Intro\n\n```python\nprint(1)\n```\n\n```output\n1\n```\nText right after.\n\n"
        + "```python\nprint(2)\n```\n\n```output\n2\n```\n")
    #expect(changes == ["Notes/x.md:7: output added", "Notes/x.md:16: output added"])
  }

  @Test func aCellDirectlyAfterProseGetsItsBlockDirectlyAfterIt() {
    let (new, _) = Self.update("Run this:\n```python\nprint(1)\n```\n", [Self.result(0, "1")])
    #expect(new == "Run this:\n```python\nprint(1)\n```\n```output\n1\n```\n")
  }

  @Test func newLinesTakeTheLineEndingOfTheFile() {
    let crlf = "```python\r\nprint(1)\r\n```\r\n\r\n```output\r\nx\r\n```\r\n\r\n```python\r\np()\r\n```\r\n"
    let (new, _) = Self.update(crlf, [Self.result(0, "1\n2\n"), Self.result(1, "3\n")])
    #expect(
      new
        == "```python\r\nprint(1)\r\n```\r\n\r\n```output\r\n1\r\n2\r\n```\r\n\r\n```python\r\np()\r\n```\r\n"
        + "\r\n```output\r\n3\r\n```\r\n")
    let cr = "```python\rprint(1)\r```\r"
    #expect(Self.update(cr, [Self.result(0, "1\r\n")]).0 == "```python\rprint(1)\r```\r```output\r1\r```\r")
  }

  @Test func blocksInContainersKeepTheirPrefixes() {
    let text =
      "> ```python\n> print(1)\n> ```\n>\n> ```output\n> old\n> ```\n\n- ```python\n  print(2)\n  ```\n"
    let (new, changes) = Self.update(text, [Self.result(0, "a\n\n  b\n"), Self.result(1, "c\n")])
    #expect(
      new
        == "> ```python\n> print(1)\n> ```\n>\n> ```output\n> a\n>\n>   b\n> ```\n\n- ```python\n  print(2)\n  ```\n"
        + "  ```output\n  c\n  ```\n")
    #expect(changes == ["Notes/x.md:5: output updated", "Notes/x.md:14: output added"])
    let reparsed = ParsedNote.note(new)
    #expect(reparsed.cells.map { $0.expected?.text } == ["a\n\n  b\n", "c\n"])
  }

  @Test func aBareQuoteMarkerGetsTheSpaceCmarkEats() {
    let text = ">```python\n>print(1)\n>```\n>```output\n>x\n>```\n"
    let (new, _) = Self.update(text, [Self.result(0, "\tindented\n  two\nthree\n")])
    #expect(new == ">```python\n>print(1)\n>```\n>```output\n> \tindented\n>   two\n>three\n>```\n")
    #expect(ParsedNote.note(new).cells[0].expected?.text == "\tindented\n  two\nthree\n")
  }

  @Test func outputThatWouldCloseTheFenceGetsALongerOne() {
    let text = "~~~~python\nx\n~~~~\n\n~~~~ output\nold\n~~~~~~\n\n```python\ny\n```\n"
    let (new, _) = Self.update(text, [Self.result(0, "~~~~~\n"), Self.result(1, "  ```\n~~~\n")])
    #expect(
      new
        == "~~~~python\nx\n~~~~\n\n~~~~~~ output\n~~~~~\n~~~~~~\n\n```python\ny\n```\n\n````output\n  ```\n~~~\n````\n"
    )
    let reparsed = ParsedNote.note(new)
    #expect(reparsed.cells.map { $0.expected?.text } == ["~~~~~\n", "  ```\n~~~\n"])
  }

  @Test func aTightListStaysTight() {
    let text = "- one\n- ```python\n  x\n  ```\n- three\n\nafter\n\n- ```python\n  y\n  ```\n"
    let (new, _) = Self.update(text, [Self.result(0, "1\n"), Self.result(1, "2\n")])
    #expect(new.contains("  ```\n  ```output\n  1\n  ```\n- three\n"))
    let html = Markdown.html(new) { _ in nil }
    #expect(html.contains("<li>one</li>") && !html.contains("<p>one</p>"))
    #expect(ParsedNote.note(new).cells.map { $0.expected?.text } == ["1\n", "2\n"])
  }

  @Test func longFencesAndTildesAreKept() {
    let text = "```python\nx\n```\n\n~~~~~output\nold\n~~~~~\n"
    #expect(Self.update(text, [Self.result(0, "new")]).0 == "```python\nx\n```\n\n~~~~~output\nnew\n~~~~~\n")
  }

  @Test func matchingBlocksAreLeftAsWritten() {
    let text = "```python\nx\n```\n```output\n<Foo at 0x...>\n...\ndone   \n```\n"
    let (new, changes) = Self.update(text, [Self.result(0, "<Foo at 0x7f>\n1\n2\ndone\n")])
    #expect(new == text)
    #expect(changes.isEmpty)
  }

  @Test func errorsAreNeverRecordedButExpectedErrorsOutputIs() {
    let text = "```python\na\n```\n\n```python\nb\n```\n\n```python\nc\n```\n\n```python\nd\n```\n"
    let results = [
      Self.result(0, "boom\n", status: .error), Self.result(1, "slow\n", status: .timedOut),
      Self.result(2, "before raising\n", status: .expectedError),
      Self.result(3, "skipped\n", status: .notRun),
    ]
    let (new, changes) = Self.update(text, results) { $0.cells[3].options.run = false }
    #expect(
      new
        == "```python\na\n```\n\n```python\nb\n```\n\n```python\nc\n```\n\n```output\nbefore raising\n```\n\n"
        + "```python\nd\n```\n")
    #expect(changes == ["Notes/x.md:13: output added"])
  }

  @Test func emptyOutputEmptiesABlockAndAddsNone() {
    let text = "```python\nx\n```\n```output\nold\n```\n```python\ny\n```\n"
    #expect(
      Self.update(text, [Self.result(0, ""), Self.result(1, "\n\n")]).0
        == "```python\nx\n```\n```output\n```\n```python\ny\n```\n")
  }

  @Test func unclosedFencesAreRefused() {
    let text = "> ```python\n> print(1)\n> ```\n> ```output\n> old\n\nafter\n"
    let (new, changes) = Self.update(text, [Self.result(0, "new\n")])
    #expect(new == text)
    #expect(changes == ["Notes/x.md:4: output not updated: its output block's fence is not closed"])
    let open = "- ```python\n  print(1)\n\nafter\n"
    let (same, refused) = Self.update(open, [Self.result(0, "1\n")])
    #expect(same == open)
    #expect(refused == ["Notes/x.md:1: output not updated: the cell's fence is not closed"])
  }

  @Test func aCellAtTheEndOfAFileWithoutFinalLineBreak() {
    let (new, _) = Self.update("\n```python\nx\n```", [Self.result(0, "1\n")])
    #expect(new == "\n```python\nx\n```\n\n```output\n1\n```")
  }

  @Test func bytesThatAreNotUTF8OutsideTheBlockSurvive() {
    let text = "caf\u{FFFD}\n\n```python\nx\n```\n"
    var bytes = Data("caf".utf8) + Data([0xE9]) + Data("\n\n```python\nx\n```\n".utf8)
    let update = OutputBlockUpdater.update(
      bytes, note: ParsedNote.note(text), results: [Self.result(0, "1\n")])
    bytes += Data("\n```output\n1\n```\n".utf8)
    #expect(update.content == bytes)
  }

  @Test func noteUpdaterWritesOnlyChangedNotesStillAsTheyWereRead() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("x.md")
    let text = "```python\nprint(1)\n```\n"
    try Data(text.utf8).write(to: url)
    let note = ParsedNote.note(text, url: url)
    let write: (Data, URL) throws -> Void = { data, url in try data.write(to: url, options: .atomic) }

    let unchanged = try NoteUpdater.apply(NoteResult(note: note, cells: [], python: nil, seconds: 0)) {
      _, _ in
      Issue.record("nothing to write")
    }
    #expect(unchanged.isEmpty)

    let result = NoteResult(note: note, cells: [Self.result(0, "1\n")], python: "3.12", seconds: 0)
    let changes = try NoteUpdater.apply(result, write: write)
    #expect(changes.map(\.description) == ["Notes/x.md:4: output added"])
    #expect(try String(contentsOf: url, encoding: .utf8) == text + "```output\n1\n```\n")

    #expect {
      try NoteUpdater.apply(result, write: write)
    } throws: { error in
      "\(error)" == "Notes/x.md changed on disk since it was read; not updated"
    }
  }
}
