import Foundation
import Testing

@testable import NoteRunKit

/// `render` and `check` share one cell cache; `--no-cache` neither reads nor writes it.
@Test func renderAndCheckShareTheCellCacheAndNoCacheRunsEverything() async throws {
  let folder = try ScratchFolder("cache-command")
  let runs = folder.file("runs.log")
  try folder.write(
    "notes/n.md", "# N\n\n```python\n\(appendLine("c1", to: runs))\nprint('hi')\n```\n\n```output\nhi\n```\n")
  let binary = try noterunBinary()
  func noterun(_ arguments: [String]) async throws -> Termination? {
    let process = try ChildProcess(binary, arguments, logs: folder.url)
    return await process.wait(seconds: 120)
  }
  let notes = folder.file("notes").path
  let cache = folder.file("cache").path

  #expect(
    try await noterun(["render", notes, "-o", folder.file("out").path, "--cache-dir", cache]) == .exited(0))
  #expect(lines(of: runs) == ["c1"])
  #expect(try await noterun(["check", notes, "--cache-dir", cache]) == .exited(0))
  #expect(lines(of: runs) == ["c1"], "check used what render ran")

  #expect(try await noterun(["render", notes, "-o", folder.file("out").path, "--no-cache"]) == .exited(0))
  #expect(
    try await noterun(["check", notes, "--no-cache", "--cache-dir", folder.file("unused").path]) == .exited(0)
  )
  #expect(lines(of: runs) == ["c1", "c1", "c1"])
  #expect(!FileManager.default.fileExists(atPath: folder.file("unused").path))
  #expect(folder.temporaryFiles().isEmpty)
}
