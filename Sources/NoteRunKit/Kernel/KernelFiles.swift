import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The kernel's Python files (every file of Kernel/python, embedded in the binary) on disk,
/// where `python3` can run and import them. They are written once per content into a
/// private folder named by their digest, `~/.cache/noterun/kernel-<digest>` (or under
/// `$XDG_CACHE_HOME`, else the temporary folder), so later runs start without writing and
/// two noterun versions never share a folder. The folder is filled under a temporary name
/// and renamed into place: concurrent runs see it whole or not at all.
enum KernelFiles {
  static let files = EmbeddedFiles.files(in: "Kernel/python")

  /// Names and contents, hashed: names the folder, and keys the cell cache so results kept
  /// by another kernel (which may trace or report differently) are not used.
  static let digest: String = CellKey(text: files.map { "\($0.name)\n\($0.text)\n" }.joined()).digest

  /// The folder holding the files, written on first use.
  static let folder: Result<URL, KernelError> = {
    do throws(KernelError) {
      return .success(try install())
    } catch {
      return .failure(error)
    }
  }()

  /// The path of the kernel's main script.
  static func script() throws(KernelError) -> String {
    try folder.get().appendingPathComponent("_noterun_kernel.py").path
  }

  private static func install() throws(KernelError) -> URL {
    let base = try privateFolder()
    let target = base.appendingPathComponent("kernel-\(digest)")
    if isComplete(target) { return target }
    let staging = base.appendingPathComponent(".kernel-\(digest).\(UInt32.random(in: 0...UInt32.max)).tmp")
    defer { try? FileManager.default.removeItem(at: staging) }
    do {
      for file in files {
        let url = staging.appendingPathComponent(file.name)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(file.text.utf8).write(to: url)
      }
    } catch {
      throw KernelError("cannot write the kernel's files in \(base.path): \(error.localizedDescription)")
    }
    // Another run may have renamed its copy into place first; the contents are the same.
    if rename(staging.path, target.path) != 0 && !isComplete(target) {
      throw KernelError(
        "cannot write the kernel's files in \(target.path): \(String(cString: strerror(errno)))")
    }
    return target
  }

  private static func isComplete(_ folder: URL) -> Bool {
    files.allSatisfy { file in
      let path = folder.appendingPathComponent(file.name).path
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int
      return size == file.text.utf8.count
    }
  }

  /// `<cache>/noterun`, created with mode 0700; refused unless it is a folder of this user,
  /// since its Python files run as them.
  private static func privateFolder() throws(KernelError) -> URL {
    let environment = ProcessInfo.processInfo.environment
    let cache: URL
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
      cache = URL(fileURLWithPath: xdg)
    } else if let home = environment["HOME"], home.hasPrefix("/") {
      cache = URL(fileURLWithPath: home).appendingPathComponent(".cache")
    } else {
      cache = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-\(getuid())")
    }
    let folder = cache.appendingPathComponent("noterun")
    try? FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    var info = stat()
    guard lstat(folder.path, &info) == 0 else {
      throw KernelError(
        "cannot create \(folder.path) for the kernel's files: \(String(cString: strerror(errno)))")
    }
    guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid() else {
      throw KernelError("\(folder.path) is not a folder of this user; the kernel's files cannot go there")
    }
    return folder
  }
}
