import Foundation
import Testing

@testable import NoteRunKit

@Suite struct MarkdownTests {
  @Test func outlineReportsFencesLinesAndPairing() {
    let text =
      "# Hello *world*\n\n```python id=a\nprint(1)\n```\n\n```output\n1\n```\n\ntext\n\n    indented\n"
    let outline = Markdown.outline(text)
    #expect(outline.openingHeading == "Hello world")
    #expect(outline.codeBlocks.count == 3)
    let cell = outline.codeBlocks[0]
    #expect(cell.info == "python id=a")
    #expect(cell.literal == "print(1)\n")
    #expect(cell.startLine == 3 && cell.endLine == 5)
    #expect(cell.isFenced && cell.fenceLength == 3 && cell.fenceCharacter == "`")
    #expect(outline.codeBlocks[1].followsPreviousCodeBlock)
    #expect(!outline.codeBlocks[2].followsPreviousCodeBlock)
    #expect(!outline.codeBlocks[2].isFenced)
  }

  @Test func htmlReplacesDropsOrKeepsCodeBlocks() {
    let text = "a ~~b~~ www.example.com\n\n```python\nx\n```\n\n```output\ny\n```\n\n```sh\nls\n```\n"
    let html = Markdown.html(text) { index in
      switch index {
      case 0: "<div class=\"cell\"><script>ok()</script></div>"
      case 1: ""
      default: nil
      }
    }
    #expect(html.contains("<del>b</del>"))
    #expect(html.contains("<a href=\"http://www.example.com\">"))
    #expect(html.contains("<div class=\"cell\"><script>ok()</script></div>"))
    #expect(!html.contains("y\n"))
    #expect(html.contains("<code class=\"language-sh\">ls"))
  }

  @Test func rawHTMLInProseIsFiltered() {
    let html = Markdown.html("<script>alert(1)</script>\n\nhi <b onclick=x>there</b>\n") { _ in nil }
    #expect(!html.contains("<script>"))
    #expect(!html.contains("onclick"))
  }

  @Test func concurrentRendersAgree() async {
    let text = "x ~~gone~~ https://example.com and www.a.org\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    let expected = Markdown.html(text) { _ in nil }
    let results = await withTaskGroup(of: String.self) { group in
      for _ in 0..<400 { group.addTask { Markdown.html(text) { _ in nil } } }
      return await group.reduce(into: [String]()) { $0.append($1) }
    }
    #expect(results.allSatisfy { $0 == expected })
  }
}
