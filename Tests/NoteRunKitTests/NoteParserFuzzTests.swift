import Foundation
import Testing

@testable import NoteRunKit

/// Malformed and hostile notes: parsing ends, with a note or a `NoteError`, never a crash
/// or a hang.
@Suite struct NoteParserFuzzTests {

  /// Parses and checks what must hold for any note that parses.
  func check(_ data: Data) {
    let lineCount = 1 + data.filter { $0 == 0x0A || $0 == 0x0D }.count
    do {
      let note = try NoteParser.parse(
        data: data, url: URL(fileURLWithPath: "/fuzz/n.md"), root: URL(fileURLWithPath: "/fuzz"),
        displayPath: "n.md", defaultLanguage: "python")
      for cell in note.cells {
        #expect(cell.line >= 1 && cell.line <= cell.endLine && cell.endLine <= lineCount)
        #expect(cell.sourceLines.allSatisfy { $0 > cell.line && $0 <= lineCount })
      }
      #expect(note.codeBlocks.count >= note.cells.count)
    } catch {
      #expect(error.file == "n.md" && error.line >= 1 && error.line <= lineCount)
    }
  }

  @Test func randomBytes() {
    var generator = SplitMix64(seed: 42)
    for _ in 0..<300 {
      let length = Int.random(in: 0..<2000, using: &generator)
      check(Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }
  }

  @Test func randomMarkdownPieces() {
    let pieces = [
      "```", "~~~", "````python", "```python norun", "```output", "```{python}", "```py id=", "\n", "\n\n",
      "> ",
      "- ", "1. ", "    ", "\t", "#| echo: false\n", "#| ", "{{#include ", "}}", ":", "---\n", "...\n",
      "title: ",
      "\"", "'", "\\", "=", "raises=", "match=\"(\"", "<br>", "|", "|-|", "\r", "\r\n", "\u{FEFF}", "é", "✔️",
      "[", "](",
      "<?", "@",
    ]
    var generator = SplitMix64(seed: 7)
    for _ in 0..<2000 {
      let count = Int.random(in: 0..<60, using: &generator)
      let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
      check(Data(text.utf8))
    }
  }

  @Test func deepAndLongInputs() {
    check(Data((String(repeating: ">", count: 100_000) + " ```python\n> x\n").utf8))
    check(Data((String(repeating: "- ", count: 20_000) + "```python\nx\n```\n").utf8))
    check(Data(("```python " + String(repeating: "k=v ", count: 250_000) + "\nx\n```\n").utf8))
    check(Data(("```python " + String(repeating: "\"", count: 100_001) + "\nx\n```\n").utf8))
    check(Data(("---\na: " + String(repeating: "[", count: 100_000) + "\n---\n").utf8))
    check(Data(String(repeating: "```python\n", count: 50_000).utf8))
    check(Data(String(repeating: "```python\nx\n```\n```output\n", count: 20_000).utf8))
    check(Data(("```python\n" + String(repeating: "#| echo: false\n", count: 20_000) + "```\n").utf8))
  }

  @Test func inputsThatWouldTakeCmarkMinutesAreRefused() {
    let wideTable =
      "intro\n\n" + String(repeating: "|a", count: 20_000) + "|\n" + String(repeating: "|-", count: 20_000)
      + "|\n" + String(repeating: "|b|\n", count: 200)
    #expect(noteError { try parseNote(wideTable) }?.line == 4)
    #expect(
      noteError { try parseNote("|a|b|\n|-|-|\n" + String(repeating: "|", count: 80_000) + "\n") }?.line == 2)
    let processing = "text\n\n" + String(repeating: "a <?", count: 50_000)
    #expect(noteError { try parseNote(processing) }?.line == 3)
    #expect(noteError { try parseNote(String(repeating: "a <![CDATA[", count: 40_000)) }?.line == 1)
    #expect(
      noteError { try parseNote(String(repeating: "a@", count: 400_000)) }?.message.contains("`@`") == true)
    // The same amount of ordinary text is fine.
    let table = "|a|b|c|\n|-|-|-|\n" + String(repeating: "|1|2|3|\n", count: 50_000)
    #expect(noteError { try parseNote(table) } == nil)
    let prose = String(repeating: "Write to me@example.com <?php echo 1; ?> [x](y)\n\n", count: 20_000)
    #expect(noteError { try parseNote(prose) } == nil)
  }
}
