import Foundation
import Testing

@testable import NoteRunKit

@Suite struct InterpreterMemoTests {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-memo-\(UUID())")

  var memo: InterpreterMemo { InterpreterMemo(environment: ["XDG_CACHE_HOME": folder.path])! }

  /// The real binary of the python3 on PATH, as a probe reports it.
  func realPython() throws -> Interpreter {
    try Interpreter.resolve(
      requested: nil, frontMatter: nil, environment: ProcessInfo.processInfo.environment)
  }

  @Test func anInterpreterIsRememberedUntilItsFileChanges() throws {
    let python = try realPython()
    // A copy of the binary stands in for an interpreter that gets upgraded in place.
    let copy = folder.appendingPathComponent("bin/python3")
    try FileManager.default.createDirectory(
      at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
    // Copy the binary, not a symbolic link to it (pyenv's python3 is a relative one).
    let binary = URL(fileURLWithPath: python.executable).resolvingSymlinksInPath().path
    try FileManager.default.copyItem(atPath: binary, toPath: copy.path)
    let copied = Interpreter(executable: copy.path, version: python.version)
    #expect(memo.interpreter(for: copy.path) == nil)
    memo.remember(copied, for: copy.path)
    #expect(memo.interpreter(for: copy.path) == copied)

    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: copy.path)
    #expect(memo.interpreter(for: copy.path) == nil)
  }

  @Test func aWrapperScriptIsNeverRemembered() throws {
    let python = try realPython()
    let shim = folder.appendingPathComponent("shim/python3")
    try FileManager.default.createDirectory(
      at: shim.deletingLastPathComponent(), withIntermediateDirectories: true)
    try "#!/bin/sh\nexec \(python.executable) \"$@\"\n".write(to: shim, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shim.path)
    memo.remember(python, for: shim.path)
    #expect(memo.interpreter(for: shim.path) == nil)
  }

  @Test func resolvingWritesTheMemoAndAGarbledMemoIsOnlyAMiss() throws {
    let python = try realPython()
    var environment = ProcessInfo.processInfo.environment
    environment["XDG_CACHE_HOME"] = folder.path
    // A path this process has not probed yet (the memo of this process is per path).
    let link = folder.appendingPathComponent("link/python3")
    try FileManager.default.createDirectory(
      at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: python.executable)
    try FileManager.default.createDirectory(
      at: memo.file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try "garbage\t\n\t\t\t\t\t\n".write(to: memo.file, atomically: true, encoding: .utf8)
    let resolved = try Interpreter.resolve(requested: link.path, frontMatter: nil, environment: environment)
    #expect(resolved.version == python.version)
    #expect(memo.interpreter(for: link.path) == resolved)
  }
}
