import Foundation
import Glibc
import Testing

@testable import NoteRunKit

/// What the watch and cache tests share: plain HTTP GETs (the target goes out byte for byte,
/// so `..` reaches the server), a WebSocket that can listen to live reload or talk to
/// Chromium's DevTools, child processes (the `noterun` binary, Chromium) in process groups of
/// their own, and bounded waiting. Every wait gives up at a deadline.
struct WatchTestTimeout: Error, CustomStringConvertible {
  var what: String
  var description: String { "timed out waiting for \(what)" }
}

/// Blocking socket work runs on a thread of its own, not on the cooperative pool that the
/// server (in the same process) needs.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    Thread { continuation.resume(with: Result(catching: work)) }.start()
  }
}

/// Checks `condition` every 20 ms until it holds or `seconds` pass; whether it held.
func eventually(_ seconds: Double = 30, _ condition: () throws -> Bool) async rethrows -> Bool {
  let deadline = ContinuousClock.now + .seconds(seconds)
  while true {
    if try condition() { return true }
    if ContinuousClock.now > deadline { return false }
    try? await Task.sleep(for: .milliseconds(20))
  }
}

struct HTTPTestResponse: Sendable {
  var status: Int
  var body: String
}

/// One GET to 127.0.0.1.
func httpGet(_ port: UInt16, _ target: String) async throws -> HTTPTestResponse {
  try await onOwnThread {
    let socket = try LoopbackSocket(port: port)
    try socket.send(
      Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8))
    let head = try socket.readHead()
    let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    // Some servers (Chromium's DevTools) keep the connection open after the body.
    let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
      .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
    let body = try length.map(socket.read) ?? socket.readRemaining()
    return HTTPTestResponse(status: status, body: String(decoding: body, as: UTF8.self))
  }
}

/// A blocking TCP connection to 127.0.0.1. Used by one thread at a time.
final class LoopbackSocket: @unchecked Sendable {
  private let descriptor: Int32
  private var buffer: [UInt8] = []
  /// Reads fail with `WatchTestTimeout` after this.
  var deadline: ContinuousClock.Instant

  init(port: UInt16, seconds: Double = 30) throws {
    // Connected before `self` is complete: a throwing class initializer that has set every
    // property runs `deinit`, which would close the descriptor a second time.
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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
    self.deadline = .now + .seconds(seconds)
  }

  deinit { close(descriptor) }

  func send(_ bytes: [UInt8]) throws {
    guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
      throw POSIXError(.EIO)
    }
  }

  /// Reads more into the buffer; false at the end of the stream.
  private func fill() throws -> Bool {
    var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    let remaining = ContinuousClock.now.duration(to: deadline)
    let milliseconds = max(0, Int32(remaining / .milliseconds(1)))
    guard poll(&ready, 1, milliseconds) > 0 else { throw WatchTestTimeout(what: "data from the socket") }
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    let count = recv(descriptor, &chunk, chunk.count, 0)
    guard count >= 0 else { throw POSIXError(.EIO) }
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

  func read(_ count: Int) throws -> [UInt8] {
    while buffer.count < count {
      guard try fill() else { throw POSIXError(.ECONNRESET) }
    }
    defer { buffer.removeFirst(count) }
    return Array(buffer[..<count])
  }
}

/// A WebSocket client (RFC 6455) for text messages: masks what it sends, as clients must,
/// answers pings, and reads unfragmented frames.
final class TestWebSocket: @unchecked Sendable {
  private let socket: LoopbackSocket

  private init(socket: LoopbackSocket) {
    self.socket = socket
  }

  /// Connects and completes the opening handshake. Once this returns, the live-reload
  /// server has registered the client: no reload sent afterwards can be missed.
  static func connect(port: UInt16, path: String) async throws -> TestWebSocket {
    try await onOwnThread {
      let socket = try LoopbackSocket(port: port)
      try socket.send(
        Array(
          ("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:\(port)\r\n\r\n").utf8))
      let head = try socket.readHead()
      guard head.hasPrefix("HTTP/1.1 101") else { throw POSIXError(.EPROTO) }
      return TestWebSocket(socket: socket)
    }
  }

  func send(_ text: String) throws {
    try sendFrame(opcode: 0x1, Array(text.utf8))
  }

  /// The next text message, waiting at most `seconds`; nil when the server closed.
  func receive(seconds: Double) throws -> String? {
    socket.deadline = .now + .seconds(seconds)
    while true {
      let start = try socket.read(2)
      var length = Int(start[1] & 0x7F)
      if length == 126 {
        length = try socket.read(2).reduce(0) { $0 << 8 | Int($1) }
      } else if length == 127 {
        length = try socket.read(8).reduce(0) { $0 << 8 | Int($1) }
      }
      let mask = start[1] & 0x80 != 0 ? try socket.read(4) : nil
      var payload = try socket.read(length)
      if let mask { payload = payload.enumerated().map { $0.element ^ mask[$0.offset % 4] } }
      switch start[0] & 0x0F {
      case 0x1: return String(decoding: payload, as: UTF8.self)
      case 0x8: return nil
      case 0x9: try sendFrame(opcode: 0xA, payload)
      default: continue
      }
    }
  }

