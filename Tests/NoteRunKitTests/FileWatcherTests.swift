import Foundation
import Glibc
import Synchronization
import Testing

@testable import NoteRunKit

@Test func watcherReportsAWrite() async throws {
  let notes = try TemporaryNotes()
  try notes.write("intro.md")
  let watcher = try FileWatcher(folders: [notes.folder])
  defer { watcher.stop() }
  let batches = Batches(watcher)

  try notes.write("intro.md", "# Changed\n")
  #expect(await batches.waitFor { $0.contains(notes.path("intro.md")) })
}

@Test func watcherFollowsAFileReplacedByRename() async throws {
  let notes = try TemporaryNotes()
  try notes.write("intro.md")
  // Long enough for each save to be one batch, so `seen` below separates the two saves.
  let watcher = try FileWatcher(folders: [notes.folder], debounce: .milliseconds(300))
  defer { watcher.stop() }
  let batches = Batches(watcher)

  // JetBrains' "safe write": new text beside the file, old file aside, new one in its place.
  try notes.write("intro.md___jb_tmp___", "# First\n")
  try notes.rename("intro.md", to: "intro.md___jb_old___")
  try notes.rename("intro.md___jb_tmp___", to: "intro.md")
  try FileManager.default.removeItem(atPath: notes.path("intro.md___jb_old___"))
  #expect(await batches.waitFor { $0.contains(notes.path("intro.md")) })

  // The next save replaces the new inode: the watch is on the folder, so it is seen too.
  let seen = batches.count
  try notes.write("intro.md.tmp", "# Second\n")
  try notes.rename("intro.md.tmp", to: "intro.md")
  #expect(await batches.waitFor(after: seen) { $0.contains(notes.path("intro.md")) })
  #expect(!batches.all.joined().contains { $0.contains("___jb_") })
}

@Test func watcherReportsNewNotesInNewFoldersAndDeletions() async throws {
  let notes = try TemporaryNotes()
  try notes.write("old.md")
  let watcher = try FileWatcher(folders: [notes.folder], debounce: .milliseconds(300))
  defer { watcher.stop() }
  let batches = Batches(watcher)

  try notes.write("new.md")
  #expect(await batches.waitFor { $0.contains(notes.path("new.md")) })

  try FileManager.default.createDirectory(atPath: notes.path("part2"), withIntermediateDirectories: false)
  try notes.write("part2/first.md")
  #expect(await batches.waitFor { $0.contains(notes.path("part2/first.md")) })
  let seen = batches.count
  try notes.write("part2/second.md")
  #expect(await batches.waitFor(after: seen) { $0.contains(notes.path("part2/second.md")) })

  try FileManager.default.removeItem(atPath: notes.path("old.md"))
  #expect(await batches.waitFor { $0.contains(notes.path("old.md")) })
}

@Test func watcherReportsAnIncludedFileButNotItsNeighbours() async throws {
  let notes = try TemporaryNotes()
  try FileManager.default.createDirectory(atPath: notes.path("code"), withIntermediateDirectories: false)
  try notes.write("code/count.py", "print(1)\n")
  try notes.write("code/other.py", "print(2)\n")
  let notesFolder = notes.path("notes")
  try FileManager.default.createDirectory(atPath: notesFolder, withIntermediateDirectories: false)
  let watcher = try FileWatcher(
    folders: [notesFolder], files: [notes.path("code/count.py")], debounce: .milliseconds(300))
  defer { watcher.stop() }
  let batches = Batches(watcher)

  try notes.write("code/other.py", "print(3)\n")
  try notes.write("code/count.py", "print(4)\n")
  #expect(await batches.waitFor { $0.contains(notes.path("code/count.py")) })

  let seen = batches.count
  try notes.write("code/count.py.new", "print(5)\n")
  try notes.rename("code/count.py.new", to: "code/count.py")
  #expect(await batches.waitFor(after: seen) { $0.contains(notes.path("code/count.py")) })
  #expect(batches.all.joined().allSatisfy { $0 == notes.path("code/count.py") })
}

@Test func watcherWatchesFilesAddedLater() async throws {
  let notes = try TemporaryNotes()
  try FileManager.default.createDirectory(atPath: notes.path("code"), withIntermediateDirectories: false)
  try FileManager.default.createDirectory(atPath: notes.path("notes"), withIntermediateDirectories: false)
  let watcher = try FileWatcher(folders: [notes.path("notes")])
  let batches = Batches(watcher)

  watcher.watch(files: [notes.path("code/late.py")])
  try notes.write("code/late.py", "print(1)\n")
  #expect(await batches.waitFor { $0 == [notes.path("code/late.py")] })
  watcher.stop()
  watcher.watch(files: [notes.path("code/after-stop.py")])
}

