import Foundation
import Testing

/// `noterun render` end to end: the real binary, real python3, real files.
@Suite struct CLIRenderTests {
  static let twoCells = """
    # B

    ```python
    print("hi from b")
    1/0
    ```

    ```python
    x = 2
    ```

    """

  @Test func pagesMirrorTheNoteTreeWithOneProgressLinePerNote() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/top.md", "# Top\n\n```python\nprint('top')\n```\n")
    try sandbox.write("notes/a/b.md", Self.twoCells)

    let run = try sandbox.run(["render", "notes", "-o", "out", "--no-cache"])

    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      sandbox.files(under: "out") == [
        ".noterun-pages.json", "a/b.html", "index.html", "noterun-search.js", "noterun-site.js", "top.html",
      ])
    let lines = run.stderrLines
    #expect(lines.count == 3, "\(run.stderr)")
    // In path order, whichever note finished first.
    #expect(
      lines.first?.matches(#"✗ notes/a/b\.md  1 passed, 1 failed  first at notes/a/b\.md:5  \d+\.\d\d s"#)
        == true, "\(run.stderr)")
    #expect(
      lines.dropFirst().first?.matches(#"✓ notes/top\.md  1 passed  \d+\.\d\d s"#) == true, "\(run.stderr)")
    #expect(
      lines.last?.matches(
        #"rendered 2 of 2 notes: 2 passed, 1 failed, 0 skipped in \d+\.\d\d s → .*out/index\.html"#)
        == true, "\(run.stderr)")
    let page = try sandbox.read("out/a/b.html")
    #expect(page.contains("hi from b"))
    #expect(page.contains("ZeroDivisionError"))
    #expect(try sandbox.read("out/index.html").contains("a/b.html"))
  }

  @Test func strictFailsOnAnUnexpectedCellErrorAndDefaultDoesNot() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("expected/n.md", "```python raises=ZeroDivisionError\n1/0\n```\n")
    try sandbox.write("unexpected/n.md", "```python\n1/0\n```\n")

    #expect(try sandbox.run(["render", "unexpected", "-o", "out1", "--no-cache"]).status == 0)
    #expect(try sandbox.run(["render", "unexpected", "-o", "out2", "--no-cache", "--strict"]).status != 0)
    #expect(try sandbox.run(["render", "expected", "-o", "out3", "--no-cache", "--strict"]).status == 0)
    // Printing other than the output block is a failure too, as check counts it.
    try sandbox.write("differs/n.md", "```python\nprint('a')\n```\n\n```output\nb\n```\n")
    #expect(try sandbox.run(["render", "differs", "-o", "out4", "--no-cache", "--strict"]).status == 1)
    #expect(sandbox.exists("out2/n.html"))
  }

  @Test func anUnreadableNoteFailsTheRunAtItsLineWhileOthersRender() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/bad.md", "# Bad\n\n```python\n{{#include colour.py}}\n```\n")
    try sandbox.write("notes/good.md", "```python\nprint('good')\n```\n")

    let run = try sandbox.run(["render", "notes", "-o", "out", "--no-cache"])

    #expect(run.status != 0)
    #expect(
      run.stderrLines.contains { $0.hasPrefix("✗ notes/bad.md:4: ") && $0.contains("colour.py") },
      "\(run.stderr)")
    #expect(sandbox.exists("out/good.html"))
    #expect(sandbox.exists("out/index.html"))
  }

  @Test func aMissingInterpreterIsOneClearErrorLine() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/a.md", "```python\nprint(1)\n```\n")
    try sandbox.write("notes/b.md", "```python\nprint(2)\n```\n")

    let run = try sandbox.run(["render", "notes", "-o", "out", "--no-cache", "--python", "/nonexistent"])

    #expect(run.status != 0)
    #expect(run.stderrLines.count == 1, "\(run.stderr)")
    #expect(run.stderr.hasPrefix("noterun: /nonexistent not found"), "\(run.stderr)")
  }

  @Test func aPathThatDoesNotExistIsAUsageError() throws {
    let sandbox = try CLISandbox()

    let run = try sandbox.run(["render", "no-such-notes", "-o", "out"])

    #expect(run.status == 2)
    #expect(run.stderr.contains("no-such-notes"))
    #expect(!sandbox.exists("out"))
  }

  @Test func aPlainTextNoteRendersAsProse() throws {
    let sandbox = try CLISandbox()
    try sandbox.write(
      "notes/plain.md",
      """
      taken from a tutorial while reading

      AsyncIO in python: my notes

      - async/ await -> keywords that define coroutines
      - what are asynchronous routines?
          a) they can pause while waiting
      """)

    let run = try sandbox.run(["render", "notes", "-o", "out", "--no-cache"])

    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      run.stderrLines.first?.matches(#"✓ notes/plain\.md  no cells  \d+\.\d\d s"#) == true, "\(run.stderr)")
    let page = try sandbox.read("out/plain.html")
    #expect(page.contains("<p>AsyncIO in python: my notes</p>"))
    #expect(page.contains("<li>async/ await -&gt; keywords that define coroutines</li>"))
    #expect(!page.contains(#"class="cell "#))
  }

  /// Like the learner's note in the seeds: fences without a language, one of them a
  /// SyntaxError on purpose.
  static let untaggedFences = """
    ## The rules

    ```
    async def f(x):
        return x
    ```

    * Examples of the rules above:
    ```
    async def g(x):
        yield x  # OK - an async generator

    async def m(x):
        yield from gen(x)  # No - SyntaxError
    ```
    """

  @Test func untaggedFencesRunWithDefaultLanguagePythonAndShowASyntaxErrorAtItsLine() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/fences.md", Self.untaggedFences)

    let shown = try sandbox.run(["render", "notes", "-o", "shown", "--no-cache"])
    let ran = try sandbox.run(["render", "notes", "-o", "ran", "--no-cache", "--default-language", "python"])

    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stderrLines.first?.hasPrefix("✓ notes/fences.md  no cells") == true, "\(shown.stderr)")
    #expect(ran.status == 0, "\(ran.stderr)")
    #expect(
      ran.stderrLines.first?.hasPrefix("✗ notes/fences.md  1 passed, 1 failed  first at notes/fences.md:14")
        == true,
      "\(ran.stderr)")
    let page = try sandbox.read("ran/fences.html")
    #expect(page.contains("SyntaxError: &#39;yield from&#39; inside async function"))
    #expect(page.contains("at <a class=\"loc\" href=\"#L14\">notes/fences.md:14</a>"))
  }
}