  /// Waits for a live-reload message that names `page`; the messages seen meanwhile.
  @discardableResult
  func awaitReload(of page: String, seconds: Double = 30) async throws -> [[String]] {
    try await onOwnThread {
      var seen: [[String]] = []
      let deadline = ContinuousClock.now + .seconds(seconds)
      while true {
        let remaining = ContinuousClock.now.duration(to: deadline) / .seconds(1)
        let text = remaining > 0 ? try? self.receive(seconds: remaining) : nil
        guard let text else { throw WatchTestTimeout(what: "a reload of \(page) (saw \(seen))") }
        let paths = try JSONDecoder().decode([String: [String]].self, from: Data(text.utf8))["reload"] ?? []
        seen.append(paths)
        if paths.contains(page) { return seen }
      }
    }
  }

  private func sendFrame(opcode: UInt8, _ payload: [UInt8]) throws {
    var frame: [UInt8] = [0x80 | opcode]
    if payload.count < 126 {
      frame.append(0x80 | UInt8(payload.count))
    } else if payload.count <= 0xFFFF {
      frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    } else {
      frame.append(0x80 | 127)
      frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
    }
    let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
    frame += mask
    frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    try socket.send(frame)
  }
}

/// A temporary folder, removed when the value goes away.
final class ScratchFolder: Sendable {
  let url: URL

  init(_ label: String) throws {
    url =
      FileManager.default.temporaryDirectory.appendingPathComponent("noterun-\(label)-\(UUID())")
      .standardizedFileURL
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  var path: String { url.path }

  func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  /// Writes as editors save: a new file renamed over the old one.
  func write(_ name: String, _ text: String) throws {
    let target = file(name)
    try FileManager.default.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: target, atomically: true, encoding: .utf8)
  }

  func read(_ name: String) -> String {
    (try? String(contentsOf: file(name), encoding: .utf8)) ?? ""
  }

  /// Names of files anywhere below that end in `.tmp` (half-written files).
  func temporaryFiles() -> [String] {
    let names = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []
    return names.filter { $0.hasSuffix(".tmp") }
  }
}

/// A Python line that appends `tag` to the file at `path`: how a test sees a cell run.
func appendLine(_ tag: String, to path: URL) -> String {
  "with open(\"\(path.path)\", \"a\") as _runs: _runs.write(\"\(tag)\\n\")"
}

/// The lines appended so far.
func lines(of file: URL) -> [String] {
  ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
}

/// The `noterun` binary that `swift build` put next to the test bundle.
func noterunBinary() throws -> String {
  let tests = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  let binary = tests.deletingLastPathComponent().appendingPathComponent("noterun").path
  try #require(FileManager.default.isExecutableFile(atPath: binary), "no noterun binary at \(binary)")
  return binary
}

/// A child process in a process group of its own, its stdout and stderr in files. Killed
/// (with its group) when the value goes away, if it still runs.
final class ChildProcess: @unchecked Sendable {
  let pid: pid_t
  let stdout: URL
  let stderr: URL
  private var ended: Termination?

  /// `tag` goes into the environment as NOTERUN_TEST_TAG, for `kernels(tagged:)`.
  init(_ executable: String, _ arguments: [String], logs: URL, tag: String = "") throws {
    stdout = logs.appendingPathComponent("stdout-\(UUID()).txt")
    stderr = logs.appendingPathComponent("stderr-\(UUID()).txt")
    let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
    let out = open(stdout.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    let err = open(stderr.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    defer { [null, out, err].forEach { close($0) } }
    var environment = ProcessInfo.processInfo.environment
    environment["NOTERUN_TEST_TAG"] = tag
    environment["NO_COLOR"] = "1"
    pid = try spawn(executable, arguments: arguments, environment: environment, stdio: (null, out, err))
  }

  deinit {
    if ended == nil {
      kill(-pid, SIGKILL)
      kill(pid, SIGKILL)
      _ = Termination.reap(pid)
    }
  }

  var errorText: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
  var outputText: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }

  func signal(_ number: Int32) { kill(pid, number) }

  /// How it ended, or nil if it still runs after `seconds`.
  func wait(seconds: Double = 60) async -> Termination? {
    if let ended { return ended }
    var status: Int32 = 0
    guard await eventually(seconds, { waitpid(pid, &status, WNOHANG) == pid }) else { return nil }
    let signal = status & 0x7f
    ended = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    return ended
  }
}

/// Python kernels (live, not zombies) started by a noterun run with NOTERUN_TEST_TAG=`tag`.
func kernels(tagged tag: String) -> [pid_t] {
  let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
  return entries.compactMap { entry -> pid_t? in
    guard let pid = pid_t(entry),
      let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
      String(decoding: command, as: UTF8.self).contains("_noterun_"),  // kernels and their fork server
      let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
    else { return nil }
    let variables = environment.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    return variables.contains("NOTERUN_TEST_TAG=\(tag)") ? pid : nil
  }
}
