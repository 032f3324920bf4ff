import Foundation
import Testing

@testable import NoteRunKit

/// Parses `text` as a note at /notes/note.md (nothing is read from disk unless it includes).
func parseNote(
  _ text: String, defaultLanguage: String? = nil, url: URL = URL(fileURLWithPath: "/notes/note.md"),
  root: URL? = nil
) throws(NoteError) -> Note {
  try NoteParser.parse(
    text: text, url: url, root: root ?? url.deletingLastPathComponent(), displayPath: "note.md",
    defaultLanguage: defaultLanguage)
}

/// The `NoteError` that `body` throws, or nil.
func noteError<T>(_ body: () throws -> T) -> NoteError? {
  do {
    _ = try body()
    return nil
  } catch {
    return error as? NoteError
  }
}

@Suite struct NoteParserTests {
  @Test(arguments: [
    "python", "py", "python3", "Python", "{python}", "{python3}", "{code-cell} python",
    "{code-cell} ipython3",
    "{CODE-CELL} Python3",
  ])
  func languageWordsMakeCells(info: String) throws {
    let note = try parseNote("text\n\n```\(info)\nprint(1)\n```\n")
    #expect(note.cells.count == 1)
    #expect(note.cells.first?.source == "print(1)\n")
    #expect(note.codeBlocks == [CodeBlock(role: .cell(0), line: 3)])
  }

