import Foundation
import Testing

@testable import NoteRunKit

/// Notes written the way learners write them (see the fixtures): they must parse, with
/// cells exactly where the fences are.
@Suite struct NoteParserFixtureTests {
  static let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    .appendingPathComponent("notes")

  func parse(_ name: String, defaultLanguage: String? = nil) throws -> Note {
    try NoteParser.parse(
      file: Self.folder.appendingPathComponent(name), root: Self.folder, displayPath: "notes/\(name)",
      defaultLanguage: defaultLanguage)
  }

  @Test func plainTextNoteIsProse() throws {
    let note = try parse("plain-text.md", defaultLanguage: "python")
    #expect(note.cells.isEmpty)
    // Its deeply indented list lines are an indented code block: shown, never run.
    #expect(note.codeBlocks.map(\.role) == [.other(language: nil)])
    #expect(note.title == "plain-text")
    #expect(note.markdown == note.source)
  }

  @Test func untaggedFencesAreCellsWithPython() throws {
    let note = try parse("untagged-fences.md", defaultLanguage: "python")
    #expect(note.cells.map(\.line) == [14, 24])
    #expect(note.cells.map(\.endLine) == [19, 37])
    #expect(note.cells.map(\.codeLine) == [15, 25])
    let syntaxError = try #require(note.cells.last)
    let line = try #require(
      syntaxError.source.split(separator: "\n", omittingEmptySubsequences: false)
        .firstIndex { $0.contains("yield from") })
    #expect(syntaxError.sourceLines[line] == 32)
    #expect(
      note.source.split(separator: "\n", omittingEmptySubsequences: false)[31].contains("yield from gen(x)"))
    #expect(
      syntaxError.segments == [
        SourceSegment(file: "notes/untagged-fences.md", line: 25, text: syntaxError.source)
      ])
    // A `###` heading opens the note: not a page title.
    #expect(note.title == "untagged-fences")
  }

  @Test func untaggedFencesWithoutPythonAreShownOnly() throws {
    let note = try parse("untagged-fences.md")
    #expect(note.cells.isEmpty)
    #expect(
      note.codeBlocks == [
        CodeBlock(role: .other(language: nil), line: 14), CodeBlock(role: .other(language: nil), line: 24),
      ])
  }

  @Test func everythingNoteUsesEveryFeature() throws {
    let note = try parse("everything.md")
    #expect(note.title == "Counting with asyncio")
    #expect(
      note.frontMatter.seed == 7 && note.frontMatter.clock == .virtual && note.frontMatter.lineCount == 7)
    #expect(note.cells.count == 3)
    let count = note.cells[0]
    #expect(count.options.id == "count")
    #expect(count.source == "{{#include countasync.py:4:7}}\nawait count()\n")
    #expect(
      count.segments == [
        SourceSegment(
          file: "notes/countasync.py", line: 4,
          text: "async def count():\n    print(\"One\")\n    await asyncio.sleep(1)\n    print(\"Two\")\n"),
        SourceSegment(file: "notes/everything.md", line: 13, text: "await count()\n"),
      ])
    #expect(count.includes == [Self.folder.appendingPathComponent("countasync.py").standardizedFileURL])
    #expect(count.expected?.text == "One\nTwo\n")
    let hidden = note.cells[1]
    #expect(hidden.options.hide == [.source] && hidden.options.timeout == 2)
    #expect(hidden.source == "print(\"hidden source\")\n" && hidden.sourceLines == [24])
    #expect(hidden.segments.first?.text == "\n\nprint(\"hidden source\")\n")
    #expect(hidden.segments.first?.line == 22)
    #expect(note.cells[2].options.raises == "NameError" && note.cells[2].options.match == "name 'nope'")
    #expect(note.codeBlocks.last == CodeBlock(role: .other(language: "sh"), line: 31))
  }
}
