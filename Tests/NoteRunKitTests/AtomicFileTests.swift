import Foundation
import Testing

@testable import NoteRunKit

@Suite struct AtomicFileTests {
  private func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  private func entries(_ url: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
  }

  @Test func writesReplacesAndLeavesNoTemporaryFile() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("deep/page.html")
    try AtomicFile.write("first", to: file)
    try AtomicFile.write("second ü", to: file)
    #expect(try String(contentsOf: file, encoding: .utf8) == "second ü")
    #expect(try entries(dir.appendingPathComponent("deep")) == ["page.html"])
    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
    #expect(mode.map { $0 & 0o044 } == 0o044, "readable by a web server")
  }

  @Test func aDirectoryInTheWayIsKeptAndReported() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("page.html")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    try "old".write(to: target.appendingPathComponent("inside"), atomically: false, encoding: .utf8)
    #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("new", to: target) }
    #expect(try entries(dir) == ["page.html"])
    #expect(try String(contentsOf: target.appendingPathComponent("inside"), encoding: .utf8) == "old")
  }

  @Test func aFileWhereTheFolderShouldBeFails() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let blocker = dir.appendingPathComponent("output")
    try "old".write(to: blocker, atomically: false, encoding: .utf8)
    #expect(throws: (any Error).self) {
      try AtomicFile.write("new", to: blocker.appendingPathComponent("a.html"))
    }
    #expect(try String(contentsOf: blocker, encoding: .utf8) == "old")
    #expect(try entries(dir) == ["output"])
  }

  @Test(.enabled(if: geteuid() != 0, "root writes into read-only folders"))
  func aReadOnlyFolderKeepsTheOldFile() throws {
    let dir = try folder()
    defer {
      chmod(dir.path, 0o755)
      try? FileManager.default.removeItem(at: dir)
    }
    let file = dir.appendingPathComponent("page.html")
    try AtomicFile.write("old", to: file)
    chmod(dir.path, 0o555)
    #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("new", to: file) }
    #expect(try String(contentsOf: file, encoding: .utf8) == "old")
    #expect(try entries(dir) == ["page.html"])
  }

  @Test func concurrentWritersNeverLeaveAPartialFile() async throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("page.html")
    let versions = (0..<16).map {
      String(repeating: Character(UnicodeScalar(UInt8(65 + $0))), count: 200_000)
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for version in versions { group.addTask { try AtomicFile.write(version, to: file) } }
      try await group.waitForAll()
    }
    #expect(versions.contains(try String(contentsOf: file, encoding: .utf8)))
    #expect(try entries(dir) == ["page.html"])
  }
}
