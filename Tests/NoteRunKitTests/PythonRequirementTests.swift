import Foundation
import Testing

@testable import NoteRunKit

@Test(arguments: [
  (">=3.11", "3.11.0", true), (">=3.11", "3.10.13", false), (">=3.11", "3.13.0", true),
  (">=3.10, <3.13", "3.12.1", true), (">=3.10, <3.13", "3.13.0", false),
  ("==3.12.*", "3.12.1", true), ("==3.12.*", "3.13.0", false), ("!=3.12.*", "3.12.9", false),
  ("~=3.11", "3.13.0", true), ("~=3.11", "3.10.0", false), ("~=3.11.2", "3.11.7", true),
  ("~=3.11.2", "3.12.0", false), ("==3.11", "3.11.0", true), ("==3.11", "3.11.7", false),
  (">3.11", "3.11.7", true), ("<=3.11", "3.11.0", true), (">=3.14", "3.14.0a1", true),
])
func aRequirementAdmitsThePythonsPEP440Says(specifier: String, version: String, admitted: Bool) throws {
  let requirement = try #require(PythonRequirement(specifier))
  #expect(requirement.isSatisfied(by: version) == admitted)
}

@Test(arguments: ["3.11", ">=", ">=3.x", "~=3", ">=3.11.*", ">=3.11,", "=>3.11", ""])
func aMalformedRequirementIsRefused(specifier: String) {
  #expect(PythonRequirement(specifier) == nil)
}

@Test func requiresPythonIsACellOptionAndAFrontMatterKey() throws {
  let note = try parseNote(
    "---\nrequires-python: \">=3.10\"\n---\n\n```python requires-python=\">=3.11, <4\"\npass\n```\n")
  #expect(note.frontMatter.requiresPython == PythonRequirement(">=3.10"))
  #expect(note.cells.first?.options.requiresPython == PythonRequirement(">=3.11, <4"))
  let bad = try parseNote("```python requires-python=3.x\npass\n```\n")
  #expect(bad.cells.first?.optionError?.description.contains("requires-python") == true)
  do {
    _ = try parseNote("---\nrequires-python: 3.11\n---\n")
    Issue.record("a bare version was accepted")
  } catch {
    #expect(error.line == 2)
    #expect(error.message.contains("requires-python"))
  }
}

@Test func cellsAnotherPythonIsRequiredForAreSkippedWithTheReason() throws {
  var frontMatter = FrontMatter()
  frontMatter.requiresPython = PythonRequirement(">=3.10")
  let note = try kernelTestNote(
    ["x = 1", "x = 2", "x"],
    options: [1: cellOptions { $0.requiresPython = PythonRequirement(">=99") }], frontMatter: frontMatter)
  let result = NoteRunner().run(note)
  let python = try #require(result.python)
  #expect(result.cells.map(\.status) == [.ok, .notRun, .ok])
  #expect(result.cells[1].skipReason == "requires Python >=99, this is \(python)")
  #expect(result.cells[2].value == "1")
  #expect(result.cells[0].skipReason == nil)
}

@Test func aNoteAnotherPythonIsRequiredForStartsNoKernel() throws {
  var frontMatter = FrontMatter()
  frontMatter.requiresPython = PythonRequirement("<3")
  let note = try kernelTestNote(["import os\nos._exit(3)"], frontMatter: frontMatter)
  let result = NoteRunner().run(note)
  #expect(result.cells.map(\.status) == [.notRun])
  #expect(result.cells[0].skipReason?.hasPrefix("requires Python <3, this is 3.") == true)
}
