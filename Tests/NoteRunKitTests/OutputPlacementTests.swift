import Foundation
import Testing

@testable import NoteRunKit

/// An output folder that is, holds or lies inside the notes folder is refused before anything
/// is written.
@Suite struct OutputPlacementTests {
  @Test(arguments: [
    (["notes"], "notes", "is"), (["notes"], "notes/site", "lies inside"), (["notes"], ".", "holds"),
    (["notes/a.md"], "notes", "holds"), (["notes"], "link", "is"), (["notes"], "link/site", "lies inside"),
  ])
  func overlapsAreRefused(paths: [String], output: String, relation: String) throws {
    let folder = try TemporaryFolder()
    _ = try folder.write("notes/a.md", "# A\n")
    try FileManager.default.createSymbolicLink(
      atPath: folder.url.appendingPathComponent("link").path, withDestinationPath: "notes")

    #expect(throws: OutputPlacement.Overlap(output: output, notes: paths[0], relation: relation)) {
      try OutputPlacement.check(
        output: URL(fileURLWithPath: output, relativeTo: folder.base), notePaths: paths,
        currentDirectory: folder.url.path)
    }
  }

  @Test(arguments: [(["notes"], "site"), (["notes/a.md"], "notes/site"), (["notes"], "notes-site")])
  func separateFoldersAreAccepted(paths: [String], output: String) throws {
    let folder = try TemporaryFolder()
    _ = try folder.write("notes/a.md", "# A\n")
    try OutputPlacement.check(
      output: URL(fileURLWithPath: output, relativeTo: folder.base), notePaths: paths,
      currentDirectory: folder.url.path)
  }

  @Test func renderAndWatchRefuseBeforeWritingAnything() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/a.md", "# A\n\n```python\nprint(1)\n```\n")

    for arguments in [["render"], ["watch", "--port", "0"]] {
      let verb = arguments[0]
      let run = try sandbox.launch(arguments + ["notes", "-o", "notes/site"]).finish(within: 120)
      #expect(run.status == 2, "\(verb): \(run.stderr)")
      #expect(
        run.stderr.contains("the output folder notes/site lies inside the notes notes"),
        "\(verb): \(run.stderr)")
      #expect(!sandbox.exists("notes/site"), "\(verb)")
      #expect(sandbox.files(under: "notes") == ["a.md"], "\(verb)")
    }
  }
}
