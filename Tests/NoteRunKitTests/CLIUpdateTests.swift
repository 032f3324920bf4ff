import Foundation
import Testing

/// `noterun check --update` end to end: output blocks rewritten in place, nothing else.
@Suite struct CLIUpdateTests {
  @Test func updateRewritesOnlyTheWrongAndMissingBlocksThenCheckPasses() throws {
    let sandbox = try CLISandbox()
    // Bytes an editor might leave that a rewrite must keep: trailing spaces, tabs,
    // non-ASCII text, a blank line before the block, no newline at the very end.
    let beforeWrong = "# Update  \n\nSome prose\twith a tab, é and ✓.\n\n```python\nprint(\"one\")\n```\n\n"
    let wrongBlock = "```output\nwrong\n```\n"
    let between = "\nMore prose.   \n\n```python\nprint(\"two\")\n```\n"
    let after = "\nThe end, no newline."
    try sandbox.write("notes/n.md", beforeWrong + wrongBlock + between + after)

    let update = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    let updated = try sandbox.read("notes/n.md")
    let check = try sandbox.run(["check", "notes", "--no-cache"])

    #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
    #expect(updated.hasPrefix(beforeWrong + "```output\none\n```\n" + between), "\(updated)")
    #expect(updated.hasSuffix(after), "\(updated)")
    let inserted = updated.dropFirst((beforeWrong + "```output\none\n```\n" + between).count).dropLast(
      after.count)
    #expect(inserted.contains("```output\ntwo\n```"), "\(inserted)")
    #expect(!inserted.contains("The end"))
    #expect(update.stderrLines.contains("notes/n.md:9: output updated"), "\(update.stderr)")
    #expect(update.stderrLines.contains { $0.matches(#"notes/n\.md:\d+: output added"#) }, "\(update.stderr)")
    #expect(check.status == 0, "\(check.stdout)")
    #expect(check.stdoutLines.first == "✓ notes/n.md  2 passed")
  }

  @Test func updateKeepsCRLFLineEndings() throws {
    let sandbox = try CLISandbox()
    let note =
      "# CRLF\r\n\r\n```python\r\nprint(\"x\")\r\nprint(\"y\")\r\n```\r\n\r\n```output\r\nz\r\n```\r\n\r\nEnd.\r\n"
    try sandbox.write("notes/crlf.md", note)

    let update = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    let updated = try Data(contentsOf: sandbox.url("notes/crlf.md"))

    #expect(update.status == 0, "\(update.stderr)")
    let expected = note.replacingOccurrences(of: "```output\r\nz\r\n", with: "```output\r\nx\r\ny\r\n")
    #expect(updated == Data(expected.utf8), "\(String(decoding: updated, as: UTF8.self).debugDescription)")
    #expect(try sandbox.run(["check", "notes", "--no-cache"]).status == 0)
  }

  /// An error never becomes expected output, and --update does not hide it.
  @Test func updateLeavesACellThatRaisedUnexpectedlyAloneAndFails() throws {
    let sandbox = try CLISandbox()
    let note = "```python\nprint(1)\n1/0\n```\n\n```output\n2\n```\n"
    try sandbox.write("notes/n.md", note)

    let update = try sandbox.run(["check", "notes", "--no-cache", "--update"])

    #expect(update.status == 1, "\(update.stdout)")
    #expect(update.stdout.contains("notes/n.md:3: raised ZeroDivisionError"))
    #expect(try sandbox.read("notes/n.md") == note)
  }
}
