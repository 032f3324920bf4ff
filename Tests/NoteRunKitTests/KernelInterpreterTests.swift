import Foundation
import Testing

@testable import NoteRunKit

/// A folder holding an executable `name` that answers noterun's probe like a Python of
/// `version` would, and otherwise runs `otherwise` (shell).
func fakePython(_ name: String = "python3", version: String, otherwise: String = "exit 1") throws -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-python-\(UUID())")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let path = folder.appendingPathComponent(name).path
  let script =
    "#!/bin/sh\nif [ \"$1 $2\" = '-S -c' ]; then echo \"$0\"; echo \(version); exit 0; fi\n\(otherwise)\n"
  try script.write(toFile: path, atomically: true, encoding: .utf8)
  try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
  return folder.path
}

@Test func aMissingInterpreterIsOneClearError() {
  #expect(throws: KernelError("noterun: python3 not found (looked in PATH; set --python or NOTERUN_PYTHON)"))
  {
    try Interpreter.resolve(requested: nil, frontMatter: nil, environment: ["PATH": "/nonexistent"])
  }
  #expect(throws: KernelError("noterun: /nonexistent/python not found (set --python or NOTERUN_PYTHON)")) {
    try Interpreter.resolve(requested: "/nonexistent/python", frontMatter: nil, environment: [:])
  }
}

@Test func pythonOlderThan310IsRefused() throws {
  let folder = try fakePython(version: "3.9.18")
  #expect(
    throws: KernelError(
      "noterun: \(folder)/python3 is Python 3.9.18; noterun needs 3.10 or newer (set --python or NOTERUN_PYTHON)"
    )
  ) {
    try Interpreter.resolve(requested: nil, frontMatter: nil, environment: ["PATH": folder])
  }
}

@Test func interpreterChoiceGoesOptionThenEnvironmentThenFrontMatterThenPath() throws {
  let option = try fakePython("py-option", version: "3.10.1")
  let variable = try fakePython("py-variable", version: "3.11.1")
  let frontMatter = try fakePython("py-front", version: "3.12.1")
  let path = try fakePython(version: "3.13.1")
  let environment = ["PATH": path, "NOTERUN_PYTHON": "\(variable)/py-variable"]
  func version(_ requested: String?, _ front: String?, _ environment: [String: String]) throws -> String {
    try Interpreter.resolve(requested: requested, frontMatter: front, environment: environment).version
  }
  #expect(try version("\(option)/py-option", "\(frontMatter)/py-front", environment) == "3.10.1")
  #expect(try version(nil, "\(frontMatter)/py-front", environment) == "3.11.1")
  #expect(try version(nil, "\(frontMatter)/py-front", ["PATH": path]) == "3.12.1")
  #expect(try version(nil, nil, ["PATH": path]) == "3.13.1")
}

@Test func theRealBinaryIsSpawnedNotAShim() throws {
  let interpreter = try Interpreter.resolve(
    requested: nil, frontMatter: nil, environment: ProcessInfo.processInfo.environment)
  #expect(!interpreter.executable.contains("/shims/"))
  #expect(FileManager.default.isExecutableFile(atPath: interpreter.executable))
  let again = try Interpreter.resolve(
    requested: interpreter.executable, frontMatter: nil, environment: ProcessInfo.processInfo.environment)
  #expect(again == interpreter)
}
