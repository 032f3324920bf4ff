import Foundation
import PackagePlugin

/// Compiles the files a target reads at run time (templates, style sheets, scripts, the
/// Python kernel) into the target itself, so a copied binary needs no resource bundle
/// beside it. Every regular file under the target's `embedded` folders is embedded, named
/// by its path inside the target; a file added to one of them needs no change here.
@main
struct EmbedFiles: BuildToolPlugin {
  /// Folders (or single files) of the target, relative to its directory.
  static let embedded = ["Kernel/python", "Render/Theme", "Watch/livereload.js"]

  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let root = target.directoryURL
    let inputs = Self.embedded.flatMap { Self.files(under: root.appending(path: $0).path) }
      .map { URL(fileURLWithPath: $0) }
    let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles+Contents.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(inputs.count) files in \(target.name)",
        executable: try context.tool(named: "embed-files").url,
        arguments: [output.path, root.path] + inputs.map(\.path),
        inputFiles: inputs,
        outputFiles: [output]
      )
    ]
  }

  /// The regular files at or under `path`, in path order, without hidden files and Python's
  /// byte-code caches.
  static func files(under path: String) -> [String] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
    guard isFolder.boolValue else { return [path] }
    let names = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
    return names.sorted().compactMap { name in
      let parts = name.split(separator: "/")
      if parts.contains(where: { $0.hasPrefix(".") || $0 == "__pycache__" }) { return nil }
      let full = path + "/" + name
      var folder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: full, isDirectory: &folder), !folder.boolValue else {
        return nil
      }
      return full
    }
  }
}
