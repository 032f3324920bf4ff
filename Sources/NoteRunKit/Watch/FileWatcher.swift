import Foundation
import Glibc
import Synchronization

/// Watches folders (recursively) and single files with inotify, and reports what changed in
/// batches. Editors save in bursts (write a temporary file, rename it over the note, delete a
/// backup, all within a few milliseconds), so a batch collects every change for `debounce`
/// after its first one and names each path once.
///
/// Events are read on a thread of the watcher's own, blocked in `poll(2)`; nothing polls the
/// file system. Call `stop()` when done: it ends `changes` and closes the descriptors.
public final class FileWatcher: Sendable {
  public struct Error: Swift.Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "cannot watch \(path): \(message)" }
  }

  /// Batches of changed paths, each sorted: files written, created, renamed or deleted
  /// (deleted ones no longer exist). Paths are absolute and standardized (`.` and `..`
  /// removed, symbolic links kept). A folder in a batch means anything below it may have
  /// changed: it moved away or was deleted, or the kernel's event queue overflowed.
  public let changes: AsyncStream<[String]>
  public let debounce: Duration

  private let inotify: Int32
  private let wakeup: Wakeup
  /// Nil once the reading thread has closed the inotify descriptor.
  private let folders: Mutex<WatchedFolders?>
  private let finished = DispatchSemaphore(value: 0)

  /// Starts watching. Every path in `folders` must be an existing folder; `files` may name
  /// files that do not exist yet (they are reported when they appear). Nothing under
  /// `ignoring` is watched or reported: put the output folder there when it lies inside a
  /// watched folder. Hidden folders (`.git`) and editors' temporary files are skipped too.
  public init(
    folders: [String], files: [String] = [], ignoring: [String] = [],
    debounce: Duration = .milliseconds(40)
  ) throws {
    let inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    guard inotify >= 0 else {
      throw Error(path: folders.first ?? "", message: String(cString: strerror(errno)))
    }
    var watched = WatchedFolders(inotify: inotify, ignored: ignoring.map(Self.absolute))
    let wakeup: Wakeup
    do {
      for folder in folders.map(Self.absolute) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
        else { throw Error(path: folder, message: "no such folder") }
        try watched.addRoot(folder)
      }
      wakeup = try Wakeup()
    } catch {
      close(inotify)
      throw error
    }
    for file in files.map(Self.absolute) { watched.addFile(file) }

    self.inotify = inotify
    self.wakeup = wakeup
    self.folders = Mutex(Optional(watched))
    self.debounce = debounce
    let (changes, continuation) = AsyncStream.makeStream(of: [String].self)
    self.changes = changes
    continuation.onTermination = { _ in wakeup.signal() }
    let thread = Thread { [self] in run(continuation) }
    thread.name = "noterun-watch"
    thread.start()
  }

  /// Watches more single files, e.g. includes a note started to use after an edit.
  public func watch(files: [String]) {
    folders.withLock { folders in
      for file in files.map(Self.absolute) { folders?.addFile(file) }
    }
  }

  /// Stops watching: ends `changes` (a batch still being collected is dropped) and closes the
  /// descriptors. Returns once the reading thread is gone; calling it again is harmless.
  public func stop() {
    wakeup.signal()
    finished.wait()
    finished.signal()
  }

  static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  private func run(_ continuation: AsyncStream<[String]>.Continuation) {
    var pending = Set<String>()
    var deadline: ContinuousClock.Instant?
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
    defer { buffer.deallocate() }
    while true {
      var descriptors = [
        pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
        pollfd(fd: wakeup.readEnd, events: Int16(POLLIN), revents: 0),
      ]
      let ready = poll(&descriptors, 2, deadline.map(Self.milliseconds(until:)) ?? -1)
      if ready < 0 && errno != EINTR { break }
      if descriptors[1].revents != 0 { break }
      if descriptors[0].revents & Int16(POLLIN) != 0 {
        let count = read(inotify, buffer.baseAddress, buffer.count)
        if count > 0 {
          let events = InotifyEvent.parse(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
          let changed = folders.withLock { $0?.changes(for: events) ?? [] }
          if !changed.isEmpty {
            pending.formUnion(changed)
            deadline = deadline ?? .now + debounce
          }
        }
      }
      if let due = deadline, due <= .now {
        continuation.yield(pending.sorted())
        pending = []
        deadline = nil
      }
    }
    continuation.finish()
    folders.withLock { folders in
      folders = nil
      close(inotify)
    }
    wakeup.close()
    finished.signal()
  }

  private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
    let remaining = ContinuousClock.now.duration(to: deadline)
    guard remaining > .zero else { return 0 }
    let (seconds, attoseconds) = remaining.components
    return Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
  }
}

/// A pipe that interrupts the reading thread's `poll(2)`. Signalling after `close()` does
/// nothing, so a late signal never writes to a descriptor number reused by someone else.
private final class Wakeup: Sendable {
  let readEnd: Int32
  private let writeEnd: Mutex<Int32?>

  init() throws {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else {
      throw FileWatcher.Error(path: "pipe", message: String(cString: strerror(errno)))
    }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    readEnd = ends[0]
    writeEnd = Mutex(ends[1])
  }

  func signal() {
    writeEnd.withLock { end in
      guard let end else { return }
      var byte: UInt8 = 1
      _ = write(end, &byte, 1)
    }
  }

  func close() {
    writeEnd.withLock { end in
      guard let open = end else { return }
      Glibc.close(open)
      Glibc.close(readEnd)
      end = nil
    }
  }
}
