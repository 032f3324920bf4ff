import Foundation

/// Turning a file's bytes into text, refusing what cmark-gfm must not see: files too large
/// to parse in reasonable time (FACTS.md) and invalid UTF-8, which would otherwise shift
/// every fence after it.
enum NoteText {
  static let maximumSize = 8 * 1024 * 1024

  /// Reads at most one byte more than the limit, so a huge file is refused without being
  /// read whole; a FIFO, socket or device is refused without being read at all.
  static func read(_ url: URL, file: String, what: String = "note") throws(NoteError) -> String {
    let data: Data
    do {
      data = try RegularFile.read(url.path, upTo: maximumSize + 1)
    } catch {
      throw NoteError(file: file, line: 1, message: "cannot read \(what): \(error.reason)")
    }
    return try decode(data, file: file, what: what)
  }

  static func decode(_ data: Data, file: String, what: String = "note") throws(NoteError) -> String {
    if data.count > maximumSize {
      throw NoteError(file: file, line: 1, message: "\(what) is larger than 8 MiB")
    }
    if let offset = firstInvalidUTF8(data) {
      throw NoteError(
        file: file, line: lineNumber(at: offset, in: data),
        message: "\(what) is not valid UTF-8 (byte \(offset + 1)); save it as UTF-8")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Offset of the first byte that does not belong to a well-formed UTF-8 sequence
  /// (Unicode table 3-7: no overlongs, surrogates or values above U+10FFFF).
  static func firstInvalidUTF8(_ data: Data) -> Int? {
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int? in
      var index = 0
      let count = bytes.count
      while index < count {
        let lead = bytes[index]
        if lead < 0x80 {
          index += 1
          continue
        }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, low) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, high) = (3, 0x9F)
        case 0xF0: (length, low) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, high) = (4, 0x8F)
        default: return index
        }
        for position in 1..<length {
          guard index + position < count else { return index }
          let byte = bytes[index + position]
          let (min, max) = position == 1 ? (low, high) : (0x80, 0xBF)
          if byte < min || byte > max { return index }
        }
        index += length
      }
      return nil
    }
  }

  /// The file line (LF, CRLF or lone CR end a line, as for cmark-gfm) holding `offset`.
  static func lineNumber(at offset: Int, in data: Data) -> Int {
    var line = 1
    var previous: UInt8 = 0
    for byte in data.prefix(offset) {
      if byte == 0x0A && previous != 0x0D || byte == 0x0D { line += 1 }
      previous = byte
    }
    return line
  }
}
