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
    /// What failed: "create", "write", "sync", "rename".
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
    let temporary = folder.appendingPathComponent(
      ".\(target.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp"
    ).path
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw WriteError(path: target.path, operation: "create", code: errno) }
    inFlight.withLock { _ = $0.insert(temporary) }
    defer { inFlight.withLock { _ = $0.remove(temporary) } }
    var failure: WriteError?
    data.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = WriteError(path: target.path, operation: "write", code: errno)
          return
        }
        offset += written
      }
    }
    if failure == nil && durable && fsync(descriptor) != 0 {
      failure = WriteError(path: target.path, operation: "sync", code: errno)
    }
    close(descriptor)
    if failure == nil && rename(temporary, target.path) != 0 {
      failure = WriteError(path: target.path, operation: "rename", code: errno)
    }
    if let failure {
      unlink(temporary)
      throw failure
    }
    if durable { syncFolder(folder.path) }
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
