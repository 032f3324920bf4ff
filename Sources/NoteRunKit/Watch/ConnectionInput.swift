import FlyingSocks

/// The bytes a client sends on one connection, read in chunks of at most 4 KiB into a buffer
/// that keeps what follows a request head (the next request, or WebSocket frames). Used by
/// one task at a time.
final class ConnectionInput: @unchecked Sendable {
  enum HeadFailure: Error {
    /// The request line is longer than the limit (414).
    case lineTooLong
    /// The head is longer than the limit (431).
    case headTooLarge
    /// The client closed the connection before sending a byte of a new request.
    case closed
  }

  private let socket: AsyncSocket
  private var buffer: [UInt8] = []

  init(socket: AsyncSocket) {
    self.socket = socket
  }

  /// The next request head, without its blank line. Each byte is looked at once, so a long
  /// head costs linear time, and reading stops at `headLimit`: memory stays bounded whatever
  /// the client sends.
  func head(lineLimit: Int, headLimit: Int) async throws -> ArraySlice<UInt8> {
    var scanned = 0
    var lineEnded = false
    while true {
      while scanned < buffer.count {
        if buffer[scanned] == 0x0A {
          lineEnded = true
          // A blank line ends the head: CRLF CRLF, or bare LFs (RFC 9112 §2.2 lets a server
          // take LF alone as a line end). The head ends where the line before it ended.
          let previous =
            scanned >= 1 && buffer[scanned - 1] == 0x0A
            ? scanned - 1
            : scanned >= 2 && buffer[scanned - 1] == 0x0D && buffer[scanned - 2] == 0x0A ? scanned - 2 : nil
          if let previous {
            let end = previous >= 1 && buffer[previous - 1] == 0x0D ? previous - 1 : previous
            defer { buffer.removeFirst(scanned + 1) }
            return buffer[..<end]
          }
        }
        scanned += 1
        if !lineEnded && scanned > lineLimit { throw HeadFailure.lineTooLong }
        if scanned > headLimit { throw HeadFailure.headTooLarge }
      }
      do {
        buffer += try await socket.read(atMost: 4096)
      } catch SocketError.disconnected where buffer.isEmpty {
        throw HeadFailure.closed
      }
    }
  }

  /// Exactly `count` bytes.
  func bytes(_ count: Int) async throws -> ArraySlice<UInt8> {
    while buffer.count < count {
      buffer += try await socket.read(atMost: 4096)
    }
    defer { buffer.removeFirst(count) }
    return buffer[..<count]
  }
}
