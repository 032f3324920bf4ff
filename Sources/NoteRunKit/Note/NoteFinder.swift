import Foundation

/// A note file to parse, with the root its includes and output paths are relative to.
public struct NoteFile: Sendable, Hashable {
  public var url: URL
  /// The folder given on the command line, or the note's folder when a file was given.
  public var root: URL
  /// Relative to the current directory when the note lies under it, else absolute.
  public var displayPath: String

  public init(url: URL, root: URL, displayPath: String) {
    self.url = url
    self.root = root
    self.displayPath = displayPath
  }
}

/// Finds the notes named on the command line.
public enum NoteFinder {
  public struct PathError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path): no such file or folder" }
  }

  /// Files are taken as given, whatever their extension; folders are searched recursively
  /// for `*.md`, in name order, skipping hidden files and folders and not following
  /// symbolic links to folders (they could loop or leave the root), and skipping the
  /// folder's own `SUMMARY.md` (the reading order, as in mdBook; not a note). A note named
  /// twice is listed once.
  public static func notes(
    in paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath
  ) throws(PathError) -> [NoteFile] {
    let base = URL(fileURLWithPath: currentDirectory, isDirectory: true).standardizedFileURL
    var found: [NoteFile] = []
    // By bytes, as the file system tells files apart: Swift's string equality would take
    // `café.md` written composed and decomposed (two files here) for one note.
    var seen = Set<[UInt8]>()
    for path in paths {
      let url = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw PathError(path: path)
      }
      let (root, files) =
        isDirectory.boolValue
        ? (url, markdownFiles(in: url).filter { $0.path != url.appendingPathComponent("SUMMARY.md").path })
        : (url.deletingLastPathComponent(), [url])
      for file in files where seen.insert(Array(file.path.utf8)).inserted {
        found.append(NoteFile(url: file, root: root, displayPath: displayPath(file, base: base)))
      }
    }
    return found
  }

  /// The folders notes are found from: a folder given, or the folder of a file given. Pages
  /// mirror the tree below them (`OutputLayout`).
  public static func roots(
    of paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath
  ) -> [URL] {
    let base = URL(fileURLWithPath: currentDirectory, isDirectory: true).standardizedFileURL
    return paths.map { path in
      let url = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
      return isFolder(url) ? url : url.deletingLastPathComponent()
    }
  }

  private static func markdownFiles(in folder: URL) -> [URL] {
    let keys: [URLResourceKey] = [.isDirectoryKey, .isSymbolicLinkKey]
    guard
      let entries = try? FileManager.default.contentsOfDirectory(
        at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
    else { return [] }
    var files: [URL] = []
    for entry in entries.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
      let values = try? entry.resourceValues(forKeys: Set(keys))
      if values?.isDirectory == true && values?.isSymbolicLink != true {
        files += markdownFiles(in: entry)
      } else if entry.pathExtension.lowercased() == "md", !isFolder(entry) {
        files.append(entry.standardizedFileURL)
      }
    }
    return files
  }

  private static func isFolder(_ url: URL) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  private static func displayPath(_ url: URL, base: URL) -> String {
    let prefix = base.path.hasSuffix("/") ? base.path : base.path + "/"
    return url.path.hasPrefix(prefix) ? String(url.path.dropFirst(prefix.count)) : url.path
  }
}
