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
    ("python colour=red", 1, "unknown cell option `colour` (noterun's options: norun, skip, raises"),
    ("python raise=ValueError", 1, "unknown cell option `raise` — did you mean `raises`?"),
    ("python linenum=\"1\"", 1, "unknown cell option `linenum` — did you mean `linenums`?"),
    ("python hl_lines=\"0\"", 1, "cell option `hl_lines` must be line numbers and ranges such as \"2 4-6\""),
    ("python linenums=x", 1, "cell option `linenums` must be a line number such as 1, not `x`"),
    ("python source=left", 1, "cell option `source` must be one of above, below"),
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
    ("python trace=maybe", 1, "cell option `trace` must be off, on, open or closed, not `maybe`"),
    ("python id=a.b", 1, "cell option `id` must be letters, digits, `-` and `_`, not `a.b`"),
    ("python title=\"open", 1, "cell option `title`: the quoted value is not closed"),
    ("python title=\"a\"b", 1, "cell option `title`: put a space after the quoted value"),
    ("python =x", 1, "cell option without a name before `=`"),
  ])
  func badInfoOptionsFailTheirCellAtTheFence(info: String, line: Int, message: String) throws {
    let note = try parseNote("```\(info)\npass\n```\n\n```python\nx = 1\n```\n")
    let error = note.cells.first?.optionError
    #expect(error?.file == "note.md" && error?.line == line)
    #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")")
    #expect(note.cells.first?.runs == false)
    #expect(note.cells.last?.optionError == nil && note.cells.last?.runs == true)
  }

  func optionError(_ text: String) throws -> NoteError? {
    try parseNote(text).cells.first?.optionError
  }

  @Test func unknownOptionsWithoutACloseNameListNoterunsOwn() throws {
    let error = try optionError("text\n\n```python\n#| echo: true\n#| fig-cap: A plot\n```\n")
    #expect(error?.line == 5)
    #expect(
      error?.message
        == "unknown cell option `fig-cap` (noterun's options: norun, skip, raises, match, timeout, clock, hide,"
        + " trace, id, long-output, requires-python)")
  }

  @Test func badOptionLinesAreErrorsAtTheirLine() throws {
    #expect(try optionError("```python\n#| timeout: -1\n```\n")?.line == 2)
    #expect(try optionError("```python\n#| echo: false\n#| eval: [a\n```\n")?.line == 4)
    #expect(
      try optionError("```python\n#| just words\n```\n")?.message
        == "cell options must be YAML `key: value` lines")
    #expect(
      try optionError("```python\n#| hide: {a: b}\n```\n")?.message
        == "cell option `hide` must be a value or a list")
    #expect(try optionError("```{code-cell} python\n:tags: [a\nx = 1\n```\n")?.line == 3)
  }

  @Test func mkdocsAttributes() throws {
    let cell = try #require(
      try parseNote("```python title=\"ejemplo.py\" linenums=\"5\" hl_lines=\"1 3-4\"\npass\n```\n").cells
        .first)
    #expect(cell.optionError == nil)
    #expect(cell.options.caption == "ejemplo.py")
    #expect(cell.options.lineNumberStart == 5)
    #expect(cell.options.highlightedLines == [1, 3, 4])
    #expect(try options("python linenums=\"1 2 5\"").lineNumberStart == 1)
  }

  @Test func attributeLists() throws {
    let note = try parseNote(
      "```{ .python .annotate #first title=\"x.py\" }\npass\n```\n\n```{.py}\npass\n```\n\n```{ .js }\nx\n```\n"
    )
    #expect(note.cells.count == 2)
    #expect(note.cells[0].optionError == nil)
    #expect(note.cells[0].options.caption == "x.py" && note.cells[0].options.id == "first")
    #expect(note.codeBlocks[2].role == .other(language: "js"))
    #expect(
      try optionError("```python .annotate\npass\n```\n")?.message.hasPrefix(
        "unknown cell option `.annotate`") == true)
  }

  @Test func quartoOptions() throws {
    let cell = try #require(
      try parseNote("```{python}\n#| include: false\n#| error: true\n#| warning: false\nx\n```\n").cells.first
    )
    #expect(cell.optionError == nil)
    #expect(cell.options.hide == Set(HiddenPart.allCases) && cell.options.mayRaise && cell.options.run)
    #expect(cell.source == "x\n")
  }

  @Test func mystTagsAndOptionBlocks() throws {
    let note = try parseNote(
      "```{code-cell} python\n:tags: [raises-exception, hide-input, my-own-tag]\n1/0\n```\n\n"
        + "```{code-cell} ipython3\n---\ntags: [skip-execution, hide-output]\n---\nwhile True: pass\n```\n")
    #expect(note.cells.allSatisfy { $0.optionError == nil })
    #expect(note.cells[0].options.mayRaise && note.cells[0].options.hide == [.source])
    #expect(note.cells[0].source == "1/0\n" && note.cells[0].sourceLines == [3])
    #expect(!note.cells[1].options.run && note.cells[1].options.hide == [.output])
    #expect(note.cells[1].source == "while True: pass\n" && note.cells[1].sourceLines == [10])
    #expect(note.cells[1].code == "\n\n\nwhile True: pass\n")
    // Outside MyST, a `:` line is code.
    #expect(try parseNote("```python\n:x: 1\n```\n").cells[0].source == ":x: 1\n")
  }

  @Test func markdownExecRunsOnlyExecCellsAndShowsTheirSourceWhenAsked() throws {
    let note = try parseNote(
      "```python exec=\"on\" session=\"a\" source=\"above\" result=\"text\"\nx = 1\n```\n\n"
        + "```python exec=\"1\"\nprint(x)\n```\n\n```python\nnot run\n```\n\n```python exec=\"off\"\nnor this\n```\n"
    )
    #expect(note.cells.map(\.options.run) == [true, true, false, false])
    #expect(note.cells.map(\.options.hide) == [[], [.source], [], []])
    #expect(try parseNote("```python\nruns\n```\n").cells[0].options.run)
  }

  @Test func pythonNamedGroupsAreValidPatterns() throws {
    #expect(try options(#"python raises=E match="(?P<n>\d+) and (?P=n)""#).match == #"(?P<n>\d+) and (?P=n)"#)
  }
}
