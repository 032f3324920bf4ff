import Foundation
import Synchronization
import Testing

@testable import NoteRunKit

/// A preview session over `notes/` in a scratch folder, with its output in `out/`, its cell
/// cache in `cache/` and a live-reload client connected. Cells append to `runs.log`
/// (outside the watched notes) to show when they run.
private final class Preview: Sendable {
  let folder: ScratchFolder
  let session: PreviewSession
  let port: UInt16
  let reloads: TestWebSocket
  let running: Task<Void, Never>
  private let logged: Lines

  var runs: URL { folder.file("runs.log") }
  var log: [String] { logged.all }

  /// Starts on `notes` (name → text; `RUN(tag)` in a text becomes a line that logs `tag`).
  init(_ notes: [String: String]) async throws {
    folder = try ScratchFolder("preview")
    let runs = folder.file("runs.log")
    for (name, text) in notes {
      try folder.write("notes/\(name)", Self.expand(text, runs: runs))
    }
    let logged = Lines()
    self.logged = logged
    let session = PreviewSession(
      paths: [folder.file("notes").path], output: folder.file("out"),
      batch: NoteBatch(runner: NoteRunner(cache: CellCache(folder: folder.file("cache"))), jobs: 2),
      log: { logged.append($0) })
    self.session = session
    let url = try await session.start()
    port = try #require(URL(string: url)?.port.map(UInt16.init))
    running = Task { await session.run() }
    reloads = try await TestWebSocket.connect(port: port, path: LiveReload.endpoint)
  }

  static func expand(_ text: String, runs: URL) -> String {
    var text = text
    while let start = text.range(of: "RUN("), let end = text[start.upperBound...].firstIndex(of: ")") {
      text.replaceSubrange(
        start.lowerBound...end, with: appendLine(String(text[start.upperBound..<end]), to: runs))
    }
    return text
  }

  /// Saves a note (or any file) below `notes/` and waits for the reload of `page`.
  @discardableResult
  func save(_ name: String, _ text: String, reloading page: String) async throws -> [[String]] {
    try folder.write("notes/\(name)", Self.expand(text, runs: runs))
    return try await reloads.awaitReload(of: page)
  }

  func get(_ target: String) async throws -> HTTPTestResponse {
    try await httpGet(port, target)
  }

  func stop() async {
    await session.stop()
    await running.value
  }
}

/// What the session logged, line by line.
private final class Lines: Sendable {
  private let lines = Mutex([String]())
  var all: [String] { lines.withLock { $0 } }
  func append(_ line: String) { lines.withLock { $0.append(line) } }
}

private let twoCells = """
  # Alpha

  First version of the prose.

  ```python
  RUN(c1)
  print("one")
  ```

  ```python
  RUN(c2)
  print("two")
  ```
  """

@Test func aProseEditReloadsThePageWithoutRunningACell() async throws {
  let preview = try await Preview(["a.md": twoCells])
  let before = try await preview.get("/a.html")
  #expect(before.status == 200)
  #expect(before.body.contains("First version"))
  #expect(before.body.contains(LiveReload.endpoint), "watch pages carry the live-reload script")
  #expect(lines(of: preview.runs) == ["c1", "c2"])

  try await preview.save(
    "a.md", twoCells.replacingOccurrences(of: "First version", with: "Second version"), reloading: "a.html")
  try await preview.reloads.awaitReload(of: "index.html")
  let after = try await preview.get("/a.html")
  #expect(after.body.contains("Second version"))
  #expect(!after.body.contains("First version"))
  #expect(after.body.contains("one") && after.body.contains("two"))
  #expect(lines(of: preview.runs) == ["c1", "c2"], "no cell ran")
  #expect(preview.log.last?.contains("a.md  ran 0 of 2 cells") == true, "\(preview.log)")
  await preview.stop()
}

