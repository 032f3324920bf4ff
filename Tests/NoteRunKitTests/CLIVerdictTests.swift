import Foundation
import Testing

/// One verdict per cell, shown alike by the page, the index, `render --strict` and `check`:
/// the real binary, real python3, real files.
@Suite struct CLIVerdictTests {
  /// A passing cell, then cells that fail each their own way: output other than its
  /// block (line 7 is the block), a deadlock, and a `raises=` that nothing raised.
  static let mixed = """
    ```python
    print("a")
    ```

    ```python
    print("a")
    ```

    ```output
    b
    ```

    ```python
    import asyncio
    await asyncio.Event().wait()
    ```

    ```python raises=ValueError
    x = 1
    ```

    """

  @Test func aDifferingOutputFailsAlikeOnThePageTheIndexRenderAndCheck() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/mixed.md", Self.mixed)

    let render = try sandbox.run(["render", "notes", "-o", "out", "--no-cache", "--strict"])
    let check = try sandbox.run(["check", "notes", "--no-cache"])

    #expect(render.status == 1, "\(render.stderr)")
    #expect(check.status == 1, "\(check.stdout)")
    let page = try sandbox.read("out/mixed.html")
    let index = try sandbox.read("out/index.html")
    // One tally, in the same words everywhere.
    #expect(check.stdoutLines.first == "✗ notes/mixed.md  1 passed, 3 failed", "\(check.stdout)")
    #expect(page.contains("<li class=\"fact bad\">1 passed, 3 failed</li>"), "\(page)")
    #expect(index.contains(">1 passed, 3 failed</span>"), "\(index)")
    #expect(
      render.stderrLines.first?.hasPrefix("✗ notes/mixed.md  1 passed, 3 failed  first at notes/mixed.md:9")
        == true, "\(render.stderr)")
    #expect(
      render.stderrLines.last?.hasPrefix("rendered 1 of 1 notes: 1 passed, 3 failed, 0 skipped") == true)
    // The cell whose output differs is nowhere "ok".
    #expect(!page.contains(">ok</span>") && !page.contains("no failures") && !index.contains("all ok"))
    #expect(
      page.contains(
        "<span class=\"badge status-output-mismatch\"><span class=\"badge-symbol\" aria-hidden=\"true\">✗</span>output differs</span>"
      ))
    // Each failure's sentence on the page is the one check prints after file:line.
    for sentence in [
      "notes/mixed.md:9: printed output differs from the expected output",
      "notes/mixed.md:13: deadlock: every task is waiting and nothing can wake one",
      "notes/mixed.md:18: expected ValueError, nothing was raised",
    ] {
      #expect(check.stdout.contains(sentence + "\n"), "\(check.stdout)")
      let reason = String(sentence.split(separator: ": ", maxSplits: 1)[1])
      #expect(page.contains(reason.replacingOccurrences(of: "\"", with: "&quot;")), "\(reason)")
    }
    let json = try sandbox.run(["check", "notes", "--no-cache", "--format", "json"])
    #expect(
      json.stdoutLines.map { try? CLICheckTests.object($0)["status"] as? String } == [
        "passed", "failed", "error", "failed",
      ])
  }

  @Test func aNoteWithoutCellsIsLabelledNoCellsEverywhere() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/prose.md", "# Only prose\n\nNothing to run.\n")
    try sandbox.write("notes/run.md", "```python\nprint(1)\n```\n")

    let render = try sandbox.run(["render", "notes", "-o", "out", "--no-cache"])
    let check = try sandbox.run(["check", "notes", "--no-cache"])

    #expect(render.status == 0 && check.status == 0, "\(render.stderr)\(check.stdout)")
    #expect(render.stderrLines.first?.hasPrefix("✓ notes/prose.md  no cells  ") == true, "\(render.stderr)")
    #expect(check.stdoutLines.first == "✓ notes/prose.md  no cells", "\(check.stdout)")
    #expect(try sandbox.read("out/prose.html").contains("<li class=\"fact \">no cells</li>"))
    #expect(try sandbox.read("out/index.html").contains(">no cells</span>"))
  }

  @Test func checkOnNoNotesOrNoCellsIsBadInput() throws {
    let sandbox = try CLISandbox()
    try FileManager.default.createDirectory(at: sandbox.url("empty"), withIntermediateDirectories: true)
    try sandbox.write("prose/a.md", "# Prose\n")
    try sandbox.write("prose/b.md", "```text\nnot a cell\n```\n")

    let empty = try sandbox.run(["check", "empty", "--no-cache"])
    let prose = try sandbox.run(["check", "prose", "--no-cache"])

    #expect(empty.status == 2)
    #expect(empty.stderr == "noterun: no notes found under empty\n", "\(empty.stderr)")
    #expect(prose.status == 2)
    #expect(prose.stderr == "noterun: no cells in prose (2 notes)\n", "\(prose.stderr)")
  }

  @Test func updateExitsOneWhileFailuresItCouldNotFixRemain() throws {
    let sandbox = try CLISandbox()
    // Output past the 2 MiB capture limit is cut: writing the cut text would make a
    // block the cell never printed.
    try sandbox.write("cut/n.md", "```python\nprint('x' * 2_200_000)\n```\n\n```output\ny\n```\n")
    try sandbox.write("fixable/n.md", "```python\nprint('a')\n```\n\n```output\nb\n```\n")

    let cut = try sandbox.run(["check", "cut", "--no-cache", "--update"])
    let fixable = try sandbox.run(["check", "fixable", "--no-cache", "--update"])

    #expect(cut.status == 1, "\(cut.stderr)")
    #expect(cut.stderr.contains("cut/n.md:5: output not updated: the output was cut at the capture limit"))
    #expect(try sandbox.read("cut/n.md").hasSuffix("```output\ny\n```\n"))
    #expect(fixable.status == 0, "\(fixable.stderr)")
    #expect(fixable.stderrLines.last == "updated 1 output block; 0 failures left", "\(fixable.stderr)")
    #expect(try sandbox.read("fixable/n.md").hasSuffix("```output\na\n```\n"))
  }
}