  @Test func otherFencesAndIndentedBlocksAreNotCells() throws {
    let text =
      "```sh\nls\n```\n\n```{r}\n1\n```\n\n```{code-cell} r\n2\n```\n\n```pycon\n>>> 1\n```\n\npara\n\n    x = 1\n"
    let note = try parseNote(text, defaultLanguage: "python")
    #expect(note.cells.isEmpty)
    #expect(
      note.codeBlocks.map(\.role) == [
        .other(language: "sh"), .other(language: "r"), .other(language: "r"), .other(language: "pycon"),
        .other(language: nil),
      ])
  }

  @Test func untaggedFencesFollowTheDefaultLanguage() throws {
    let text = "```\nx = 1\n```\n\n```{code-cell}\ny = 2\n```\n"
    #expect(try parseNote(text).cells.isEmpty)
    #expect(try parseNote(text).codeBlocks.map(\.role) == [.other(language: nil), .other(language: nil)])
    #expect(try parseNote(text, defaultLanguage: "python").cells.map(\.source) == ["x = 1\n", "y = 2\n"])
    let fronted = "---\ndefault-language: python\n---\n" + text
    #expect(try parseNote(fronted).cells.map(\.line) == [4, 8])
    #expect(try parseNote(fronted, defaultLanguage: "sh").cells.isEmpty)
    #expect(try parseNote(fronted, defaultLanguage: "sh").codeBlocks.first?.role == .other(language: "sh"))
  }

  @Test func linesAreFileLinesWithFrontMatter() throws {
    let text = "---\ntitle: T\n---\n\nIntro\n\n```python\na = 1\n\nb = 2\n```\n"
    let note = try parseNote(text)
    let cell = try #require(note.cells.first)
    #expect((cell.line, cell.codeLine, cell.endLine, cell.isClosed) == (7, 8, 11, true))
    #expect(cell.sourceLines == [8, 9, 10])
    #expect(cell.segments == [SourceSegment(file: "note.md", line: 8, text: "a = 1\n\nb = 2\n")])
    #expect(note.markdown == "\n\n\n\nIntro\n\n```python\na = 1\n\nb = 2\n```\n")
    #expect(note.source == text)
  }

  @Test(arguments: ["\r\n", "\r"])
  func otherLineBreaksKeepLines(lineBreak: String) throws {
    let text = ["---", "seed: 1", "---", "", "```python x=", "```"].joined(separator: lineBreak)
    #expect(try parseNote(text).cells.first?.optionError?.line == 5)
    let good = ["---", "seed: 1", "---", "", "```python", "a", "b", "```", "", "```output", "1", "```", ""]
      .joined(separator: lineBreak)
    let note = try parseNote(good)
    let cell = try #require(note.cells.first)
    #expect((cell.line, cell.endLine, cell.isClosed, cell.source) == (5, 8, true, "a\nb\n"))
    #expect(cell.expected?.line == 10 && cell.expected?.endLine == 12 && cell.expected?.text == "1\n")
    #expect(note.frontMatter.seed == 1)
  }

  @Test func byteOrderMarkIsAccepted() throws {
    let note = try parseNote("\u{FEFF}---\ntitle: B\n---\n```python\nx\n```\n")
    #expect(note.title == "B")
    #expect(note.cells.first?.line == 4)
    let bare = try parseNote("\u{FEFF}```python\nx\n```\n")
    #expect(bare.cells.first?.fence == Fence(character: "`", length: 3, prefix: ""))
  }

  @Test func cellsInListsAndQuotesKeepLinesAndPrefix() throws {
    let text = """
      - item

        ```python
        a = 1
        ```
      - ~~~~python
        b = 2
        ~~~~

      > quoted
      > ```python
      > c = 3
      > ```

      1. > ```py
         > d = 4
         > ```
      """
    let cells = try parseNote(text + "\n").cells
    #expect(cells.map(\.line) == [3, 6, 11, 15])
    #expect(cells.map(\.endLine) == [5, 8, 13, 17])
    #expect(cells.allSatisfy { $0.isClosed })
    #expect(cells.map(\.source) == ["a = 1\n", "b = 2\n", "c = 3\n", "d = 4\n"])
    #expect(cells.map(\.fence.prefix) == ["  ", "- ", "> ", "1. > "])
    #expect(cells[1].fence == Fence(character: "~", length: 4, prefix: "- "))
  }

  @Test func unclosedFencesAreFoundAndEndAtTheirLastLine() throws {
    let quoteEnded = try parseNote("> ```python\n> a\n```\nmore\n").cells
    #expect(quoteEnded.map(\.isClosed) == [false])
    #expect(quoteEnded.first?.endLine == 2)
    let listEnded = try parseNote("- ```python\n  a\n```\n").cells
    #expect(listEnded.first?.isClosed == false && listEnded.first?.endLine == 2)
    let blankEnded = try parseNote("> ```python\n> a\n\nafter\n").cells
    #expect(blankEnded.first?.isClosed == false && blankEnded.first?.endLine == 2)
    let fileEnded = try parseNote("```python\na\n\n").cells
    #expect(fileEnded.first?.isClosed == false && fileEnded.first?.endLine == 3)
    let empty = try parseNote("```python").cells
    #expect(empty.first?.isClosed == false && empty.first?.endLine == 1 && empty.first?.source == "")
    let shortCloser = try parseNote("````python\na\n```\n").cells
    #expect(shortCloser.first?.isClosed == false && shortCloser.first?.source == "a\n```\n")
  }

  @Test func outputBlocksPairWithTheCellRightBeforeThem() throws {
    let text = """
      ```python norun
      print(1)
      ```


      ```output
      1
      ```

      ```python
      print(2)
      ```

      Prose between.

      ```output
      2
      ```

      ```output
      3
      ```
      """
    let note = try parseNote(text + "\n")
    #expect(
      note.cells[0].expected
        == ExpectedOutput(
          line: 6, endLine: 8, isClosed: true, text: "1\n",
          fence: Fence(character: "`", length: 3, prefix: "")))
    #expect(note.cells[1].expected == nil)
    #expect(
      note.codeBlocks.map(\.role) == [
        .cell(0), .expectedOutput(cell: 0), .cell(1), .other(language: "output"), .other(language: "output"),
      ])
  }

  @Test func outputBlocksInContainersAndWithOptions() throws {
    let quoted = try parseNote("> ```python\n> 1\n> ```\n>\n> ```output\n> 1\n> ```\n")
    #expect(quoted.cells.first?.expected?.fence.prefix == "> ")
    #expect(quoted.cells.first?.expected?.line == 5)
    let error = noteError { try parseNote("```python\n1\n```\n```output extra\n1\n```\n") }
    #expect(error?.line == 4)
    #expect(error?.message.contains("takes no options") == true)
    let outsideQuote = try parseNote("> ```python\n> 1\n> ```\n\n```output\n1\n```\n")
    #expect(outsideQuote.cells.first?.expected == nil)
  }

  @Test func titleComesFromFrontMatterThenHeadingThenFileName() throws {
    #expect(try parseNote("---\ntitle: Front\n---\n# Heading\n").title == "Front")
    #expect(try parseNote("# The *first* heading\n\ntext\n# Second\n").title == "The first heading")
    #expect(try parseNote("text\n\n# A heading further down\n").title == "note")
    #expect(try parseNote("##no space is no heading\n").title == "note")
  }

  @Test func cellsHaveIndexesAndOptions() throws {
    let note = try parseNote("```python id=a\n1\n```\n\n```python norun\n2\n```\n")
    #expect(note.cells.map(\.index) == [0, 1])
    #expect(note.cells[0].options.id == "a")
    #expect(note.cells[1].options.run == false)
    #expect(note.cells[0].info == "python id=a")
  }

  @Test func duplicateIdsFailTheSecondCell() throws {
    let note = try parseNote("```python id=a\n1\n```\n\n```python id=a\n2\n```\n")
    let error = note.cells.last?.optionError
    #expect(note.cells.first?.optionError == nil)
    #expect(
      error
        == NoteError(file: "note.md", line: 5, message: "cell id `a` is already used by the cell at line 1"))
  }

  @Test func invalidUTF8IsAnErrorAtItsLine() {
    var bytes = Data("```python\nprint('ok')\n```\r\n\rtext \u{e9}\n".utf8)
    bytes.append(contentsOf: [0x61, 0xC3, 0x28, 0x0A])
    let error = noteError {
      try NoteParser.parse(
        data: bytes, url: URL(fileURLWithPath: "/n/a.md"), root: URL(fileURLWithPath: "/n"),
        displayPath: "a.md",
        defaultLanguage: nil)
    }
    #expect(error?.file == "a.md")
    #expect(error?.line == 6)
    #expect(error?.message.contains("not valid UTF-8") == true)
    for (bad, line): ([UInt8], Int) in [
      ([0xED, 0xA0, 0x80], 1), ([0xC0, 0xAF], 1), ([0xF4, 0x90, 0x80, 0x80], 1), ([0xE2, 0x82], 1),
    ] {
      #expect(NoteText.firstInvalidUTF8(Data(bad)) == 0)
      #expect(NoteText.lineNumber(at: 0, in: Data(bad)) == line)
    }
    #expect(NoteText.firstInvalidUTF8(Data("ok ✔️ 𝄞".utf8)) == nil)
  }

  @Test func notesOverEightMiBAreRefused() throws {
    let folder = try TemporaryFolder()
    let big = folder.url.appendingPathComponent("big.md")
    try Data(repeating: 0x61, count: 8 * 1024 * 1024 + 1).write(to: big)
    let error = noteError {
      try NoteParser.parse(file: big, root: folder.url, displayPath: "big.md", defaultLanguage: nil)
    }
    #expect(error == NoteError(file: "big.md", line: 1, message: "note is larger than 8 MiB"))
    let fits = folder.url.appendingPathComponent("fits.md")
    try Data(repeating: 0x61, count: 8 * 1024 * 1024).write(to: fits)
    #expect(
      try NoteParser.parse(file: fits, root: folder.url, displayPath: "fits.md", defaultLanguage: nil).cells
        .isEmpty)
  }

  @Test func unreadableNotesAreErrors() throws {
    let folder = try TemporaryFolder()
    let error = noteError {
      try NoteParser.parse(
        file: folder.url.appendingPathComponent("gone.md"), root: folder.url, displayPath: "gone.md",
        defaultLanguage: nil)
    }
    #expect(error?.file == "gone.md" && error?.line == 1)
    #expect(error?.message.hasPrefix("cannot read note") == true)
  }
}

/// A fresh folder under the temporary directory, removed when the value goes away.
final class TemporaryFolder {
  let url: URL

  init() throws {
    url =
      FileManager.default.temporaryDirectory.appendingPathComponent("noterun-\(UUID().uuidString)")
      .standardizedFileURL
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// The folder as a base for relative URLs.
  var base: URL { URL(fileURLWithPath: url.path, isDirectory: true) }

  /// Writes `text` to `path` below the folder, creating folders on the way.
  @discardableResult
  func write(_ path: String, _ text: String) throws -> URL {
    let file = url.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return file
  }
}