@Test func watcherCoalescesABurstIntoOneBatch() async throws {
  let notes = try TemporaryNotes()
  let names = ["a.md", "b.md", "c.md", "d.md"]
  for name in names { try notes.write(name) }
  // A debounce far longer than the burst, so that a busy machine cannot split it.
  let watcher = try FileWatcher(folders: [notes.folder], debounce: .milliseconds(500))
  defer { watcher.stop() }
  let batches = Batches(watcher)

  for round in 1...3 {
    for name in names { try notes.write(name, "round \(round)\n") }
  }
  let expected = names.map(notes.path)
  #expect(await batches.waitFor { Set(expected).isSubset(of: $0) })
  #expect(batches.all == [expected])
}

@Test func watcherIgnoresOutputHiddenFoldersAndEditorFiles() async throws {
  let notes = try TemporaryNotes()
  for folder in ["output", ".git"] {
    try FileManager.default.createDirectory(atPath: notes.path(folder), withIntermediateDirectories: false)
  }
  let watcher = try FileWatcher(folders: [notes.folder], ignoring: [notes.path("output")])
  defer { watcher.stop() }
  let batches = Batches(watcher)

  let noise = ["output/intro.html", ".git/index", ".intro.md.swp", "intro.md~", ".#intro.md", "4913"]
  for name in noise { try notes.write(name) }
  try FileManager.default.createDirectory(
    atPath: notes.path("output/notes"), withIntermediateDirectories: false)
  try notes.write("output/notes/page.html")
  try notes.write("intro.md")
  #expect(await batches.waitFor { $0.contains(notes.path("intro.md")) })
  #expect(batches.all.joined().allSatisfy { $0 == notes.path("intro.md") })
}

@Test func watcherStopEndsTheStream() async throws {
  let notes = try TemporaryNotes()
  let watcher = try FileWatcher(folders: [notes.folder])
  let ended = Task {
    for await _ in watcher.changes {}
    return true
  }
  watcher.stop()
  watcher.stop()
  #expect(await ended.value)
}

@Test func watcherRefusesAMissingFolder() throws {
  let notes = try TemporaryNotes()
  #expect(throws: FileWatcher.Error.self) {
    try FileWatcher(folders: [notes.path("nowhere")])
  }
}

/// A fresh folder for one test, removed when the test ends.
private final class TemporaryNotes {
  let folder: String

  init() throws {
    folder =
      URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("noterun-watch-\(UUID().uuidString)").standardizedFileURL.path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: folder) }

  func path(_ name: String) -> String { folder + "/" + name }

  func write(_ name: String, _ text: String = "# Note\n") throws {
    try text.write(toFile: path(name), atomically: false, encoding: .utf8)
  }

  func rename(_ name: String, to newName: String) throws {
    guard Glibc.rename(path(name), path(newName)) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
  }
}

/// What a watcher reported so far, collected in the background so that a test can wait (at
/// most ten seconds) for the batch it expects.
private final class Batches: Sendable {
  private let batches = Mutex<[[String]]>([])

  init(_ watcher: FileWatcher) {
    Task { [self] in
      for await batch in watcher.changes { batches.withLock { $0.append(batch) } }
    }
  }

  var all: [[String]] { batches.withLock { $0 } }
  var count: Int { all.count }

  /// Whether a batch after the first `after` satisfies `condition` within ten seconds.
  func waitFor(after: Int = 0, _ condition: ([String]) -> Bool) async -> Bool {
    for _ in 0..<1000 {
      if all.dropFirst(after).contains(where: condition) { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return false
  }
}

/// `rm -rf Notes; git checkout Notes`: the watched folder itself goes and comes back, and
/// is watched again.
@Test func watcherFollowsTheWatchedFolderDeletedAndMadeAgain() async throws {
  let notes = try TemporaryNotes()
  try notes.write("intro.md")
  let watcher = try FileWatcher(folders: [notes.folder], debounce: .milliseconds(300))
  defer { watcher.stop() }
  let batches = Batches(watcher)

  try FileManager.default.removeItem(atPath: notes.folder)
  #expect(await batches.waitFor { $0.contains(notes.folder) })
  try FileManager.default.createDirectory(atPath: notes.folder, withIntermediateDirectories: false)
  try notes.write("intro.md", "# Back\n")
  #expect(await batches.waitFor { $0.contains(notes.path("intro.md")) })
  let seen = batches.count
  try notes.write("intro.md", "# Edited after\n")
  #expect(await batches.waitFor(after: seen) { $0.contains(notes.path("intro.md")) })
}
