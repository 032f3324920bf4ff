import Foundation
import Testing

@testable import NoteRunKit

/// The files NoteRunKit reads at run time are compiled into it; these tests hold the
/// embedded copies against the source tree and the kernel's on-disk copy against both.
@Suite struct EmbeddedFilesTests {
  static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/NoteRunKit")

  /// The regular files under `folder` of Sources/NoteRunKit, as the build plugin picks them.
  static func filesOnDisk(_ folder: String) throws -> [String: String] {
    let root = sources.appendingPathComponent(folder)
    var files: [String: String] = [:]
    for name in try FileManager.default.subpathsOfDirectory(atPath: root.path) {
      if name.split(separator: "/").contains(where: { $0.hasPrefix(".") || $0 == "__pycache__" }) { continue }
      var isFolder: ObjCBool = false
      let path = root.appendingPathComponent(name).path
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
        continue
      }
      files[name] = try String(contentsOfFile: path, encoding: .utf8)
    }
    return files
  }

  @Test(arguments: ["Kernel/python", "Render/Theme"])
  func everyFileOfTheFolderIsEmbeddedAsItIsInTheSourceTree(folder: String) throws {
    let embedded = Dictionary(
      uniqueKeysWithValues: EmbeddedFiles.files(in: folder).map { ($0.name, $0.text) })
    let onDisk = try Self.filesOnDisk(folder)
    #expect(onDisk.count > 1)
    #expect(embedded.keys.sorted() == onDisk.keys.sorted())
    for (name, text) in onDisk { #expect(embedded[name] == text, "\(folder)/\(name)") }
  }

  @Test func theLiveReloadScriptIsEmbedded() throws {
    let onDisk = try String(
      contentsOf: Self.sources.appendingPathComponent("Watch/livereload.js"), encoding: .utf8)
    #expect(LiveReload.script == onDisk)
  }

  @Test func theKernelFilesAreWrittenOnceIntoAFolderNamedByTheirDigest() throws {
    let folder = try KernelFiles.folder.get()
    #expect(folder.lastPathComponent == "kernel-\(KernelFiles.digest)")
    let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(written == KernelFiles.files.map(\.name).sorted())
    for file in KernelFiles.files {
      #expect(try String(contentsOf: folder.appendingPathComponent(file.name), encoding: .utf8) == file.text)
    }
    #expect(try KernelFiles.script() == folder.appendingPathComponent("_noterun_kernel.py").path)
  }
}
