import Foundation
import FoundationXML
import Testing

/// `noterun check` end to end: the real binary, real python3, real files.
@Suite struct CLICheckTests {
  /// Three passing cells: an output block, an expected exception, an elided address.
  static let passing = """
    # Passing

    ```python
    print("hello")
    ```

    ```output
    hello
    ```

    ```python raises=ZeroDivisionError
    1/0
    ```

    ```python
    print(object())
    print("start", 1)
    print("middle")
    print("end")
    ```

    ```output
    <object object at ...>
    start ...
    ...
    end
    ```

    """

  /// Line 8 is the output block that does not match what the cell prints.
  static let broken = """
    # Broken

    ```python
    print("a")
    print("b")
    ```

    ```output
    a
    c
    ```

    """

  @Test func passingNotesExitZeroWithASummary() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/passing.md", Self.passing)

    let run = try sandbox.run(["check", "notes", "--no-cache"])

    #expect(run.status == 0, "\(run.stdout)")
    #expect(run.stdoutLines.first == "✓ notes/passing.md  3 passed")
    #expect(
      run.stdoutLines.last?.matches(#"3 passed, 0 failed, 0 skipped in \d+\.\d\d s"#) == true, "\(run.stdout)"
    )
  }

  @Test func aBrokenExampleFailsWithItsLineReasonAndDiff() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/passing.md", Self.passing)
    try sandbox.write("notes/broken.md", Self.broken)

    let run = try sandbox.run(["check", "notes", "--no-cache"])

    #expect(run.status == 1)
    #expect(run.stdout.contains("notes/broken.md:8: printed output differs from the expected output\n"))
    #expect(run.stdout.contains("  --- expected (notes/broken.md:8)\n  +++ actual\n"), "\(run.stdout)")
    #expect(run.stdout.contains("   a\n  -c\n  +b\n"), "\(run.stdout)")
    #expect(
      run.stdoutLines.last?.matches(#"3 passed, 1 failed, 0 skipped in \d+\.\d\d s"#) == true, "\(run.stdout)"
    )
    #expect(!run.stdout.contains("\u{1B}["), "not a terminal: no colour")
  }

  @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/broken.md", Self.broken)

    let coloured = try sandbox.runOnTerminal(["check", "notes", "--no-cache"])
    let plain = try sandbox.runOnTerminal(["check", "notes", "--no-cache"], environment: ["NO_COLOR": "1"])

    #expect(coloured.contains("\u{1B}["), "\(coloured)")
    #expect(plain.contains("notes/broken.md:8"), "\(plain)")
    #expect(!plain.contains("\u{1B}["), "\(plain)")
  }

  @Test func raisesPassesOnlyWhenTheCellRaisesThatException() throws {
    let sandbox = try CLISandbox()
    try sandbox.write(
      "notes/raises.md",
      """
      ```python raises=ZeroDivisionError
      1/0
      ```

      ```python raises=KeyError
      1/0
      ```

      ```python raises=ValueError
      x = 1
      ```

      ```python raises=ValueError match="invalid literal"
      int("seven")
      ```

      """)

    let run = try sandbox.run(["check", "notes", "--no-cache", "--format", "json"])
    let cells = try run.stdoutLines.map(Self.object)

    #expect(run.status == 1)
    #expect(cells.map { $0["line"] as? Int } == [1, 5, 9, 13])
    #expect(cells.map { $0["status"] as? String } == ["passed", "error", "failed", "passed"])
    #expect(
      cells[1]["reason"] as? String == "raised ZeroDivisionError: division by zero, expected KeyError")
    #expect((cells[2]["reason"] as? String)?.contains("ValueError") == true, "\(cells[2])")
  }

  @Test func githubFormatPrintsOneAnnotationPerFailure() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/broken.md", Self.broken)
    try sandbox.write("notes/passing.md", Self.passing)

    let run = try sandbox.run(["check", "notes", "--no-cache", "--format", "github"])

    #expect(run.status == 1)
    let annotations = run.stdoutLines.filter { $0.hasPrefix("::") }
    #expect(annotations.count == 1, "\(run.stdout)")
    #expect(
      annotations.first?.hasPrefix(
        "::error file=notes/broken.md,line=8,title=printed output differs from the expected output::")
        == true,
      "\(run.stdout)")
    #expect(annotations.first?.contains("%0A-c%0A+b%0A") == true, "newlines escaped: \(run.stdout)")
    #expect(run.stdoutLines.last?.matches(#"3 passed, 1 failed, 0 skipped in \d+\.\d\d s"#) == true)
  }

  @Test func jsonFormatIsOneObjectPerCell() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/broken.md", Self.broken)
    try sandbox.write("notes/passing.md", Self.passing)

    let run = try sandbox.run(["check", "notes", "--no-cache", "--format", "json"])
    let cells = try run.stdoutLines.map(Self.object)

    #expect(run.status == 1)
    #expect(cells.count == 4)
    for cell in cells {
      for key in ["file", "line", "status", "reason", "expected", "actual", "seconds"] {
        #expect(cell.keys.contains(key), "\(key) in \(cell)")
      }
    }
    #expect(
      cells.map { $0["file"] as? String } == ["notes/broken.md"]
        + Array(repeating: "notes/passing.md", count: 3))
    let broken = cells[0]
    #expect(broken["line"] as? Int == 3)
    #expect(broken["status"] as? String == "failed")
    #expect(broken["reason"] as? String == "printed output differs from the expected output")
    #expect(broken["expected"] as? String == "a\nc\n")
    #expect(broken["actual"] as? String == "a\nb\n")
    #expect(broken["seconds"] is Double)
    #expect(cells[1]["status"] as? String == "passed")
    #expect(cells[1]["reason"] is NSNull)
  }

  @Test func junitReportHasOneTestcasePerCell() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/broken.md", Self.broken)
    try sandbox.write("notes/passing.md", Self.passing + "```python norun\nnever()\n```\n")

    let run = try sandbox.run(["check", "notes", "--no-cache", "--junit", "reports/junit.xml"])
    let document = try XMLDocument(contentsOf: sandbox.url("reports/junit.xml"))

    #expect(run.status == 1)
    let root = try #require(document.rootElement())
    #expect(root.name == "testsuites")
    #expect(root.attribute(forName: "tests")?.stringValue == "5")
    #expect(root.attribute(forName: "failures")?.stringValue == "1")
    #expect(root.attribute(forName: "skipped")?.stringValue == "1")
    let suites = root.elements(forName: "testsuite")
    #expect(
      suites.map { $0.attribute(forName: "name")?.stringValue } == ["notes/broken.md", "notes/passing.md"])
    let cases = suites.flatMap { $0.elements(forName: "testcase") }
    #expect(cases.count == 5)
    let failure = try #require(cases.first?.elements(forName: "failure").first)
    #expect(
      failure.attribute(forName: "message")?.stringValue == "printed output differs from the expected output")
    #expect(failure.stringValue?.contains("-c\n+b") == true)
    #expect(cases.last?.elements(forName: "skipped").count == 1)
  }

  @Test func shardsCoverEveryNoteExactlyOnce() throws {
    let sandbox = try CLISandbox()
    let names = ["a", "b", "c", "d", "e"]
    for name in names { try sandbox.write("notes/\(name).md", "```python\nprint('\(name)')\n```\n") }

    let first = try sandbox.run(["check", "notes", "--no-cache", "--format", "json", "--shard", "1/2"])
    let second = try sandbox.run(["check", "notes", "--no-cache", "--format", "json", "--shard", "2/2"])
    let files = { (run: CLIRun) in try run.stdoutLines.map { try Self.object($0)["file"] as? String ?? "" } }

    #expect(first.status == 0 && second.status == 0)
    let firstFiles = try files(first)
    let secondFiles = try files(second)
    #expect(!firstFiles.isEmpty && !secondFiles.isEmpty)
    #expect((firstFiles + secondFiles).sorted() == names.map { "notes/\($0).md" })
  }

  @Test func theReportIsInNoteOrderWhateverTheJobs() throws {
    let sandbox = try CLISandbox()
    // The first note takes longest, so with two jobs it finishes last.
    try sandbox.write("notes/1-slow.md", "```python clock=real\nimport time\ntime.sleep(0.5)\n```\n")
    for name in ["2-fast", "3-fast", "4-fast"] {
      try sandbox.write("notes/\(name).md", "```python\nprint(1)\n```\n\n```output\n2\n```\n")
    }

    let serial = try sandbox.run(["check", "notes", "--no-cache", "-j", "1"])
    let parallel = try sandbox.run(["check", "notes", "--no-cache", "-j", "2"])

    #expect(serial.status == 1 && parallel.status == 1)
    #expect(
      serial.stdoutLines.dropLast() == parallel.stdoutLines.dropLast(), "\(serial.stdout)\n\(parallel.stdout)"
    )
    #expect(serial.stdoutLines.first == "✓ notes/1-slow.md  1 passed")
  }

  @Test func anUnparsableNoteIsReportedAtItsLineWhileOthersRun() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/bad.md", "# Bad\n\n```python\n{{#include missing.py}}\n```\n")
    try sandbox.write("notes/passing.md", Self.passing)

    let run = try sandbox.run(["check", "notes", "--no-cache"])

    #expect(run.status == 2)
    #expect(run.stdout.contains("notes/bad.md:4: "), "\(run.stdout)")
    #expect(run.stdoutLines.contains("✓ notes/passing.md  3 passed"), "\(run.stdout)")
    #expect(run.stdoutLines.last?.hasPrefix("3 passed, 1 failed, 0 skipped") == true, "\(run.stdout)")
  }

  static func object(_ line: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }
}
