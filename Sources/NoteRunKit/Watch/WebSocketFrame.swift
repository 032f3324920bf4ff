import Foundation

/// WebSocket frames (RFC 6455 §5) as the live-reload socket needs them: the server sends
/// unmasked text and control frames; it reads the client's masked frames, whose payloads
/// it bounds (a page sends nothing but pongs and a close).
struct WebSocketFrame: Sendable, Equatable {
  var opcode: UInt8
  var payload: [UInt8]
  var isFinal = true

  static let text: UInt8 = 0x1
  static let close: UInt8 = 0x8
  static let ping: UInt8 = 0x9
  static let pong: UInt8 = 0xA

  /// Why a client's frame was refused, as the close code to answer with.
  struct Refused: Error, Sendable {
    /// 1002: protocol error; 1009: message too big.
    var code: UInt16
  }

  /// The key's answer in the opening handshake (§4.2.2), or nil when the key is not 16 bytes
  /// in base64.
  static func accept(key: String) -> String? {
    guard let nonce = Data(base64Encoded: key), nonce.count == 16 else { return nil }
    return Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
  }

  /// A close frame carrying `code`.
  static func closing(_ code: UInt16) -> WebSocketFrame {
    WebSocketFrame(opcode: close, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
  }

  /// The frame as the server sends it: unmasked.
  var encoded: Data {
    var bytes: [UInt8] = [(isFinal ? 0x80 : 0) | opcode]
    switch payload.count {
    case ..<126: bytes.append(UInt8(payload.count))
    case ...0xFFFF: bytes += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    default: bytes += [127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
    }
    return Data(bytes + payload)
  }

  /// Reads one frame from a client: it must be masked, use no extension bits or unknown
  /// opcodes, keep control frames whole and short, and carry at most `limit` bytes.
  static func read(from input: ConnectionInput, limit: Int) async throws -> WebSocketFrame {
    let start = try await input.bytes(2)
    let (first, second) = (start[start.startIndex], start[start.startIndex + 1])
    let opcode = first & 0x0F
    let isControl = opcode & 0x8 != 0
    guard first & 0x70 == 0, [0x0, 0x1, 0x2, 0x8, 0x9, 0xA].contains(opcode), second & 0x80 != 0,
      !isControl || first & 0x80 != 0 && second & 0x7F <= 125
    else { throw Refused(code: 1002) }
    var length = Int(second & 0x7F)
    if length == 126 || length == 127 {
      let extended = try await input.bytes(length == 126 ? 2 : 8)
      guard extended.first! & 0x80 == 0 else { throw Refused(code: 1002) }
      let value = extended.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      guard value <= UInt64(limit) else { throw Refused(code: 1009) }
      length = Int(value)
    }
    guard length <= limit else { throw Refused(code: 1009) }
    let mask = Array(try await input.bytes(4))
    let masked = try await input.bytes(length)
    let payload = masked.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    return WebSocketFrame(opcode: opcode, payload: payload, isFinal: first & 0x80 != 0)
  }
}
