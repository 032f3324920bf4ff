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

  @Test func aPageThatALinkWouldSendIntoTheNotesIsRefusedBeforeWritingAnything() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/a/x.md", "# X\n\n```python\nprint(1)\n```\n")
    try sandbox.write("notes/x.html", "precious")
    try FileManager.default.createDirectory(at: sandbox.url("out"), withIntermediateDirectories: true)
    // out/a/x.html would be notes/x.html.
    try FileManager.default.createSymbolicLink(
      atPath: sandbox.url("out/a").path, withDestinationPath: "../notes")

    for arguments in [["render"], ["watch", "--port", "0"]] {
      let verb = arguments[0]
      let run = try sandbox.launch(arguments + ["notes", "-o", "out"]).finish(within: 120)
      #expect(run.status == 2, "\(verb): \(run.stderr)")
      #expect(run.stderr.contains("out/a/x.html would be written to "), "\(verb): \(run.stderr)")
      #expect(run.stderr.contains("notes/x.html, outside the output folder"), "\(verb): \(run.stderr)")
      #expect(try sandbox.read("notes/x.html") == "precious", "\(verb)")
      #expect(sandbox.files(under: "notes") == ["a/x.md", "x.html"], "\(verb)")
      #expect(!sandbox.exists("out/index.html"), "\(verb)")
    }
  }

  @Test func aNoteNamedLikeAPageGetsAPageOfItsOwnAndCannotBeOverwritten() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/n.html", "# As HTML\n\n```python\nprint('from-html')\n```\n")
    try sandbox.write("notes/n.md", "# As Markdown\n\n```python\nprint('from-md')\n```\n")

    let run = try sandbox.run(["render", "notes/n.html", "notes/n.md", "-o", "out", "--no-cache"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try sandbox.read("out/n.html").contains("from-md"))
    #expect(try sandbox.read("out/n.html.html").contains("from-html"))

    for arguments in [["render"], ["watch", "--port", "0"]] {
      let refused = try sandbox.launch(arguments + ["notes/n.html", "notes/n.md", "-o", "notes"]).finish(
        within: 120)
      #expect(refused.status == 2, "\(arguments[0]): \(refused.stderr)")
      #expect(
        refused.stderr.contains("the output folder notes holds the notes notes/n.html"), "\(refused.stderr)")
      #expect(sandbox.files(under: "notes") == ["n.html", "n.md"])
      #expect(try sandbox.read("notes/n.html").hasPrefix("# As HTML"))
    }
  }
}
