import Testing

@testable import NoteRunKit

@Suite struct CheckDiffTests {
  @Test func aChangedLineMakesOneHunkWithThreeLinesOfContext() {
    let expected = "1\n2\n3\n4\n5\n6\n7\n8\n"
    let actual = "1\n2\n3\n4\nfive\n6\n7\n8\n"
    let diff = UnifiedDiff(expected: expected, actual: actual, expectedLabel: "expected (Notes/x.md:12)")
    #expect(
      diff.description == """
        --- expected (Notes/x.md:12)
        +++ actual
        @@ -2,7 +2,7 @@
         2
         3
         4
        -5
        +five
         6
         7
         8

        """)
  }

  @Test func distantChangesMakeSeparateHunks() {
    let expected = (1...20).map(String.init).joined(separator: "\n")
    let actual = (1...20).map { $0 == 2 ? "two" : $0 == 19 ? "nineteen" : String($0) }
      .joined(separator: "\n")
    let diff = UnifiedDiff(expected: expected, actual: actual)
    #expect(diff.hunks.map(\.header) == ["@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"])
  }

  @Test func matchedEllipsesShowAsContext() {
    let expected = "<Foo at 0x...>\nstart\n...\nresult 1\n"
    let actual = "<Foo at 0x7f00>\nstart\nwork\nmore work\nresult 2\n"
    let diff = UnifiedDiff(expected: expected, actual: actual)
    #expect(diff.hunks.count == 1)
    #expect(
      diff.hunks[0].lines.map(\.marked) == [
        " <Foo at 0x...>", " start", " ...", "-result 1", "+result 2",
      ])
    #expect(diff.hunks[0].header == "@@ -1,4 +1,5 @@")
  }

  @Test func matchingTextHasNoDiff() {
    #expect(UnifiedDiff(expected: "a\n...\nz\n", actual: "a\nb\nc\nz\n").isEmpty)
    #expect(UnifiedDiff(expected: "a\n", actual: "a\r\n\n").description == "")
  }

  @Test func emptySidesUseTheLineBeforeAsStart() {
    let added = UnifiedDiff(expected: "", actual: "x\ny\n")
    #expect(added.hunks.map(\.header) == ["@@ -0,0 +1,2 @@"])
    let removed = UnifiedDiff(expected: "a\nb\n", actual: "a\n")
    #expect(removed.hunks.map(\.header) == ["@@ -1,2 +1 @@"])
    #expect(removed.hunks[0].lines.map(\.marked) == [" a", "-b"])
  }

  @Test func removedLinesComeBeforeAddedOnes() {
    let diff = UnifiedDiff(expected: "a\nb\nc\n", actual: "a\nx\ny\nc\n")
    #expect(diff.hunks[0].lines.map(\.marked) == [" a", "-b", "+x", "+y", " c"])
  }

  @Test func hugeDifferencesFallBackToRemovedThenAdded() {
    let expected = (0..<3_000).map { "e\($0)" }.joined(separator: "\n")
    let actual = (0..<3_000).map { "a\($0)" }.joined(separator: "\n")
    let diff = UnifiedDiff(expected: "same\n" + expected, actual: "same\n" + actual)
    #expect(diff.hunks.count == 1)
    #expect(diff.hunks[0].header == "@@ -1,3001 +1,3001 @@")
    #expect(diff.hunks[0].lines.filter { $0.kind == .removed }.count == 3_000)
    #expect(diff.hunks[0].lines.filter { $0.kind == .added }.count == 3_000)
  }
}
