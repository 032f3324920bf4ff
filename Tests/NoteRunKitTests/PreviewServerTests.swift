import Foundation
import Glibc
import Testing

@testable import NoteRunKit

@Test func previewServerServesPagesAndIndexes() async throws {
  let site = try Site()
  let server = PreviewServer(root: site.output)
  let port = try await server.start()
  #expect(port != 0)

  let home = try await get(port, "/")
  #expect(home.status == 200)
  #expect(home.body == "<h1>home</h1>")
  #expect(home.headers["content-type"] == "text/html; charset=utf-8")
  #expect(try await get(port, "/notes/").body == "<h1>notes</h1>")
  #expect(try await get(port, "/notes/intro.html").body == "<h1>intro</h1>")
  #expect(try await get(port, "/notes/my%20note.html").body == "<h1>spaced</h1>")
  #expect(try await get(port, "/alias.html").body == "<h1>intro</h1>")

  let folder = try await get(port, "/notes")
  #expect(folder.status == 302)
  #expect(folder.headers["location"] == "/notes/")
  await server.stop()
}

@Test func previewServerSendsContentTypes() async throws {
  let site = try Site()
  let server = PreviewServer(root: site.output)
  let port = try await server.start()
  let expected = [
    "/style.css": "text/css; charset=utf-8",
    "/timeline.svg": "image/svg+xml",
    "/dot.png": "image/png",
    "/app.js": "text/javascript; charset=utf-8",
  ]
  for (path, type) in expected {
    let response = try await get(port, path)
    #expect(response.status == 200, "\(path)")
    #expect(response.headers["content-type"] == type, "\(path)")
  }
  await server.stop()
}

@Test func previewServerServesNothingOutsideItsFolder() async throws {
  let site = try Site()
  let server = PreviewServer(root: site.output)
  let port = try await server.start()
  for target in site.forbiddenTargets {
    let response = try await get(port, target)
    // Only origin-form targets (`/path`) are taken; the absolute form is a bad request.
    #expect(response.status == (target.hasPrefix("/") ? 404 : 400), "\(target)")
    #expect(!response.body.contains("TOP SECRET"), "\(target)")
  }
  await server.stop()
}

/// The server's 404s above come from this lookup.
@Test func outputFolderFindsOnlyFilesInsideIt() throws {
  let site = try Site()
  let folder = try OutputFolder(site.output)
  for target in site.forbiddenTargets {
    #expect(folder.lookup(rawPath: target) == .missing, "\(target)")
  }
  let intro = folder.root + "/notes/intro.html"
  #expect(folder.lookup(rawPath: "/notes/intro.html") == .file(path: intro, name: "intro.html"))
  #expect(folder.lookup(rawPath: "/alias.html") == .file(path: intro, name: "alias.html"))
  #expect(
    folder.lookup(rawPath: "/notes/") == .file(path: folder.root + "/notes/index.html", name: "index.html"))
  #expect(folder.lookup(rawPath: "/notes") == .folder)
}

@Test func previewServerPushesReloadsAndClosesOnStop() async throws {
  let site = try Site()
  let server = PreviewServer(root: site.output)
  let port = try await server.start()
  let page = try RawSocket(port: port)

  let message = try await onThread {
    try page.send(
      "GET \(LiveReload.endpoint) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:\(port)\r\n\r\n")
    let head = try page.readHead()
    #expect(head.hasPrefix("HTTP/1.1 101"))
    // The page is registered before the 101 goes out, so this cannot be missed.
    server.notifyReload(paths: ["/notes/intro.html", "style.css"])
    return try page.readFrame()
  }
  #expect(message.opcode == 0x1)
  let reload = try JSONDecoder().decode(LiveReload.Message.self, from: message.payload)
  #expect(reload == LiveReload.Message(reload: ["notes/intro.html", "style.css"]))

  // The page gets a close frame, or at least its connection closes: no more reloads.
  async let ending = onThread { try page.readRemaining() }
  await server.stop()
  let rest = try await ending
  #expect(rest.isEmpty || rest[0] & 0x0F == 0x8)
  #expect(throws: (any Error).self) { try RawSocket(port: port) }
}

@Test func previewServerReportsATakenPortAndAMissingFolder() async throws {
  let site = try Site()
  let first = PreviewServer(root: site.output)
  let port = try await first.start()
  await #expect(throws: PreviewServer.Error.self) {
    try await PreviewServer(root: site.output, port: port).start()
  }
  await #expect(throws: PreviewServer.Error.self) {
    try await PreviewServer(root: site.output + "/nowhere").start()
  }
  await first.stop()
}

@Test func liveReloadScriptTalksToTheEndpointAndCanBeInlined() {
  #expect(LiveReload.script.contains("\"\(LiveReload.endpoint)\""))
  #expect(LiveReload.script.contains("sessionStorage"))
  #expect(!LiveReload.script.lowercased().contains("</script"))
}

/// An output folder with pages, assets and symbolic links, beside a secret that must stay
/// unreachable.
private final class Site {
  let parent: String
  let output: String
  let secret: String

