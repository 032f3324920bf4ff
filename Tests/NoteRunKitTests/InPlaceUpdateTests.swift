import Foundation
import Testing

@testable import NoteRunKit

/// `check --update` rewrites notes in place: through symbolic links, keeping mode and owner,
/// refusing what an atomic rename cannot rewrite faithfully.
@Suite struct InPlaceUpdateTests {
  static let stale = "# Note\n\n```python\nprint('new')\n```\n\n```output\nold\n```\n"
  static let fixed = "# Note\n\n```python\nprint('new')\n```\n\n```output\nnew\n```\n"

  private func status(_ path: String) -> stat {
    var status = stat()
    stat(path, &status)
    return status
  }

  @Test func aSymlinkedNoteIsUpdatedThroughTheLinkAndStaysALink() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("real/note.md", Self.stale)
    try FileManager.default.createDirectory(at: sandbox.url("notes"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: sandbox.url("notes/note.md").path, withDestinationPath: "../real/note.md")

    let run = try sandbox.run(["check", "notes", "--update", "--no-cache"])

    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(try sandbox.read("real/note.md") == Self.fixed)
    let link = try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.url("notes/note.md").path)
    #expect(link == "../real/note.md")
  }

  @Test func modeAndOwnerAreKept() throws {
    let folder = try TemporaryFolder()
    let note = try folder.write("note.md", "old\n")
    chmod(note.path, 0o600)
    // Another owner than the writer's: only root may give a file away, which the tests are.
    let owner: (uid_t, gid_t) = geteuid() == 0 ? (65534, 65534) : (geteuid(), getegid())
    chown(note.path, owner.0, owner.1)

    try AtomicFile.replaceContents(of: note, with: Data("new\n".utf8))

    #expect(try String(contentsOf: note, encoding: .utf8) == "new\n")
    let after = status(note.path)
    #expect(after.st_mode & 0o7777 == 0o600)
    #expect(after.st_uid == owner.0 && after.st_gid == owner.1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["note.md"])
  }

  @Test func aReadOnlyNoteIsRefusedAndKept() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/note.md", Self.stale)
    chmod(sandbox.url("notes/note.md").path, 0o444)

    let run = try sandbox.run(["check", "notes", "--update", "--no-cache"])

    #expect(run.status == 1)
    #expect(run.stderr.contains("notes/note.md is read-only; not updated"), "\(run.stderr)")
    #expect(try sandbox.read("notes/note.md") == Self.stale)
    #expect(status(sandbox.url("notes/note.md").path).st_mode & 0o7777 == 0o444)
  }

  @Test func aHardLinkedNoteIsRefusedAndBothNamesKeepSharingIt() throws {
    let folder = try TemporaryFolder()
    let note = try folder.write("note.md", "old\n")
    let other = folder.url.appendingPathComponent("copy.md")
    link(note.path, other.path)

    #expect(throws: AtomicFile.Refusal.self) {
      try AtomicFile.replaceContents(of: note, with: Data("new\n".utf8))
    }
    #expect(status(note.path).st_ino == status(other.path).st_ino)
    #expect(try String(contentsOf: other, encoding: .utf8) == "old\n")
  }

  @Test func aNoteWithALongNameCanBeWritten() throws {
    let folder = try TemporaryFolder()
    // 250 bytes: the longest names a file system takes are 255.
    let note = try folder.write(String(repeating: "n", count: 247) + ".md", "old\n")
    try AtomicFile.replaceContents(of: note, with: Data("new\n".utf8))
    try AtomicFile.write(Data("page\n".utf8), to: note.deletingPathExtension().appendingPathExtension("html"))
    #expect(try String(contentsOf: note, encoding: .utf8) == "new\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).count == 2)
  }
}
