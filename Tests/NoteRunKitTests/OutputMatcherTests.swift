import Testing

@testable import NoteRunKit

@Suite struct OutputMatcherTests {
  @Test func lineEndingsTrailingBlanksAndTrailingBlankLinesDoNotCount() {
    #expect(OutputMatcher.matches(expected: "a\nb\n", actual: "a\r\nb\r\n"))
    #expect(OutputMatcher.matches(expected: "a\nb\n", actual: "a\rb"))
    #expect(OutputMatcher.matches(expected: "a  \t\nb\n", actual: "a\nb \n\n\n"))
    #expect(OutputMatcher.matches(expected: "", actual: "\n \n"))
    #expect(OutputMatcher.lines("x\r\n\r\ny \t\r\n\n") == ["x", "", "y"])
  }

  @Test func everythingElseCounts() {
    #expect(!OutputMatcher.matches(expected: "\na\n", actual: "a\n"))
    #expect(!OutputMatcher.matches(expected: " a\n", actual: "a\n"))
    #expect(!OutputMatcher.matches(expected: "a\n", actual: "a\nb\n"))
    #expect(!OutputMatcher.matches(expected: "", actual: "a"))
    #expect(!OutputMatcher.matches(expected: "a\tb", actual: "a b"))
  }

  @Test func ellipsisLineMatchesAnyNumberOfLinesIncludingNone() {
    let expected = "start\n...\nend\n"
    #expect(OutputMatcher.matches(expected: expected, actual: "start\nend\n"))
    #expect(OutputMatcher.matches(expected: expected, actual: "start\n1\n2\n3\nend\n"))
    #expect(!OutputMatcher.matches(expected: expected, actual: "start\n1\n"))
    #expect(OutputMatcher.matches(expected: "...\n", actual: ""))
    #expect(OutputMatcher.matches(expected: "...\nlast\n", actual: "a\nb\nlast"))
    #expect(OutputMatcher.matches(expected: "first\n  ...  \n", actual: "first\nx"))
    #expect(OutputMatcher.matches(expected: "a\n...\nb\n...\nc\n", actual: "a\nb\nc"))
    #expect(OutputMatcher.matches(expected: "a\n...\nb\n...\nc\n", actual: "a\nx\nb\ny\nb\nc"))
    #expect(!OutputMatcher.matches(expected: "a\n...\nb\n...\nc\n", actual: "a\nc\nb"))
  }

  @Test func ellipsisInsideALineMatchesWithinThatLineOnly() {
    #expect(OutputMatcher.matches(expected: "<Foo at 0x...>", actual: "<Foo at 0x7f3a2c1b>"))
    #expect(OutputMatcher.matches(expected: "took ...s, pid ...", actual: "took 0.25s, pid 4242"))
    #expect(OutputMatcher.matches(expected: "...", actual: "anything at all"))
    #expect(OutputMatcher.matches(expected: "a...b...c", actual: "abc"))
    #expect(!OutputMatcher.matches(expected: "a...b...c", actual: "acb"))
    #expect(!OutputMatcher.matches(expected: "<Foo at 0x...>", actual: "<Foo at 0x7f\n>"))
    #expect(!OutputMatcher.matches(expected: "ab...ba", actual: "aba"))
    #expect(OutputMatcher.matches(expected: "x....", actual: "xyz."))
  }

  @Test func otherCharactersAreLiteralNotRegex() {
    #expect(!OutputMatcher.matches(expected: "a.c", actual: "abc"))
    #expect(!OutputMatcher.matches(expected: "(.*)", actual: "anything"))
    #expect(OutputMatcher.matches(expected: "[x]+ (.*) ^$ \\d", actual: "[x]+ (.*) ^$ \\d"))
    #expect(!OutputMatcher.matches(expected: "é", actual: "e\u{301}"))
  }

  @Test func pathologicalPatternsFinishAndAreRight() {
    let line = String(repeating: "a", count: 20_000)
    let inline = String(repeating: "...a", count: 40) + "...b"
    #expect(!OutputMatcher.matches(expected: inline, actual: line))
    #expect(OutputMatcher.matches(expected: inline, actual: line + "b"))
    let lines = Array(repeating: "x", count: 5_000).joined(separator: "\n")
    let pattern = String(repeating: "...\nx\n", count: 500) + "...\ny\n"
    #expect(!OutputMatcher.matches(expected: pattern, actual: lines))
    #expect(OutputMatcher.matches(expected: pattern, actual: lines + "\ny"))
  }
}