  init() throws {
    parent =
      URL(fileURLWithPath: NSTemporaryDirectory())
      .appendingPathComponent("noterun-serve-\(UUID().uuidString)").standardizedFileURL.path
    output = parent + "/output"
    secret = parent + "/secret.txt"
    let files = FileManager.default
    try files.createDirectory(atPath: output + "/notes", withIntermediateDirectories: true)
    let texts = [
      "index.html": "<h1>home</h1>",
      "notes/index.html": "<h1>notes</h1>",
      "notes/intro.html": "<h1>intro</h1>",
      "notes/my note.html": "<h1>spaced</h1>",
      "style.css": "body {}",
      "timeline.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
      "app.js": "console.log(1)",
    ]
    for (name, text) in texts {
      try text.write(toFile: output + "/" + name, atomically: false, encoding: .utf8)
    }
    try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: output + "/dot.png"))
    try "TOP SECRET".write(toFile: secret, atomically: false, encoding: .utf8)
    try files.createSymbolicLink(atPath: output + "/leak.html", withDestinationPath: "../secret.txt")
    try files.createSymbolicLink(atPath: output + "/outside", withDestinationPath: parent)
    try files.createSymbolicLink(atPath: output + "/alias.html", withDestinationPath: "notes/intro.html")
  }

  deinit { try? FileManager.default.removeItem(atPath: parent) }

  /// Request targets that must all be 404: missing files, and every way out of the folder.
  var forbiddenTargets: [String] {
    [
      "/missing.html",
      "/notes/missing/",
      "/../secret.txt",
      "/notes/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/.%2e/secret.txt",
      "/..%2fsecret.txt",
      "/notes/..%2F..%2Fsecret.txt",
      "/..%5csecret.txt",
      "/%2fetc%2fpasswd",
      "//etc/passwd",
      "/etc/passwd",
      secret,
      "/" + secret,
      "http://127.0.0.1/../secret.txt",
      "/leak.html",
      "/outside/secret.txt",
      "/notes/intro.html%00.png",
    ]
  }
}

private struct Response {
  var status: Int
  var headers: [String: String]
  var body: String
}

/// One GET over a plain socket, so that the target goes out byte for byte (URLSession would
/// resolve `..` and `%2e` before sending).
private func get(_ port: UInt16, _ target: String) async throws -> Response {
  try await onThread {
    let socket = try RawSocket(port: port)
    try socket.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
    let head = try socket.readHead().components(separatedBy: "\r\n")
    let status = Int(head[0].split(separator: " ")[1]) ?? 0
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
        .trimmingCharacters(in: .whitespaces)
    }
    return Response(
      status: status, headers: headers, body: String(decoding: try socket.readRemaining(), as: UTF8.self))
  }
}

/// Blocking socket work runs on a thread of its own: not on the cooperative pool, which the
/// server needs, nor on Dispatch's global queue, which on Linux runs only as many blocked
/// items at once as there are cores and adds threads slowly.
private func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    Thread { continuation.resume(with: Result(catching: work)) }.start()
  }
}

/// A blocking TCP client to 127.0.0.1 whose reads give up after five seconds. Used by one
/// thread at a time.
private final class RawSocket: @unchecked Sendable {
  struct Frame {
    var opcode: UInt8
    var payload: Data
  }

  private let descriptor: Int32
  private var buffer: [UInt8] = []

  init(port: UInt16) throws {
    // Connected before `self` is complete: a throwing class initializer that has set every
    // property runs `deinit`, which would close the descriptor a second time.
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(descriptor)
      throw POSIXError(.ECONNREFUSED)
    }
    self.descriptor = descriptor
  }

  deinit { close(descriptor) }

  func send(_ text: String) throws {
    let bytes = Array(text.utf8)
    guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
      throw POSIXError(.EIO)
    }
  }

  /// Reads more into the buffer; false at the end of the stream.
  private func fill() throws -> Bool {
    var chunk = [UInt8](repeating: 0, count: 4096)
    let count = recv(descriptor, &chunk, chunk.count, 0)
    guard count >= 0 else { throw POSIXError(.ETIMEDOUT) }
    buffer += chunk[..<count]
    return count > 0
  }

  func readHead() throws -> String {
    let end = Array("\r\n\r\n".utf8)
    while true {
      if let range = buffer.firstRange(of: end) {
        defer { buffer.removeSubrange(..<range.upperBound) }
        return String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
      }
      guard try fill() else { throw POSIXError(.ECONNRESET) }
    }
  }

  /// Everything until the server closes the connection.
  func readRemaining() throws -> [UInt8] {
    while try fill() {}
    defer { buffer = [] }
    return buffer
  }

  private func read(_ count: Int) throws -> [UInt8] {
    while buffer.count < count {
      guard try fill() else { throw POSIXError(.ECONNRESET) }
    }
    defer { buffer.removeFirst(count) }
    return Array(buffer[..<count])
  }

  /// A WebSocket frame as a server sends it: unmasked, not fragmented.
  func readFrame() throws -> Frame {
    let start = try read(2)
    var length = Int(start[1] & 0x7F)
    if length == 126 {
      length = try read(2).reduce(0) { $0 << 8 | Int($1) }
    } else if length == 127 {
      length = try read(8).reduce(0) { $0 << 8 | Int($1) }
    }
    return Frame(opcode: start[0] & 0x0F, payload: Data(try read(length)))
  }
}
