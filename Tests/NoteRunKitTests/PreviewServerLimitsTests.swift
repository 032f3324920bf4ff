import Foundation
import Glibc
import Testing

@testable import NoteRunKit

/// What the preview server refuses and what it survives, against a real server on
/// 127.0.0.1 and raw sockets. Every loop is bounded in count; waits are bounded by the
/// sockets' deadlines, which only turn a hang into a failure.
@Suite struct PreviewServerLimitsTests {
  /// An output folder with one page and an 8 MiB file.
  final class Output: Sendable {
    let folder: ScratchFolder
    init() throws {
      folder = try ScratchFolder("limits")
      try folder.write("out/index.html", "<h1>home</h1>")
      try Data(repeating: 0x61, count: 8 * 1024 * 1024).write(to: folder.file("out/big.txt"))
    }
    var path: String { folder.file("out").path }
  }

  /// Sends `request` as is and returns the response's head and what followed until the
  /// server closed.
  func exchange(_ port: UInt16, _ request: String) async throws -> (head: String, body: String) {
    try await onOwnThread {
      let socket = try LoopbackSocket(port: port)
      try socket.send(Array(request.utf8))
      let head = try socket.readHead()
      return (head, String(decoding: try socket.readRemaining(), as: UTF8.self))
    }
  }

  func status(_ head: String) -> Int {
    head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
  }

  @Test func onlyItsOwnHostNamesAreServed() async throws {
    let output = try Output()
    let server = PreviewServer(root: output.path)
    let port = try await server.start()
    defer { Task { await server.stop() } }
    let expected = [
      "127.0.0.1:\(port)": 200, "localhost:\(port)": 200, "LOCALHOST:\(port)": 200, "[::1]:\(port)": 200,
      "evil.example": 421, "evil.example:\(port)": 421, "127.0.0.1": 421, "127.0.0.1:1": 421,
      "localhost.:\(port)": 421,
    ]
    for (host, code) in expected {
      let response = try await exchange(port, "GET / HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
      #expect(status(response.head) == code, "\(host): \(response.head)")
      #expect(response.body.contains("home") == (code == 200), "\(host)")
    }
    let hostless = try await exchange(port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
    #expect(status(hostless.head) == 400)
    let twoHosts = try await exchange(
      port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    #expect(status(twoHosts.head) == 400)
  }

  @Test func theLiveReloadSocketOpensOnlyForItsOwnPages() async throws {
    let output = try Output()
    let server = PreviewServer(root: output.path)
    let port = try await server.start()
    defer { Task { await server.stop() } }
    let origins = [
      "Origin: http://127.0.0.1:\(port)\r\n": 101, "Origin: http://localhost:\(port)\r\n": 101,
      "Origin: http://evil.example\r\n": 403, "Origin: http://127.0.0.1:\(port).evil.example\r\n": 403,
      "Origin: null\r\n": 403, "Origin: https://127.0.0.1:\(port)\r\n": 403, "": 403,
    ]
    for (origin, code) in origins {
      let head = try await onOwnThread {
        let socket = try LoopbackSocket(port: port)
        try socket.send(
          Array(
            ("GET \(LiveReload.endpoint) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\n"
              + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              + "Sec-WebSocket-Version: 13\r\n\(origin)\r\n").utf8))
        return try socket.readHead()
      }
      #expect(status(head) == code, "\(origin): \(head)")
      if code == 101 { #expect(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")) }
    }
  }

  @Test func headIsAnsweredLikeGetWithoutABody() async throws {
    let output = try Output()
    let server = PreviewServer(root: output.path)
    let port = try await server.start()
    defer { Task { await server.stop() } }
    for target in ["/", "/big.txt", "/missing.html"] {
      let get = try await exchange(
        port, "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
      let head = try await exchange(
        port, "HEAD \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
      #expect(head.head == get.head, "\(target)")
      #expect(head.body.isEmpty, "\(target)")
      #expect(get.head.contains("Content-Length: \(get.body.utf8.count)\r\n"), "\(target)")
    }
  }

  @Test func overlongRequestLinesAndHeadsAreRefusedAfterTheLimit() async throws {
    let output = try Output()
    let server = PreviewServer(root: output.path)
    let port = try await server.start()
    defer { Task { await server.stop() } }
    let line = try await exchange(
      port, "GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
    #expect(status(line.head) == 414, "\(line.head)")
    let fields = try await exchange(
      port,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-Big: \(String(repeating: "b", count: 20_000))\r\n\r\n")
    #expect(status(fields.head) == 431, "\(fields.head)")
    let many = (0..<2000).map { "X-\($0): 1\r\n" }.joined()
    let count = try await exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(many)\r\n")
    #expect(status(count.head) == 431, "\(count.head)")
  }

  @Test func malformedRequestsAreRefused() async throws {
    let output = try Output()
    let server = PreviewServer(root: output.path)
    let port = try await server.start()
    defer { Task { await server.stop() } }
    let requests = [
      "GARBAGE\r\n\r\n": 400, "GET /\r\n\r\n": 400, "GET / HTTP/2.0\r\nHost: 127.0.0.1:\(port)\r\n\r\n": 400,
      "GET / HTTP/1.1\r\nHost : 127.0.0.1:\(port)\r\n\r\n": 400,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n folded\r\n\r\n": 400,
      "POST / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 3\r\n\r\nabc": 400,
      "DELETE / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n": 405,
      "GET \(LiveReload.endpoint) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n": 426,
    ]
    for (request, code) in requests {
      let response = try await exchange(port, request)
      #expect(status(response.head) == code, "\(request.debugDescription): \(response.head)")
    }
    // Still serving, and on a kept-alive connection two requests in one packet both answered.
    let both = try await exchange(
      port,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\nGET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
    )
    #expect(
      status(both.head) == 200 && both.body.components(separatedBy: "<h1>home</h1>").count == 3, "\(both)")
  }

  /// Three clients sending 512 KiB heads do not hold up a fourth, and the server still stops
  /// at once.
  @Test func hugeHeadsDoNotStarveOtherClients() async throws {
    let output = try Output()
    let server = PreviewServer(root: output.path)
    let port = try await server.start()
    let huge = Array(
      "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-Big: \(String(repeating: "x", count: 512 * 1024))\r\n\r\n"
        .utf8)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<3 {
        group.addTask {
          _ = try? await onOwnThread {
            let socket = try LoopbackSocket(port: port)
            try socket.send(huge)
            return try socket.readHead()
          }
        }
      }
      let response = try await exchange(
        port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
      #expect(status(response.head) == 200)
      try await group.waitForAll()
    }
    await server.stop()
  }

  /// A client that sends half a request and waits is closed after the head deadline.
  @Test func slowAndIdleClientsAreClosed() async throws {
    let output = try Output()
    var limits = PreviewServer.Limits()
    limits.headTimeout = .milliseconds(300)
    let server = PreviewServer(root: output.path, limits: limits)
    let port = try await server.start()
    defer { Task { await server.stop() } }
    let (slow, idle) = try await onOwnThread {
      let slow = try LoopbackSocket(port: port)
      try slow.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n".utf8))
      let idle = try LoopbackSocket(port: port)
      try idle.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8))
      _ = try idle.readHead()
      _ = try idle.read(13)
      // Both end: the server closes them, well within the sockets' 30 s deadlines.
      return (try slow.readRemaining(), try idle.readRemaining())
    }
    #expect(slow.isEmpty && idle.isEmpty)
  }
}
