import Foundation
import Testing

/// Long output: `check --update` does not paste it into a note unless the cell allows it.
@Suite struct LongOutputTests {
  @Test func updateRefusesToPasteLongOutputUnlessTheCellSaysSo() throws {
    let sandbox = try CLISandbox()
    let note = "```python\nfor i in range(500): print(i)\n```\n\n```python\nprint('x' * 70_000)\n```\n"
    try sandbox.write("notes/long.md", note)

    let refused = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    #expect(refused.status == 1)
    #expect(
      refused.stderr.contains(
        "notes/long.md:1: output not updated: the cell printed 500 lines (more than 200): not pasted into the note;"
          + " add `long-output` to the cell to allow it"), "\(refused.stderr)")
    #expect(
      refused.stderr.contains(
        "notes/long.md:5: output not updated: the cell printed 70,001 bytes (more than 64 KiB)"))
    #expect(try sandbox.read("notes/long.md") == note)

    try sandbox.write(
      "notes/long.md", note.replacingOccurrences(of: "```python\n", with: "```python long-output\n"))
    let allowed = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    #expect(allowed.status == 0, "\(allowed.stderr)")
    let updated = try sandbox.read("notes/long.md")
    #expect(updated.contains("```output\n0\n1\n") && updated.contains("499\n```\n"))
    #expect(try sandbox.run(["check", "notes", "--no-cache"]).status == 0)
  }
}
