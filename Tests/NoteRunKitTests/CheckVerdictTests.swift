import Foundation
import Testing

@testable import NoteRunKit

@Suite struct CheckVerdictTests {
  static let file = "Notes/x.md"

  static func cell(
    line: Int = 10, expected: String? = nil, raises: String? = nil, match: String? = nil
  ) -> Cell {
    var options = CellOptions()
    options.raises = raises
    options.match = match
    let fence = Fence(character: "`", length: 3, prefix: "")
    return Cell(
      index: 0, line: line, codeLine: line + 1, endLine: line + 2, isClosed: true, info: "python",
      source: "pass\n", sourceLines: [line + 1],
      segments: [SourceSegment(file: file, line: line + 1, text: "pass\n")],
      options: options,
      expected: expected.map {
        ExpectedOutput(line: line + 4, endLine: line + 6, isClosed: true, text: $0, fence: fence)
      },
      fence: fence)
  }

  static func printed(_ text: String, status: CellStatus = .ok) -> CellResult {
    CellResult(cell: 0, status: status, outputs: [OutputChunk(stream: .stdout, text: text)], seconds: 0.25)
  }

  static func failure(_ check: CellCheck) -> CellVerdict? {
    check.verdict.failed ? check.verdict : nil
  }

  @Test func matchingOutputPassesAndACellWithoutBlockPassesIfItRanOK() {
    let passed = CellCheck(
      cell: Self.cell(expected: "id ...\n"), result: Self.printed("id 42\n"), file: Self.file)
    #expect(passed.verdict == CellVerdict(reason: .ran, line: 10))
    #expect(passed.expected == "id ...\n" && passed.actual == "id 42\n" && passed.seconds == 0.25)
    #expect(passed.outputMatches == true)
    let unblocked = CellCheck(cell: Self.cell(), result: Self.printed("anything"), file: Self.file)
    #expect(unblocked.verdict.outcome == .passed && unblocked.outputMatches == nil)
  }

  @Test func differentOutputFailsAtTheBlockWithADiff() throws {
    let check = CellCheck(
      cell: Self.cell(expected: "1\n2\n"), result: Self.printed("1\n3\n"), file: Self.file)
    let failure = try #require(Self.failure(check))
    #expect(failure.line == 14 && check.outputMatches == false)
    #expect(failure.reason == .outputDiffers(droppedBytes: 0) && !failure.reason.isError)
    #expect(failure.reason.words == ("output differs", "printed output differs from the expected output"))
    #expect(failure.diff?.expectedLabel == "expected (Notes/x.md:14)")
    #expect(failure.diff?.hunks.first?.lines.map(\.marked) == [" 1", "-2", "+3"])
  }

