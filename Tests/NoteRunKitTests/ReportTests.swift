import Foundation
import Testing

@testable import NoteRunKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct ReportTests {
  /// Two notes: one that passes, one with a wrong output, an error full of characters
  /// that need escaping, and a skipped cell; and a note that could not be read.
  static let notes: [NoteCheck] = {
    let mismatch = CellVerdict(
      reason: .outputDiffers(droppedBytes: 0), line: 14,
      diff: UnifiedDiff(expected: "1\n2\n", actual: "1\n3\n", expectedLabel: "expected (Notes/02.md:14)"))
    let error = CellVerdict(
      reason: .raised(
        type: "ValueError", message: "bad <tag> & \"quote\", 100%: done", elsewhere: nil, expected: nil,
        match: nil),
      line: 21, details: "Traceback:\n  bell \u{7} escape \u{1B}[31m cr \r here\n")
    let passed = CellVerdict(reason: .ran, line: 3)
    return [
      NoteCheck(
        file: "Notes/01.md",
        cells: [
          CellCheck(
            cell: 0, line: 3, status: .ok, verdict: passed, expected: "hi\n", actual: "hi\n", seconds: 0.01),
          CellCheck(
            cell: 1, line: 9, status: .ok, verdict: passed, expected: nil, actual: "", seconds: 0.02),
        ], seconds: 0.1),
      NoteCheck(
        file: "Notes/02.md",
        cells: [
          CellCheck(
            cell: 0, line: 10, status: .ok, verdict: mismatch, expected: "1\n2\n", actual: "1\n3\n",
            seconds: 0.03),
          CellCheck(
            cell: 1, line: 20, status: .error, verdict: error, expected: nil, actual: "x\u{0}y",
            seconds: 0.04),
          CellCheck(
            cell: 2, line: 30, status: .notRun, verdict: CellVerdict(reason: .notRun, line: 30),
            expected: nil, actual: "", seconds: 0),
        ], seconds: 0.2),
      NoteCheck(problem: NoteError(file: "Notes/03.md", line: 1, message: "not valid UTF-8")),
    ]
  }()

  @Test func terminalReportListsNotesFailuresAndTheSummary() {
    let text = TerminalReport(color: false).render(Self.notes, seconds: 0.4123)
    #expect(
      text == """
        ✓ Notes/01.md  2 passed
        ✗ Notes/02.md  2 failed, 1 skipped
        ✗ Notes/03.md  1 failed

        Notes/02.md:14: printed output differs from the expected output
          --- expected (Notes/02.md:14)
          +++ actual
          @@ -1,2 +1,2 @@
           1
          -2
          +3

        Notes/02.md:21: raised ValueError: bad <tag> & "quote", 100%: done
          Traceback:
            bell \u{2407} escape \u{241B}[31m cr \u{240D} here

        Notes/03.md:1: not valid UTF-8

        2 passed, 3 failed, 1 skipped in 0.41 s

        """)
  }

  @Test func coloursNeverTouchTheSummaryLine() throws {
    let text = TerminalReport(color: true).render(Self.notes, seconds: 2)
    #expect(text.contains("\u{1B}[31m-2\u{1B}[0m") && text.contains("\u{1B}[32m+3\u{1B}[0m"))
    #expect(text.contains("\u{1B}[32m✓\u{1B}[0m Notes/01.md"))
    let last = try #require(text.split(separator: "\n").last)
    #expect(last == "2 passed, 3 failed, 1 skipped in 2.00 s")
  }

  @Test func summaryLineHasTheShapeCIParsersRead() throws {
    let regex = try Regex("^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped in [0-9]+\\.[0-9]{2} s$")
    for seconds in [0, 0.004, 12.345, 1234.5] {
      let line = TerminalReport.summary(CheckCounts(passed: 112, failed: 0, skipped: 0), seconds: seconds)
      #expect(line.wholeMatch(of: regex) != nil, "\(line)")
    }
    #expect(
      TerminalReport.summary(CheckCounts(Self.notes), seconds: 0.41)
        == "2 passed, 3 failed, 1 skipped in 0.41 s")
  }

  @Test func junitReportParsesBackWithTheRightCounts() throws {
    let xml = JUnitReport().render(Self.notes, seconds: 0.5)
    let document = try XMLDocument(xmlString: xml)
    let root = try #require(document.rootElement())
    #expect(root.name == "testsuites")
    #expect(root.attribute(forName: "tests")?.stringValue == "6")
    #expect(root.attribute(forName: "failures")?.stringValue == "3")
    #expect(root.attribute(forName: "skipped")?.stringValue == "1")
    let suites = root.elements(forName: "testsuite")
    #expect(
      suites.map { $0.attribute(forName: "name")?.stringValue } == [
        "Notes/01.md", "Notes/02.md", "Notes/03.md",
      ])
    #expect(suites.map { $0.attribute(forName: "tests")?.stringValue } == ["2", "3", "1"])
    #expect(suites.map { $0.attribute(forName: "failures")?.stringValue } == ["0", "2", "1"])
    let cases = suites[1].elements(forName: "testcase")
    #expect(cases.map { $0.attribute(forName: "name")?.stringValue } == ["02.md:10", "02.md:20", "02.md:30"])
    #expect(cases.allSatisfy { $0.attribute(forName: "classname")?.stringValue == "Notes/02.md" })
    #expect(cases[0].attribute(forName: "time")?.stringValue == "0.030")
    let mismatch = try #require(cases[0].elements(forName: "failure").first)
    #expect(mismatch.attribute(forName: "type")?.stringValue == "output-mismatch")
    #expect(mismatch.stringValue?.contains("@@ -1,2 +1,2 @@\n 1\n-2\n+3\n") == true)
    let error = try #require(cases[1].elements(forName: "failure").first)
    #expect(
      error.attribute(forName: "message")?.stringValue
        == "raised ValueError: bad <tag> & \"quote\", 100%: done")
    #expect(error.stringValue?.contains("bell \u{2407} escape \u{241B}[31m cr \r here") == true)
    #expect(cases[2].elements(forName: "skipped").count == 1)
    #expect(suites[0].elements(forName: "testcase").allSatisfy { $0.children?.isEmpty ?? true })
  }

  @Test func junitEscapingReplacesWhatXMLForbids() throws {
    let text = "a\u{0}b\u{1F}c\u{FFFE}d\te\nf\rg<&>\"'"
    #expect(JUnitReport.escape(text) == "a\u{2400}b\u{241F}c\u{FFFD}d&#9;e&#10;f&#13;g&lt;&amp;&gt;&quot;'")
    let document = try XMLDocument(
      xmlString: "<a b=\"\(JUnitReport.escape(text))\">\(JUnitReport.escape(text, inAttribute: false))</a>")
    let expected = "a\u{2400}b\u{241F}c\u{FFFD}d\te\nf\rg<&>\"'"
    #expect(document.rootElement()?.attribute(forName: "b")?.stringValue == expected)
    #expect(document.rootElement()?.stringValue == expected)
  }

  @Test func githubReportWritesOneEscapedAnnotationPerFailure() {
    let lines = GitHubReport().render(Self.notes).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(
      lines[0]
        == "::error file=Notes/02.md,line=14,title=printed output differs from the expected output::"
        + "--- expected (Notes/02.md:14)%0A+++ actual%0A@@ -1,2 +1,2 @@%0A 1%0A-2%0A+3%0A")
    #expect(
      lines[1]
        == "::error file=Notes/02.md,line=21,title=raised ValueError%3A bad <tag> & \"quote\"%2C 100%25%3A done::"
        + "Traceback:%0A  bell \u{7} escape \u{1B}[31m cr %0D here%0A")
    #expect(lines[2] == "::error file=Notes/03.md,line=1,title=not valid UTF-8::not valid UTF-8")
    #expect(GitHubReport.escapeProperty("a:b,c%d\r\n") == "a%3Ab%2Cc%25d%0D%0A")
  }

  @Test func jsonReportWritesOneObjectPerCell() throws {
    let lines = JSONReport().render(Self.notes).split(separator: "\n")
    #expect(lines.count == 6)
    let objects = try lines.map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(
      objects.map { $0["status"] as? String } == ["passed", "passed", "failed", "error", "skipped", "error"])
    #expect(objects.map { $0["line"] as? Int } == [3, 9, 10, 20, 30, 1])
    #expect(objects[2]["failureLine"] as? Int == 14)
    #expect(objects[2]["reason"] as? String == "printed output differs from the expected output")
    #expect(objects[2]["expected"] as? String == "1\n2\n" && objects[2]["actual"] as? String == "1\n3\n")
    #expect(objects[3]["actual"] as? String == "x\u{0}y" && objects[3]["type"] as? String == "ValueError")
    #expect(objects[0]["reason"] is NSNull && objects[0]["file"] as? String == "Notes/01.md")
    #expect(objects[0]["seconds"] as? Double == 0.01)
    #expect(
      Set(objects[4].keys) == [
        "file", "line", "status", "reason", "failureLine", "type", "expected", "actual", "seconds",
      ])
  }

  @Test func jsonKeysComeInOneFixedOrder() {
    let first = JSONReport().render(Self.notes)
    #expect(first == JSONReport().render(Self.notes))
    #expect(
      first.hasPrefix(
        "{\"file\":\"Notes/01.md\",\"line\":3,\"status\":\"passed\",\"reason\":null,\"failureLine\":null,"
          + "\"type\":null,\"expected\":\"hi\\n\",\"actual\":\"hi\\n\",\"seconds\":0.010}\n"), "\(first)")
    #expect(first.contains("\"actual\":\"x\\u0000y\""))
  }

  @Test func terminalTextNeutralisesEscapesAndWorkflowCommands() {
    #expect(TerminalEscaping.harmless("\u{1B}]0;owned\u{7}title") == "\u{241B}]0;owned\u{2407}title")
    #expect(TerminalEscaping.harmless("\u{1B}[2J\u{1B}[H") == "\u{241B}[2J\u{241B}[H")
    #expect(TerminalEscaping.harmless("\u{1B}]52;c;aGk=\u{7}") == "\u{241B}]52;c;aGk=\u{2407}")
    #expect(TerminalEscaping.harmless("a\u{9B}31mb\u{7F}\r") == "a\u{FFFD}31mb\u{2421}\u{240D}")
    #expect(TerminalEscaping.harmless("tab\tand\nnew line") == "tab\tand\nnew line")
    #expect(
      TerminalEscaping.harmless("::error::x\n  ::warning file=a::y")
        == ":\u{200B}:error::x\n  :\u{200B}:warning file=a::y")
    #expect(TerminalEscaping.harmless("a ::error::x\n:x\n::") == "a ::error::x\n:x\n:\u{200B}:")
  }
}