@Test func aCellEditRerunsFromThatCellAndShowsTheCellsBeforeFromTheCache() async throws {
  let note = """
    # Beta

    ```python
    import os
    RUN(c1)
    print("first-" + os.urandom(6).hex())
    ```

    ```python
    RUN(c2)
    print("second-v1")
    ```

    ```python
    RUN(c3)
    print("third-" + os.urandom(6).hex())
    ```
    """
  let preview = try await Preview(["b.md": note])
  let before = try await preview.get("/b.html").body
  try await preview.save(
    "b.md", note.replacingOccurrences(of: "second-v1", with: "second-v2"), reloading: "b.html")
  let after = try await preview.get("/b.html").body

  func token(_ name: String, in page: String) -> String? {
    page.firstMatch(of: try! Regex("\(name)-[0-9a-f]{12}")).map { String(page[$0.range]) }
  }
  #expect(token("first", in: before) != nil)
  #expect(token("first", in: after) == token("first", in: before), "cell 1 shows its cached result")
  #expect(after.contains("second-v2"))
  #expect(token("third", in: after) != token("third", in: before), "cell 3 ran again")
  // The kernel replayed cell 1 before running cell 2 and 3.
  #expect(lines(of: preview.runs) == ["c1", "c2", "c3", "c1", "c2", "c3"])
  #expect(preview.log.last?.contains("ran 2 of 3 cells (1 from cache)") == true, "\(preview.log)")
  await preview.stop()
}

@Test func anIncludeEditRerendersTheNoteThatIncludesIt() async throws {
  let preview = try await Preview([
    "helper.py": "print('helper v1')\n",
    "a.md": "# Uses\n\n```python\n{{#include helper.py}}\n```\n",
    "b.md": "# Other\n\n```python\nRUN(b)\n```\n",
  ])
  #expect(try await preview.get("/a.html").body.contains("helper v1"))
  let messages = try await preview.save("helper.py", "print('helper v2')\n", reloading: "a.html")
  #expect(!messages.joined().contains("b.html"), "a note that does not include it is left alone")
  let page = try await preview.get("/a.html").body
  #expect(page.contains("helper v2") && !page.contains("helper v1"))
  #expect(lines(of: preview.runs) == ["b"])
  await preview.stop()
}

@Test func aNewNoteInANewFolderAppearsInTheIndex() async throws {
  let preview = try await Preview(["a.md": "# Alpha\n"])
  #expect(!(try await preview.get("/").body.contains("Fresh note")))
  try await preview.save(
    "later/fresh.md", "# Fresh note\n\n```python\nprint(6 * 7)\n```\n", reloading: "later/fresh.html")
  let index = try await preview.get("/").body
  #expect(index.contains("Fresh note"))
  #expect(index.contains("href=\"later/fresh.html\""))
  let page = try await preview.get("/later/fresh.html")
  #expect(page.status == 200 && page.body.contains("42"))
  await preview.stop()
}

@Test func aNoteThatTakesAnothersPageNameMovesItAndGivesItBackWhenRemoved() async throws {
  let preview = try await Preview(["x.md": "# Lower\n\nlower text\n"])
  #expect(try await preview.get("/x.html").body.contains("lower text"))
  // `x.MD` sorts before `x.md`: it takes `x.html`, and `x.md`'s page moves to `x-2.html`.
  try await preview.save("x.MD", "# Upper\n\nupper text\n", reloading: "x-2.html")
  try await preview.reloads.awaitReload(of: "index.html")
  #expect(try await preview.get("/x.html").body.contains("upper text"))
  #expect(try await preview.get("/x-2.html").body.contains("lower text"))
  let index = try await preview.get("/").body
  #expect(index.contains("href=\"x.html\">Upper</a>") && index.contains("href=\"x-2.html\">Lower</a>"))

  try FileManager.default.removeItem(at: preview.folder.file("notes/x.MD"))
  try await preview.reloads.awaitReload(of: "x.html")
  #expect(try await preview.get("/x.html").body.contains("lower text"))
  #expect(try await preview.get("/x-2.html").status == 404, "the moved page's old file is gone")
  await preview.stop()
}

