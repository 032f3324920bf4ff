import Foundation
import Testing

@testable import NoteRunKit

@Suite struct CellOptionsTests {
  func options(_ info: String, code: String = "pass\n") throws -> CellOptions {
    try #require(try parseNote("```\(info)\n\(code)```\n").cells.first).options
  }

  @Test func infoStringOptions() throws {
    let all = try options(
      #"python norun raises=asyncio.TimeoutError match="took \d+ s" timeout=2.5 clock=real hide=source,trace trace=off id=step-1_a title="A \"first\" try""#
    )
    var expected = CellOptions()
    expected.run = false
    expected.raises = "asyncio.TimeoutError"
    expected.match = #"took \d+ s"#
    expected.timeout = 2.5
    expected.clock = .real
    expected.hide = [.source, .trace]
    expected.trace = false
    expected.id = "step-1_a"
    expected.caption = #"A "first" try"#
    #expect(all == expected)
    #expect(try options("py skip").run == false)
    #expect(try options("py norun=true").run == false)
    #expect(try options("py norun=false").run == true)
    #expect(try options("python filename='a b.py'").caption == "a b.py")
    #expect(try options("python name=demo").caption == "demo")
    #expect(try options(#"python title="x""#).caption == "x")
    #expect(try options(#"{code-cell} python3 raises=KeyError"#).raises == "KeyError")
    #expect(try options(#"py match="a\\b\"c" raises=E"#).match == #"a\b"c"#)
  }

  @Test func quartoOptionLines() throws {
    let note = try parseNote(
      "```{python}\n#| echo: false\n#| output: false\n#| eval: false\n#| error: true\n#| label: first\n"
        + "#| hide: [trace]\n#| timeout: 3\n#| clock: virtual\nx = 1\n#| not an option\n```\n")
    let cell = try #require(note.cells.first)
    #expect(cell.options.hide == [.source, .output, .trace])
    #expect(cell.options.run == false && cell.options.id == "first" && cell.options.timeout == 3)
    #expect(cell.options.clock == .virtual)
    #expect(cell.source == "x = 1\n#| not an option\n")
    #expect(cell.sourceLines == [10, 11])
    #expect(
      cell.segments == [
        SourceSegment(
          file: "note.md", line: 2, text: String(repeating: "\n", count: 8) + "x = 1\n#| not an option\n")
      ])
    #expect(cell.code.split(separator: "\n", omittingEmptySubsequences: false).count == 11)
  }

  @Test func infoAndQuartoOptionsCombine() throws {
    let cell = try #require(
      try parseNote(
        "```python raises=ValueError\n#| match: 'bad value'\nraise ValueError('bad value')\n```\n"
      ).cells.first)
    #expect(cell.options.raises == "ValueError" && cell.options.match == "bad value")
  }

  @Test(arguments: [
    ("python colour=red", 1, "unknown cell option `colour`"),
    ("python norun=maybe", 1, "cell option `norun` must be true or false, not `maybe`"),
    ("python raises", 1, "cell option `raises` must be given a value (`raises=…`), not nothing"),
    (
      "python raises=1Error", 1,
      "cell option `raises` must be an exception name such as ValueError, not `1Error`"
    ),
    ("python raises=E match=\"(\"", 1, "cell option `match` must be a valid regular expression, not `(`"),
    (
      "python match=x", 1,
      "cell option `match` checks the message of the exception named by `raises`: add raises=NAME"
    ),
    ("python timeout=0", 1, "cell option `timeout` must be a number of seconds above 0, not `0`"),
    ("python timeout=soon", 1, "cell option `timeout` must be a number of seconds above 0, not `soon`"),
    ("python clock=fast", 1, "cell option `clock` must be virtual or real, not `fast`"),
    (
      "python hide=source,code", 1,
      "cell option `hide` must be a comma list of source, output, trace, not `source,code`"
    ),
    ("python trace=maybe", 1, "cell option `trace` must be off or on, not `maybe`"),
    ("python id=a.b", 1, "cell option `id` must be letters, digits, `-` and `_`, not `a.b`"),
    ("python title=\"open", 1, "cell option `title`: the quoted value is not closed"),
    ("python title=\"a\"b", 1, "cell option `title`: put a space after the quoted value"),
    ("python =x", 1, "cell option without a name before `=`"),
  ])
  func badInfoOptionsAreErrorsAtTheFence(info: String, line: Int, message: String) {
    let error = noteError { try parseNote("```\(info)\npass\n```\n") }
    #expect(error?.file == "note.md" && error?.line == line)
    #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")")
  }

  @Test func unknownOptionsListTheKnownOnes() {
    let error = noteError { try parseNote("text\n\n```python\n#| echo: true\n#| fig-cap: A plot\n```\n") }
    #expect(error?.line == 5)
    #expect(
      error?.message
        == "unknown cell option `fig-cap` (known: norun, skip, raises, match, timeout, clock, hide, trace, id, title,"
        + " filename, name; from Quarto: echo, eval, output, error, label)")
  }

  @Test func badQuartoLinesAreErrorsAtTheirLine() {
    #expect(noteError { try parseNote("```python\n#| timeout: -1\n```\n") }?.line == 2)
    #expect(noteError { try parseNote("```python\n#| echo: false\n#| eval: [a\n```\n") }?.line == 4)
    #expect(
      noteError { try parseNote("```python\n#| just words\n```\n") }?.message
        == "`#|` cell options must be YAML `key: value` lines")
    #expect(
      noteError { try parseNote("```python\n#| hide: {a: b}\n```\n") }?.message
        == "cell option `hide` must be a value or a list")
  }

  @Test func pythonNamedGroupsAreValidPatterns() throws {
    #expect(try options(#"python raises=E match="(?P<n>\d+) and (?P=n)""#).match == #"(?P<n>\d+) and (?P=n)"#)
  }
}
