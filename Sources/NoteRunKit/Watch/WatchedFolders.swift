import Foundation
import Glibc

/// The folders a `FileWatcher` has inotify watch, and why. A folder of a watched tree reports
/// every entry; a folder that only holds individually watched files reports just those. Files
/// are always watched through their folder, never by inode: editors that save by writing a
/// new file and renaming it over the old one would otherwise leave a watch on a dead inode.
struct WatchedFolders {
  struct Folder {
    var path: String
    var isTree: Bool
    var files: Set<String>
    /// Names of watched trees (roots) right inside this folder: watched here so that a root
    /// deleted and made again (`rm -rf Notes; git checkout Notes`) is watched again.
    var roots: Set<String> = []
  }

  static let mask = UInt32(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)

  let inotify: Int32
  /// Folders (absolute, standardized) that are never watched nor reported, e.g. the output.
  let ignored: [String]
  private(set) var folders: [Int32: Folder] = [:]

  init(inotify: Int32, ignored: [String]) {
    self.inotify = inotify
    self.ignored = ignored
  }

  func isIgnored(_ path: String) -> Bool {
    ignored.contains { path == $0 || path.hasPrefix($0 + "/") }
  }

  /// Watches `path` and every folder below it, except hidden ones (`.git`, caches) and ignored
  /// ones. Returns the files found, which are news when the folder has just appeared.
  /// Throws when inotify refuses a watch for another reason than the folder vanishing.
  @discardableResult
  mutating func addTree(_ path: String) throws -> [String] {
    guard !isIgnored(path) else { return [] }
    let watch = inotify_add_watch(inotify, path, Self.mask)
    guard watch >= 0 else {
      if errno == ENOENT || errno == ENOTDIR { return [] }
      throw FileWatcher.Error(path: path, message: String(cString: strerror(errno)))
    }
    folders[watch, default: Folder(path: path, isTree: true, files: [])].isTree = true
    var found: [String] = []
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    for name in names.sorted() where !EditorTemporaryFile.matches(name) {
      let child = path + "/" + name
      let type = (try? FileManager.default.attributesOfItem(atPath: child))?[.type] as? FileAttributeType
      if type == .typeDirectory {
        if !name.hasPrefix(".") { found += try addTree(child) }
      } else if !isIgnored(child) {
        found.append(child)
      }
    }
    return found
  }

  /// Watches the tree at `path` and, through its parent, the tree itself coming and going.
  mutating func addRoot(_ path: String) throws {
    let parent = (path as NSString).deletingLastPathComponent
    let watch = inotify_add_watch(inotify, parent, Self.mask)
    if watch >= 0 {
      folders[watch, default: Folder(path: parent, isTree: false, files: [])].roots.insert(
        (path as NSString).lastPathComponent)
    }
    try addTree(path)
  }

  /// Watches one file through its folder. A file whose folder does not exist is skipped: there
  /// is nothing to watch until the folder appears, and the note that names it reports it missing.
  mutating func addFile(_ path: String) {
    let folder = (path as NSString).deletingLastPathComponent
    let watch = inotify_add_watch(inotify, folder, Self.mask)
    guard watch >= 0 else { return }
    folders[watch, default: Folder(path: folder, isTree: false, files: [])].files.insert(
      (path as NSString).lastPathComponent)
  }

  /// The paths these events say changed, following folders that appear, vanish or move.
  mutating func changes(for events: [InotifyEvent]) -> Set<String> {
    var changed = Set<String>()
    for event in events {
      if event.has(IN_Q_OVERFLOW) {
        changed.formUnion(everythingWatched())
        continue
      }
      guard let folder = folders[event.watch] else { continue }
      if event.has(IN_IGNORED) {
        folders[event.watch] = nil
        continue
      }
      guard !event.name.isEmpty, !EditorTemporaryFile.matches(event.name) else { continue }
      let path = folder.path + "/" + event.name
      guard !isIgnored(path) else { continue }
      if event.has(IN_ISDIR) {
        guard folder.isTree && !event.name.hasPrefix(".") || folder.roots.contains(event.name) else {
          continue
        }
        if event.has(IN_CREATE) || event.has(IN_MOVED_TO) {
          changed.formUnion((try? addTree(path)) ?? [])
          if folder.roots.contains(event.name) { changed.insert(path) }
        } else {
          removeTree(path)
          changed.insert(path)
        }
      } else if folder.isTree || folder.files.contains(event.name) {
        changed.insert(path)
      }
    }
    return changed
  }

  /// Forgets a folder that moved away or was deleted, with everything below it. A folder that
  /// moved keeps its watch in the kernel, under a path we no longer know.
  private mutating func removeTree(_ path: String) {
    for (watch, folder) in folders where folder.path == path || folder.path.hasPrefix(path + "/") {
      inotify_rm_watch(inotify, watch)
      folders[watch] = nil
    }
  }

  /// After the kernel's queue overflowed, events were lost: every watched tree and file may
  /// have changed.
  private func everythingWatched() -> [String] {
    folders.values.flatMap { folder in
      folder.isTree ? [folder.path] : folder.files.map { folder.path + "/" + $0 }
    }
  }
}
