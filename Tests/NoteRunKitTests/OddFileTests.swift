import Foundation
import Testing

@testable import NoteRunKit

/// A FIFO, socket or device named like a note or an include is refused without being read:
/// reading a FIFO that has no writer would block for ever.
@Suite struct OddFileTests {
  @Test func aFIFONamedLikeANoteIsReportedAndTheOtherNotesRender() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/good.md", "# Good\n\n```python\nprint('ok')\n```\n")
    #expect(mkfifo(sandbox.url("notes/pipe.md").path, 0o644) == 0)

    let run = try sandbox.launch(["render", "notes", "-o", "site", "--no-cache"]).finish(within: 120)

    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    #expect(sandbox.exists("site/good.html"))
    let index = try sandbox.read("site/index.html")
    #expect(index.contains("pipe.md"), "\(index)")
    #expect(index.contains("a FIFO, not a regular file"), "\(index)")
  }

  @Test func aFIFOAsAnIncludeIsAnErrorAtTheIncludeLine() throws {
    let folder = try TemporaryFolder()
    let note = try folder.write("note.md", "Intro\n\n```python\n{{#include pipe.py}}\n```\n")
    #expect(mkfifo(folder.url.appendingPathComponent("pipe.py").path, 0o644) == 0)

    let error = noteError {
      try NoteParser.parse(file: note, root: folder.url, displayPath: "note.md", defaultLanguage: nil)
    }

    #expect(error?.file == "note.md" && error?.line == 4, "\(String(describing: error))")
    #expect(error?.message.contains("is a FIFO, not a regular file") == true, "\(String(describing: error))")
  }

  @Test func aDeviceIsNotReadAsANote() throws {
    let error = noteError {
      try NoteParser.parse(
        file: URL(fileURLWithPath: "/dev/zero"), root: URL(fileURLWithPath: "/dev"), displayPath: "zero",
        defaultLanguage: nil)
    }
    #expect(error?.message == "cannot read note: it is a character device, not a regular file; not read")
  }
}