@Test func aHomeNoteIsServedAtTheRootAndTheListReloadsWhereItIs() async throws {
  let preview = try await Preview(["index.md": "# Home\n\nwelcome text\n", "a.md": "# Alpha\n"])
  #expect(try await preview.get("/").body.contains("welcome text"))
  try await preview.save("b.md", "# Beta\n", reloading: "b.html")
  try await preview.reloads.awaitReload(of: "notes-index.html")
  let list = try await preview.get("/notes-index.html").body
  #expect(list.contains("href=\"b.html\">Beta</a>") && list.contains("href=\"index.html\">Home</a>"))
  #expect(try await preview.get("/").body.contains("welcome text"), "the home page stays the note")
  await preview.stop()
}

@Test func aBrokenNoteShowsItsErrorWithFileAndLineAndTheFixRestoresIt() async throws {
  let good = "# Gamma\n\nText.\n\n```python\nprint('all good')\n```\n"
  let preview = try await Preview(["c.md": good])
  try await preview.save(
    "c.md", good.replacingOccurrences(of: "print('all good')", with: "{{#include bogus.py}}"),
    reloading: "c.html")
  let broken = try await preview.get("/c.html")
  #expect(broken.status == 200)
  #expect(broken.body.contains("notes/c.md:6"), "the error names the include's line")
  #expect(broken.body.contains("included file `bogus.py` not found"))
  #expect(!broken.body.contains("all good"), "not the stale page")
  #expect(broken.body.contains(LiveReload.endpoint), "the error page still reloads")
  #expect(preview.log.last?.hasPrefix("✗ ") == true)

  try await preview.save("c.md", good, reloading: "c.html")
  let fixed = try await preview.get("/c.html").body
  #expect(fixed.contains("all good") && !fixed.contains("bogus.py"))
  await preview.stop()
}

@Test func aNoteWaitingForAMissingIncludeRendersWhenTheFileAppears() async throws {
  let preview = try await Preview(["d.md": "# Delta\n\n```python\n{{#include later.py}}\n```\n"])
  #expect(try await preview.get("/d.html").body.contains("later.py"))
  try await preview.save("later.py", "print('arrived')\n", reloading: "d.html")
  #expect(try await preview.get("/d.html").body.contains("arrived"))
  await preview.stop()
}

@Test func aRemovedNoteLeavesTheIndexAndItsPageGoes() async throws {
  let preview = try await Preview(["a.md": "# Alpha\n", "gone.md": "# Going away\n"])
  #expect(try await preview.get("/gone.html").status == 200)
  try FileManager.default.removeItem(at: preview.folder.file("notes/gone.md"))
  try await preview.reloads.awaitReload(of: "gone.html")
  #expect(try await preview.get("/gone.html").status == 404)
  #expect(!(try await preview.get("/").body.contains("Going away")))
  await preview.stop()
}

@Test func reloadsNamePagesAsBrowsersDo() async throws {
  let preview = try await Preview(["my note.md": "# Spaced\n\nv1\n"])
  #expect(try await preview.get("/my%20note.html").body.contains("v1"))
  try await preview.save("my note.md", "# Spaced\n\nv2\n", reloading: "my note.html")
  #expect(try await preview.get("/my%20note.html").body.contains("v2"))
  await preview.stop()
}

@Test func thePreviewServesNothingOutsideItsOutput() async throws {
  let preview = try await Preview(["a.md": "# Alpha\n\nsecret-prose\n"])
  for target in ["/../notes/a.md", "/%2e%2e/notes/a.md", "/..%2fnotes%2fa.md", "/../runs.log", "/a.md"] {
    let response = try await preview.get(target)
    #expect(response.status == 404, "\(target)")
    #expect(!response.body.contains("secret-prose"), "\(target)")
  }
  #expect(try await preview.get("/a.html").status == 200)
  await preview.stop()
}

@Test func stoppingEndsTheRunLoopAndTheServer() async throws {
  let preview = try await Preview(["a.md": "# Alpha\n"])
  await preview.stop()
  // Live-reload clients get a close frame, or at least their connection closes.
  let reloads = preview.reloads
  do {
    #expect(try await onOwnThread { try reloads.receive(seconds: 10) } == nil)
  } catch {
    #expect(!(error is WatchTestTimeout))
  }
  await #expect(throws: (any Error).self) { try await preview.get("/") }
}
