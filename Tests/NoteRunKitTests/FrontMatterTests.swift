import Foundation
import Testing

@testable import NoteRunKit

@Suite struct FrontMatterTests {
  @Test func readsNoterunKeysAndIgnoresOthers() throws {
    let note = try parseNote(
      """
      ---
      title: "Tasks: a tour"
      author: [me, you]
      date: 2024-05-01
      default-language: python
      clock: real
      seed: 12
      timeout: 2.5
      python: /usr/bin/python3.12
      format:
        html: {toc: true}
      ...
      body

      """)
    var expected = FrontMatter()
    expected.title = "Tasks: a tour"
    expected.defaultLanguage = "python"
    expected.clock = .real
    expected.seed = 12
    expected.timeout = 2.5
    expected.python = "/usr/bin/python3.12"
    expected.lineCount = 12
    #expect(note.frontMatter == expected)
    #expect(note.markdown == String(repeating: "\n", count: 12) + "body\n")
  }

  @Test func emptyOrAbsentFrontMatter() throws {
    #expect(try parseNote("---\n---\n# T\n").frontMatter.lineCount == 2)
    #expect(try parseNote("# T\n---\nseed: x\n---\n").frontMatter == FrontMatter())
    #expect(try parseNote("\n---\nseed: x\n---\n").frontMatter == FrontMatter())
  }

  @Test(arguments: [
    ("---\nclock: fast\n---\n", 2, "front matter `clock` must be virtual or real, not `fast`"),
    ("---\ntitle: x\nseed: abc\n---\n", 3, "front matter `seed` must be an integer, not `abc`"),
    ("---\nseed: 1.5\n---\n", 2, "front matter `seed` must be an integer, not `1.5`"),
    ("---\ntimeout: 0\n---\n", 2, "front matter `timeout` must be a number of seconds above 0, not `0`"),
    (
      "---\ntimeout: .nan\n---\n", 2, "front matter `timeout` must be a number of seconds above 0, not `.nan`"
    ),
    ("---\n\n\ntitle: [a, b]\n---\n", 4, "front matter `title` must be text, not a list"),
    ("---\npython:\n  path: x\n---\n", 3, "front matter `python` must be a command or path, not a mapping"),
    ("---\n- a\n- b\n---\n", 2, "front matter must be YAML `key: value` lines"),
  ])
  func wrongValuesAreErrorsAtTheirLine(text: String, line: Int, message: String) {
    #expect(noteError { try parseNote(text) } == NoteError(file: "note.md", line: line, message: message))
  }

  @Test func malformedYAMLIsAnErrorAtItsLine() {
    let error = noteError { try parseNote("---\ntitle: ok\nseed: [1, 2\nclock: real\n---\n") }
    // libyaml notices the unclosed list on the next line.
    #expect(error?.line == 4)
    #expect(
      error?.message
        == "front matter is not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence)")
    #expect(noteError { try parseNote("---\na: b: c\n---\n") }?.line == 2)
    #expect(
      noteError { try parseNote("---\nseed: 1\nseed: 2\n---\n") }?.message.contains("duplicate key seed")
        == true)
  }

  @Test func unclosedFrontMatterIsAnErrorAtLineOne() {
    let error = noteError { try parseNote("---\ntitle: x\n\n# Heading\n") }
    #expect(error?.line == 1)
    #expect(error?.message.hasPrefix("front matter is not closed") == true)
    #expect(noteError { try parseNote("---") }?.line == 1)
  }

  @Test func keysCloseToNoterunsGetAWarning() throws {
    let note = try parseNote("---\nseeed: 3\ntimout: 2\nauthor: me\nDate: today\nTitle: X\n---\n")
    #expect(
      note.frontMatter.warnings.map(\.description) == [
        "note.md:2: front matter `seeed` is not a noterun key and is ignored — did you mean `seed`?",
        "note.md:3: front matter `timout` is not a noterun key and is ignored — did you mean `timeout`?",
        "note.md:6: front matter `Title` is not a noterun key and is ignored — did you mean `title`?",
      ])
    #expect(note.frontMatter.seed == nil && note.frontMatter.timeout == nil)
  }

  @Test func requiresPythonIsAKeyBothToReadAndToSuggest() throws {
    let typo = try parseNote("---\nrequire-python: \">=3.11\"\nrequires_python: \">=3.11\"\n---\n")
    #expect(
      typo.frontMatter.warnings.map(\.description) == [
        "note.md:2: front matter `require-python` is not a noterun key and is ignored — did you mean `requires-python`?",
        "note.md:3: front matter `requires_python` is not a noterun key and is ignored — did you mean `requires-python`?",
      ])
    let valid = try parseNote("---\nrequires-python: \">=3.11\"\n---\n")
    #expect(valid.frontMatter.warnings.isEmpty)
    #expect(valid.frontMatter.requiresPython != nil)
  }

  @Test func titleIsFrontMatterElseAnOpeningHeadingElseTheFileName() throws {
    #expect(try parseNote("---\ntitle: T\n---\n# H\n").title == "T")
    #expect(try parseNote("---\nauthor: a\n---\n\n# Opening *one*\n\ntext\n").title == "Opening one")
    #expect(try parseNote("Opening\n=======\n").title == "Opening")
    #expect(try parseNote("intro text\n\n# Later heading\n").title == "note")
    #expect(try parseNote("## Second level\n").title == "note")
  }
}
