import Foundation
import Testing

@testable import NoteRunKit

@Suite struct RenderIndexTests {
  private let layout = OutputLayout(output: URL(fileURLWithPath: "/site"))

  private func result(_ file: String, title: String, statuses: [CellStatus]) -> NoteResult {
    let markdown = statuses.map { _ in "```python\nx\n```\n" }.joined(separator: "\n")
    let note = RenderFixtures.note(
      markdown, file: "Notes/\(file)", title: title, url: URL(fileURLWithPath: "/notes/\(file)"),
      root: URL(fileURLWithPath: "/notes"))
    let cells = statuses.enumerated().map { CellResult(cell: $0.offset, status: $0.element) }
    return NoteResult(note: note, cells: cells, python: "3.12", seconds: 0)
  }

  @Test func listsEveryNoteWithCountsAndRelativeLinks() {
    let html = IndexRenderer(layout: layout).render(
      judging: [
        result("b/deep.md", title: "Deep", statuses: [.ok, .error, .timedOut]),
        result("a.md", title: "First", statuses: [.ok, .expectedError]),
        result("c.md", title: "Skipped", statuses: [.notRun]),
      ],
      unreadable: [NoteError(file: "Notes/broken.md", line: 7, message: "unknown option `colour`")])
    #expect(
      html.contains("<a class=\"note-title\" href=\"a.html\">First</a><span class=\"path\">Notes/a.md</span>")
    )
    #expect(html.contains("href=\"b/deep.html\">Deep</a>"))
    #expect(
      html.contains(
        "<td class=\"num\">3 cells</td><td><span class=\"badge status-failed\">1 passed, 2 failed</span>"))
    #expect(
      html.contains("<td class=\"num\">2 cells</td><td><span class=\"badge status-passed\">2 passed</span>"))
    #expect(html.contains("<span class=\"badge status-skipped\">1 skipped</span>"))
    #expect(html.range(of: "First")!.lowerBound < html.range(of: "Deep")!.lowerBound, "path order")
    #expect(html.contains("<li><code>Notes/broken.md:7</code> unknown option `colour`</li>"))
    #expect(html.contains("3 notes · 6 cells · 3 passed, 2 failed, 1 skipped · 1 unreadable note"))
  }

  @Test func escapesTitlesPathsAndErrors() {
    let payload = "<script>alert(1)</script>"
    let html = IndexRenderer(layout: layout).render(
      judging: [result("\(payload).md", title: payload, statuses: [.ok])],
      unreadable: [NoteError(file: payload, line: 1, message: payload)])
    #expect(!html.contains("<script>alert"))
    #expect(html.contains(">&lt;script&gt;alert(1)&lt;/script&gt;</a>"))
    #expect(html.contains("href=\"%3Cscript%3Ealert(1)%3C/script%3E.html\""))
    #expect(html.contains("<li><code>&lt;script&gt;alert(1)&lt;/script&gt;:1</code> &lt;script&gt;"))
  }

  @Test func emptyIndexSaysSoAndCarriesLiveReload() {
    let html = IndexRenderer(layout: layout).render(judging: [], liveReloadScript: "reload()")
    #expect(html.contains("No notes were rendered."))
    #expect(html.contains("<script>reload()</script>\n</body>"))
  }
}
