import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads files that must be regular files: a FIFO, socket or device named like a note would
/// otherwise block a read for ever (a FIFO with no writer never ends). The file is opened
/// without blocking (`O_NONBLOCK`: opening a FIFO does not wait for a writer), its type is
/// taken from the open descriptor (no window for a swap between a check and the open), and
/// nothing that is not a regular file is read. A regular file's read never waits on another
/// process, so no read here can block for longer than the disk takes.
enum RegularFile {
  struct ReadError: Error, Sendable, CustomStringConvertible {
    var reason: String
    var description: String { reason }
  }

  /// At most `limit` bytes from the start of the file at `path`.
  static func read(_ path: String, upTo limit: Int) throws(ReadError) -> Data {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    guard descriptor >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw ReadError(reason: "it is \(kind(status.st_mode)), not a regular file; not read")
    }
    var data = Data()
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while data.count < limit {
      let count = systemRead(descriptor, &chunk, min(chunk.count, limit - data.count))
      if count < 0 {
        if errno == EINTR { continue }
        throw ReadError(reason: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      data.append(contentsOf: chunk[..<count])
    }
    return data
  }

  static func kind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: "a FIFO"
    case S_IFSOCK: "a socket"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFDIR: "a folder"
    case S_IFLNK: "a symbolic link"
    default: "a special file"
    }
  }
}

/// The C `read`, which inside `RegularFile` is shadowed by its own `read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}
