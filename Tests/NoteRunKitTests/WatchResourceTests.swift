import Foundation
import Glibc
import Testing

@testable import NoteRunKit

/// `noterun watch` under clients that exhaust its resources: the real binary, as its own
/// process, so that its descriptor limit and memory are its own.
@Suite struct WatchResourceTests {
  /// Starts `watch` on a note without cells, under `shell` (for `ulimit`), and returns it
  /// with its port.
  func startWatch(_ folder: ScratchFolder, limit: String) async throws -> (ChildProcess, UInt16) {
    try folder.write("notes/a.md", "# A\n\nProse only.\n")
    let watch = try ChildProcess(
      "/bin/sh",
      [
        "-c", "ulimit -n \(limit) && exec \"$0\" \"$@\"", try noterunBinary(), "watch",
        folder.file("notes").path,
        "-o", folder.file("out").path, "--port", "0", "--no-cache",
      ], logs: folder.url)
    var port: UInt16?
    let serving = await eventually(60) {
      let text = watch.errorText
      guard let range = text.range(of: #"at http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) else {
        return false
      }
      port = UInt16(text[range].dropFirst("at http://127.0.0.1:".count).dropLast())
      return true
    }
    try #require(serving, "noterun watch did not print its URL: \(watch.errorText)")
    return (watch, try #require(port))
  }

  func residentKilobytes(_ pid: pid_t) -> Int {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
  }

  /// Once `accept` fails with EMFILE the server keeps its listening socket and serves again
  /// as descriptors free up.
  @Test func runningOutOfDescriptorsIsSurvived() async throws {
    let folder = try ScratchFolder("emfile")
    let (watch, port) = try await startWatch(folder, limit: "48")
    #expect(try await httpGet(port, "/a.html").status == 200)

    // More connections than descriptors: the server runs out while they are open.
    var held = try (0..<80).map { _ in try LoopbackSocket(port: port) }
    #expect(
      await eventually(30) { watch.errorText.contains("cannot accept a connection") }, "\(watch.errorText)")
    #expect(held.count == 80)
    held = []
    let response = try await httpGet(port, "/a.html")
    #expect(response.status == 200)
    watch.signal(SIGINT)
    #expect(await watch.wait(seconds: 30) != nil)
  }

  /// Clients that ask for an 8 MiB file and never read cost the server a chunk each, not the
  /// file each; other clients are still served meanwhile.
  @Test func clientsThatNeverReadHoldABoundedAmountOfMemory() async throws {
    let folder = try ScratchFolder("never-read")
    let (watch, port) = try await startWatch(folder, limit: "1024")
    try Data(repeating: 0x61, count: 8 * 1024 * 1024).write(to: folder.file("out/big.txt"))
    #expect(try await httpGet(port, "/a.html").status == 200)
    let before = residentKilobytes(watch.pid)

    let stalled = try (0..<40).map { _ in
      let socket = try LoopbackSocket(port: port)
      try socket.send(Array("GET /big.txt HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8))
      return socket
    }
    // Each stalled client has its answer under way, and a new one is served meanwhile.
    for socket in stalled {
      #expect(try await onOwnThread { try socket.readHead() }.hasPrefix("HTTP/1.1 200"))
    }
    #expect(try await httpGet(port, "/a.html").status == 200)
    let after = residentKilobytes(watch.pid)
    #expect(after - before < 64 * 1024, "grew from \(before) kB to \(after) kB with \(stalled.count) clients")
    watch.signal(SIGINT)
    #expect(await watch.wait(seconds: 30) != nil)
  }
}
