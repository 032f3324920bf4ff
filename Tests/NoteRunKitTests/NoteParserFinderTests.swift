import Foundation
import Testing

@testable import NoteRunKit

@Suite struct NoteParserFinderTests {
  @Test func findsMarkdownRecursivelyInOrder() throws {
    let folder = try TemporaryFolder()
    for path in [
      "Notes/b.md", "Notes/a.md", "Notes/sub/c.MD", "Notes/.hidden/d.md", "Notes/.e.md", "Notes/f.txt",
      "Notes/sub/deeper/g.md", "other.txt",
    ] {
      try folder.write(path, "# x\n")
    }
    try FileManager.default.createSymbolicLink(
      at: folder.url.appendingPathComponent("Notes/zlink"),
      withDestinationURL: folder.url.appendingPathComponent("Notes/sub"))
    let notes = try NoteFinder.notes(
      in: ["Notes", "other.txt", "Notes/a.md"], currentDirectory: folder.url.path)
    let root = folder.url.appendingPathComponent("Notes")
    #expect(
      notes.map(\.displayPath) == [
        "Notes/a.md", "Notes/b.md", "Notes/sub/c.MD", "Notes/sub/deeper/g.md", "other.txt",
      ])
    #expect(notes.map(\.root.path) == [root, root, root, root, folder.url].map(\.path))
    #expect(notes[2].url == root.appendingPathComponent("sub/c.MD"))
  }

  @Test func pathsOutsideTheCurrentDirectoryAreAbsolute() throws {
    let folder = try TemporaryFolder()
    let file = try folder.write("n/x.md", "x\n")
    let notes = try NoteFinder.notes(
      in: [file.path], currentDirectory: folder.url.appendingPathComponent("n/elsewhere").path)
    #expect(notes.map(\.url) == [file] && notes.map(\.displayPath) == [file.path])
    #expect(notes.map(\.root.path) == [folder.url.appendingPathComponent("n").path])
    let relative = try NoteFinder.notes(in: ["./n/../n/x.md"], currentDirectory: folder.url.path)
    #expect(relative.map(\.displayPath) == ["n/x.md"])
  }

  @Test func missingPathsAreErrors() throws {
    let folder = try TemporaryFolder()
    #expect(throws: NoteFinder.PathError(path: "nope")) {
      try NoteFinder.notes(in: ["nope"], currentDirectory: folder.url.path)
    }
    #expect(NoteFinder.PathError(path: "nope").description == "nope: no such file or folder")
  }
}
