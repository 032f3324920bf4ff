import Glibc

/// One record of what `read(2)` returns on an inotify descriptor.
struct InotifyEvent: Sendable, Hashable {
  var watch: Int32
  var mask: UInt32
  /// The entry's name inside the watched folder; empty when the event is about the folder itself.
  var name: String

  func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }

  /// Splits a buffer of packed `inotify_event` records. The kernel pads each name with NULs to
  /// keep the next record aligned, and never splits a record across reads.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> [InotifyEvent] {
    let headerSize = MemoryLayout<inotify_event>.size
    var events: [InotifyEvent] = []
    var offset = 0
    while offset + headerSize <= bytes.count {
      let header = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
      let nameStart = offset + headerSize
      let nameEnd = min(nameStart + Int(header.len), bytes.count)
      let nameBytes = bytes[nameStart..<nameEnd].prefix { $0 != 0 }
      events.append(
        InotifyEvent(
          watch: header.wd, mask: header.mask, name: String(decoding: nameBytes, as: UTF8.self)))
      offset = nameEnd
    }
    return events
  }
}
