import Foundation
import Testing

/// Cells that print colours and progress bars: the page shows them as a terminal would,
/// `check` and `--update` work on what a reader sees. The real binary and python3.
@Suite struct TerminalOutputTests {
  static let note = """
    # Colours and progress

    ```python
    import sys
    RED, BOLD, RESET = "\\033[31m", "\\033[1m", "\\033[0m"
    print(f"{RED}error{RESET} and {BOLD}bold{RESET}")
    for percent in range(0, 101, 25):
        sys.stdout.write(f"\\r[{'#' * (percent // 25):<4}] {percent:3d}%")
    print()
    print("\\033[38;2;255;128;0mtrue colour\\033[0m\\033]0;window title\\007")
    ```

    """

  @Test func coloursAndProgressBarsAreShownCheckedAndUpdatedAsAReaderSeesThem() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/colours.md", Self.note)

    let update = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
    let updated = try sandbox.read("notes/colours.md")
    #expect(
      updated.hasSuffix("```\n\n```output\nerror and bold\n[####] 100%\ntrue colour\n```\n"), "\(updated)")
    #expect(try sandbox.run(["check", "notes", "--no-cache"]).status == 0)

    let render = try sandbox.run(["render", "notes", "-o", "site", "--no-cache"])
    #expect(render.status == 0, "\(render.stderr)")
    let page = try sandbox.read("site/colours.html")
    #expect(!page.unicodeScalars.contains("\u{1B}"), "no ESC byte reaches the page")
    #expect(page.contains(#"<span class="t-fg1">error</span> and <span class="t-bold">bold</span>"#))
    #expect(page.contains("[####] 100%\n") && !page.contains(" 75%"))
    #expect(page.contains(#"<span style="color:#ff8000">true colour</span>"#))
    #expect(page.contains("output as in the note"))
  }

  @Test func aHugeValueIsCappedAndNeitherBloatsThePageNorTheNote() throws {
    let sandbox = try CLISandbox()
    let note = "```python\n'x' * 9_000_000\n```\n"
    try sandbox.write("notes/huge.md", note)

    let update = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    #expect(update.status == 1)
    #expect(update.stderr.contains("huge.md:1: output not updated: "), "\(update.stderr)")
    #expect(try sandbox.read("notes/huge.md") == note)

    let render = try sandbox.run(["render", "notes", "-o", "site", "--no-cache"])
    #expect(render.status == 0, "\(render.stderr)")
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: sandbox.url("site/huge.html").path)[.size] as? Int)
    #expect(size < 200_000, "a page of \(size) bytes")
    let page = try sandbox.read("site/huge.html")
    #expect(page.contains("more characters") && page.contains("bytes of output were dropped"))
  }

  @Test func longPrintedOutputIsFoldedOnThePage() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/many.md", "```python\nfor i in range(20_000): print('line', i)\n```\n")
    let render = try sandbox.run(["render", "notes", "-o", "site", "--no-cache"])
    #expect(render.status == 0, "\(render.stderr)")
    let page = try sandbox.read("site/many.html")
    #expect(page.contains("<summary>… 19,940 lines hidden</summary>"))
    #expect(page.contains("line 0\n") && page.contains("line 19999\n"))
    #expect(page.utf8.count < 400_000, "\(page.utf8.count) bytes")
  }
}
