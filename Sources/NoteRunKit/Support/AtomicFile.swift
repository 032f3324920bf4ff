import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file so that readers see either the old content or the new, never a part: the
/// bytes go to a temporary file in the same folder, are flushed to disk, and the temporary
/// file is renamed over the target. A failed write removes its temporary file and leaves
/// the old file untouched.
public enum AtomicFile {
  /// Temporary files being written right now, so an interrupted run can remove them.
  private static let inFlight = Mutex(Set<String>())

  /// Removes the temporary files of writes still under way (on Ctrl-C, before exiting).
  public static func removeTemporaryFiles() {
    inFlight.withLock { paths in
      for path in paths { unlink(path) }
      paths.removeAll()
    }
  }

  public struct WriteError: Error, CustomStringConvertible {
    public var path: String
    /// What failed: "open", "create", "keep the owner", "keep the mode", "write", "sync",
    /// "rename".
    public var operation: String
    public var code: Int32

    public var description: String {
      "cannot write \(path): \(operation) failed: \(String(cString: strerror(code)))"
    }
  }

  /// Writes `text` as UTF-8.
  public static func write(_ text: String, to url: URL, durable: Bool = true) throws {
    try write(Data(text.utf8), to: url, durable: durable)
  }

  /// Writes `data`, creating missing parent folders. New files get mode 0644 minus the umask.
  /// `durable: false` skips the fsyncs (about 2 ms each here): for files that are only a
  /// cache, where a lost write after a power cut costs a re-run, not data.
  public static func write(_ data: Data, to url: URL, durable: Bool = true) throws {
    let target = url.standardizedFileURL
    let folder = target.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try replace(target.path, in: folder.path, with: data, durable: durable, keeping: nil)
  }

  /// A file that `replaceContents(of:with:)` will not write, and why.
  public struct Refusal: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path) \(reason); not updated" }
  }

  /// Rewrites an existing file (a note, for `check --update`) and keeps what makes it that
  /// file: a symbolic link is followed and its target rewritten, the link stays a link; the
  /// mode and owner stay. The write is still atomic, so a file that cannot be rewritten
  /// that way is refused rather than changed: a read-only file (no write bit, or no write
  /// access for this user), and a file with other hard links, which a rename would split
  /// from their shared content.
  public static func replaceContents(of url: URL, with data: Data) throws {
    let path = url.path
    guard let real = realpath(path, nil) else { throw WriteError(path: path, operation: "open", code: errno) }
    let target = String(cString: real)
    free(real)
    var status = stat()
    guard stat(target, &status) == 0 else { throw WriteError(path: path, operation: "open", code: errno) }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw Refusal(path: path, reason: "is not a regular file")
    }
    guard status.st_mode & 0o222 != 0, access(target, W_OK) == 0 else {
      throw Refusal(path: path, reason: "is read-only")
    }
    guard status.st_nlink <= 1 else {
      throw Refusal(
        path: path,
        reason: "has \(status.st_nlink) hard links, which a rewrite would split from each other")
    }
    let folder = (target as NSString).deletingLastPathComponent
    try replace(target, in: folder, with: data, durable: true, keeping: status)
  }

  /// Writes a temporary file in `folder` and renames it over `target`. With `keeping`, the
  /// temporary file gets that mode and owner first, so the file never appears with others.
  private static func replace(
    _ target: String, in folder: String, with data: Data, durable: Bool, keeping original: stat?
  ) throws {
    // Short and fixed-length: a temporary name built from the target's name would overflow
    // NAME_MAX (255 bytes) for names longer than about 235 bytes.
    let temporary = folder + "/.noterun-\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw WriteError(path: target, operation: "create", code: errno) }
    inFlight.withLock { _ = $0.insert(temporary) }
    defer { inFlight.withLock { _ = $0.remove(temporary) } }
    var failure: WriteError?
    if let original {
      if fchown(descriptor, original.st_uid, original.st_gid) != 0 {
        failure = WriteError(path: target, operation: "keep the owner", code: errno)
      } else if fchmod(descriptor, original.st_mode & 0o7777) != 0 {
        failure = WriteError(path: target, operation: "keep the mode", code: errno)
      }
    }
    if failure == nil {
      data.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
          let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
          if written < 0 {
            if errno == EINTR { continue }
            failure = WriteError(path: target, operation: "write", code: errno)
            return
          }
          offset += written
        }
      }
    }
    if failure == nil && durable && fsync(descriptor) != 0 {
      failure = WriteError(path: target, operation: "sync", code: errno)
    }
    close(descriptor)
    if failure == nil && rename(temporary, target) != 0 {
      failure = WriteError(path: target, operation: "rename", code: errno)
    }
    if let failure {
      unlink(temporary)
      throw failure
    }
    if durable { syncFolder(folder) }
  }

  /// Makes the rename itself durable; a folder that cannot be opened is not an error, the
  /// file is already in place.
  private static func syncFolder(_ path: String) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    fsync(descriptor)
    close(descriptor)
  }
}

/// The C `write`, which inside `AtomicFile` is shadowed by its own `write` methods.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}