  @Test func theValueReprCountsAsOutput() {
    let result = CellResult(
      cell: 0, status: .ok, outputs: [OutputChunk(stream: .stdout, text: "a")], value: "3")
    #expect(
      CellCheck(cell: Self.cell(expected: "a\n3\n"), result: result, file: Self.file).verdict.outcome
        == .passed)
  }

  @Test func anUnexpectedErrorFailsWhereItWasRaised() throws {
    var result = Self.printed("")
    result.status = .error
    result.error = CellError(
      type: "NameError", mro: ["NameError", "Exception"], message: "name 'x' is not defined",
      traceback: "Traceback…\nNameError: name 'x' is not defined\n", file: Self.file, line: 12)
    let failure = try #require(Self.failure(CellCheck(cell: Self.cell(), result: result, file: Self.file)))
    #expect(failure.line == 12)
    #expect(failure.reason.words.sentence == "raised NameError: name 'x' is not defined")
    #expect(failure.reason.words.label == "raised NameError" && failure.reason.isError)
    #expect(JSONReport.type(failure.reason) == "NameError")
    #expect(failure.details == "Traceback…\nNameError: name 'x' is not defined\n")

    result.error?.file = "Notes/lib.py"
    result.error?.line = 3
    let elsewhere = try #require(
      Self.failure(
        CellCheck(cell: Self.cell(raises: "KeyError", match: "k.*"), result: result, file: Self.file)))
    #expect(elsewhere.line == 10)
    #expect(
      elsewhere.reason.words.sentence
        == "raised NameError: name 'x' is not defined (at Notes/lib.py:3), expected KeyError matching \"k.*\""
    )
  }

  @Test func aMissingErrorFails() throws {
    let check = CellCheck(
      cell: Self.cell(raises: "NameError"), result: Self.printed("", status: .missingError), file: Self.file)
    let failure = try #require(Self.failure(check))
    #expect(failure.reason.words.sentence == "expected NameError, nothing was raised")
    #expect(failure.line == 10 && failure.reason.code == "missing-error" && !failure.reason.isError)
  }

  @Test func anExpectedErrorStillComparesItsOutput() {
    let cell = Self.cell(expected: "before\n", raises: "ValueError")
    #expect(
      CellCheck(cell: cell, result: Self.printed("before\n", status: .expectedError), file: Self.file).verdict
        .reason == .raisedAsExpected(type: "ValueError"))
    let check = CellCheck(
      cell: cell, result: Self.printed("other\n", status: .expectedError), file: Self.file)
    #expect(Self.failure(check)?.reason.code == "output-mismatch")
  }

  @Test func stoppedCellsFailWithTheirReason() throws {
    var result = Self.printed("partial\n", status: .timedOut)
    result.message = "timed out after 30 s"
    let timedOut = try #require(Self.failure(CellCheck(cell: Self.cell(), result: result, file: Self.file)))
    #expect(timedOut.reason == .timedOut("timed out after 30 s") && timedOut.reason.isError)

    let died = try #require(
      Self.failure(
        CellCheck(cell: Self.cell(), result: Self.printed("", status: .kernelDied), file: Self.file)))
    #expect(died.reason == .kernelDied("the Python kernel died") && died.reason.code == "kernel-died")

    result.status = .deadlock
    result.message = nil
    result.trace = Trace(
      clock: .virtual, end: 1,
      tasks: [TraceTask(id: 2, name: "a", coroutine: "f", parent: nil, created: 0, origin: nil, end: nil)],
      events: [],
      waiting: [WaitingTask(task: 2, what: "Event.wait()", chain: [])])
    let deadlock = try #require(Self.failure(CellCheck(cell: Self.cell(), result: result, file: Self.file)))
    #expect(deadlock.reason.words.sentence == "deadlock: every task is waiting and nothing can wake one")
    #expect(deadlock.details == "a awaits Event.wait()\n")

    let budget = Self.failure(
      CellCheck(cell: Self.cell(), result: Self.printed("", status: .budget), file: Self.file))
    #expect(budget?.reason.code == "time-budget")
  }

  @Test func notRunCellsAreSkipped() {
    #expect(
      CellCheck(cell: Self.cell(expected: "x"), result: Self.printed("", status: .notRun), file: Self.file)
        .verdict.reason == .notRun)
  }

  @Test func aNoteCountsItsCellsAndItsProblem() {
    var second = Self.cell(line: 30, expected: "no\n")
    second.index = 1
    var third = Self.cell(line: 50)
    third.index = 2
    let note = Note(
      file: Self.file, url: URL(fileURLWithPath: "/tmp/x.md"), root: URL(fileURLWithPath: "/tmp"), source: "",
      markdown: "", frontMatter: FrontMatter(), title: "x", cells: [Self.cell(), second, third],
      codeBlocks: [])
    var yes = Self.printed("yes\n")
    yes.cell = 1
    let check = NoteCheck(
      NoteResult(note: note, cells: [Self.printed(""), yes], python: "3.12", seconds: 1.5))
    #expect(check.cells.map(\.line) == [10, 30, 50])
    #expect(check.counts == CheckCounts(passed: 1, failed: 1, skipped: 1))
    #expect(check.failures.map(\.verdict.line) == [34])
    #expect(check.seconds == 1.5)

    let broken = NoteCheck(problem: NoteError(file: "Notes/y.md", line: 3, message: "unknown option 'nrun'"))
    #expect(broken.counts == CheckCounts(passed: 0, failed: 1, skipped: 0))
    #expect(CheckCounts([check, broken]).summary == "1 passed, 2 failed, 1 skipped")
    #expect(broken.failures.map(\.verdict.reason.words.sentence) == ["unknown option 'nrun'"])
    #expect(CheckCounts([check, broken]).tally == "1 passed, 2 failed, 1 skipped")
    #expect(CheckCounts(passed: 0, failed: 0, skipped: 0).tally == "no cells")
  }
}
