import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Refuses an output folder that overlaps the notes, before anything is written: pages
/// written into the notes folder would be found as notes or overwrite them, and `watch`
/// would serve the notes folder itself (with its `.git/`). A notes folder must not be, hold,
/// or lie inside the output folder; a note given as a file must not lie inside it.
/// Paths are compared with symbolic links resolved, so a link cannot hide an overlap.
public enum OutputPlacement {
  public struct Overlap: Error, Sendable, Hashable, CustomStringConvertible {
    public var output: String
    public var notes: String
    public var relation: String

    public var description: String {
      "the output folder \(output) \(relation) the notes \(notes): choose an output folder outside them (-o)"
    }
  }

  /// `notePaths` as given on the command line, relative to `currentDirectory`.
  public static func check(
    output: URL, notePaths: [String],
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) throws(Overlap) {
    let base = URL(fileURLWithPath: currentDirectory, isDirectory: true)
    let out = resolved(output.standardizedFileURL.path)
    for path in notePaths {
      let url = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
      let notes = resolved(url.path)
      let relation: String? =
        if out == notes {
          "is"
        } else if isInside(notes, out) {
          "holds"
        } else if isDirectory.boolValue && isInside(out, notes) {
          "lies inside"
        } else {
          nil
        }
      if let relation { throw Overlap(output: shown(output, from: base), notes: path, relation: relation) }
    }
  }

  /// An output file (`trace -o`) that is one of the notes it would be made from.
  public struct Overwrite: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var option: String

    public var description: String { "\(option) \(file) is a note: choose another file" }
  }

  /// Refuses an output file that is, links to the same file as, one of `notes`.
  public static func checkFile(_ file: URL, option: String, notes: [NoteFile]) throws(Overwrite) {
    let target = resolved(file.standardizedFileURL.path)
    guard notes.contains(where: { resolved($0.url.path) == target }) else { return }
    throw Overwrite(file: file.relativePath, option: option)
  }

  /// A page that a symbolic link below the output folder would send elsewhere (into the
  /// notes, over a source).
  public struct Escape: Error, Sendable, Hashable, CustomStringConvertible {
    public var page: String
    public var target: String

    public var description: String {
      "the page \(page) would be written to \(target), outside the output folder, through a symbolic link:"
        + " remove the link or choose another output folder (-o)"
    }
  }

  /// Refuses, before anything is written, a page of `notes` whose folder leads out of the
  /// output folder once symbolic links are resolved. A page's own name is no danger: it is
  /// written by rename, which replaces a link rather than following it.
  public static func checkPages(of notes: [NoteFile], in layout: OutputLayout) throws(Escape) {
    for note in notes { try requireInside(layout.page(forNoteAt: note.url, root: note.root), layout.output) }
  }

  /// Throws when the folder of `page` resolves to a place outside `output`.
  static func requireInside(_ page: URL, _ output: URL) throws(Escape) {
    let folder = resolved(page.deletingLastPathComponent().path)
    let out = resolved(output.standardizedFileURL.path)
    guard folder == out || isInside(folder, out) else {
      throw Escape(
        page: page.path,
        target: URL(fileURLWithPath: folder).appendingPathComponent(page.lastPathComponent).path)
    }
  }

  /// The output folder as the user would write it: relative to the current directory when
  /// it lies below it.
  private static func shown(_ output: URL, from base: URL) -> String {
    let path = output.standardizedFileURL.path
    let folder = base.standardizedFileURL.path
    if path == folder { return "." }
    return path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
  }

  private static func isInside(_ path: String, _ folder: String) -> Bool {
    path.hasPrefix(folder == "/" ? "/" : folder + "/")
  }

  /// The path with every symbolic link resolved; the part that does not exist yet (an output
  /// folder still to be made) is appended as written.
  static func resolved(_ path: String) -> String {
    var existing = URL(fileURLWithPath: path).standardizedFileURL
    var missing: [String] = []
    while true {
      if let real = realpath(existing.path, nil) {
        defer { free(real) }
        return missing.reversed().reduce(URL(fileURLWithPath: String(cString: real))) {
          $0.appendingPathComponent($1)
        }.path
      }
      guard existing.path != "/" else { return path }
      missing.append(existing.lastPathComponent)
      existing.deleteLastPathComponent()
    }
  }
}
