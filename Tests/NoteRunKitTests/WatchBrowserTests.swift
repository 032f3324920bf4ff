import Foundation
import Glibc
import Synchronization
import Testing

@testable import NoteRunKit

/// Headless Chromium, driven over the DevTools protocol (a WebSocket per page); the site
/// tests use it too.
final class Chromium: Sendable {
  /// The first of Debian's `chromium` and its usual other names on PATH.
  static let executable: String? = {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
    let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    return names.lazy.flatMap { name in folders.map { "\($0)/\(name)" } }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  let process: ChildProcess
  let page: TestWebSocket
  private let ids = NextID()

  /// Starts Chromium on a blank page; `profile` is a scratch folder of its own.
  init(profile: ScratchFolder) async throws {
    let executable = try #require(Self.executable)
    process = try ChildProcess(
      executable,
      [
        // No crash reporter: its handler daemonises (a new session) and, adopted by this
        // test process (a child subreaper), would be taken for a note's stray and killed
        // with a notice on that note's result.
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-crash-reporter", "--disable-breakpad",
        "--no-default-browser-check", "--remote-debugging-port=0", "--user-data-dir=\(profile.path)",
        "about:blank",
      ], logs: profile.url)
    // Chromium writes the port it listens on into the profile once it is ready.
    var port: UInt16?
    let listening = await eventually(60) {
      port = profile.read("DevToolsActivePort").split(separator: "\n").first.flatMap { UInt16($0) }
      return port != nil
    }
    try #require(listening, "Chromium did not start: \(process.errorText)")
    let devtools = try #require(port)
    var target: String?
    let deadline = ContinuousClock.now + .seconds(30)
    while target == nil && ContinuousClock.now < deadline {
      target = try? await Self.pageTarget(port: devtools)
      if target == nil { try await Task.sleep(for: .milliseconds(50)) }
    }
    page = try await TestWebSocket.connect(port: devtools, path: try #require(target, "no page target"))
  }

  /// The path of the DevTools WebSocket of the first page (`/devtools/page/ID`).
  private static func pageTarget(port: UInt16) async throws -> String? {
    let body = try await httpGet(port, "/json/list").body
    guard let targets = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]],
      let page = targets.first(where: { $0["type"] as? String == "page" }),
      let address = page["webSocketDebuggerUrl"] as? String, let url = URL(string: address)
    else { return nil }
    return url.path
  }

  /// Sends a DevTools command and returns its `result`.
  @discardableResult
  func call(_ method: String, _ parameters: [String: Any] = [:]) async throws -> [String: Any] {
    let id = ids.next()
    let command = try JSONSerialization.data(withJSONObject: [
      "id": id, "method": method, "params": parameters,
    ])
    let page = self.page
    let reply = try await onOwnThread { () -> Data in
      try page.send(String(decoding: command, as: UTF8.self))
      while true {
        guard let text = try page.receive(seconds: 30) else { throw POSIXError(.ECONNRESET) }
        let message = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        if message?["id"] as? Int == id { return Data(text.utf8) }
      }
    }
    let message = try #require(try JSONSerialization.jsonObject(with: reply) as? [String: Any])
    if let error = message["error"] { throw DevToolsError(description: "\(method): \(error)") }
    return message["result"] as? [String: Any] ?? [:]
  }

  /// The value of a JavaScript expression in the page, as JSON text.
  @discardableResult
  func evaluate(_ expression: String) async throws -> String {
    let result = try await call(
      "Runtime.evaluate", ["expression": "JSON.stringify(\(expression))", "returnByValue": true])
    return (result["result"] as? [String: Any])?["value"] as? String ?? "undefined"
  }

  /// Whether `expression` becomes true within `seconds`.
  func becomes(_ expression: String, seconds: Double = 30) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
      if try await evaluate("Boolean(\(expression))") == "true" { return true }
      try await Task.sleep(for: .milliseconds(50))
    }
    return false
  }

  func quit() async {
    process.signal(SIGTERM)
    _ = await process.wait(seconds: 10)
  }
}

private struct DevToolsError: Error, CustomStringConvertible {
  var description: String
}

private final class NextID: Sendable {
  private let value = Atomic(0)
  func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}

@Test(
  .enabled(
    if: Chromium.executable != nil,
    "no Chromium on PATH: `apt-get install -y chromium` (make test installs it)"))
func anOpenPageReloadsAfterAnEditAndKeepsItsScrollPosition() async throws {
  let folder = try ScratchFolder("watch-browser")
  let filler = (1...200).map { "Paragraph \($0) keeps the page long enough to scroll.\n" }.joined(
    separator: "\n")
  let note = "# Browser\n\nversion one\n\n```python\nprint(6 * 7)\n```\n\n\(filler)"
  try folder.write("notes/b.md", note)
  let watch = try ChildProcess(
    try noterunBinary(),
    [
      "watch", folder.file("notes").path, "-o", folder.file("out").path, "--port", "0", "--cache-dir",
      folder.file("cache").path,
    ], logs: folder.url)
  var url: String?
  let serving = await eventually(60) {
    url = watch.errorText.firstMatch(of: #/http://127\.0\.0\.1:\d+//#).map { String($0.output) }
    return url != nil
  }
  try #require(serving, "noterun watch did not print its URL: \(watch.errorText)")

  let profile = try ScratchFolder("chromium")
  let browser = try await Chromium(profile: profile)
  // Every document the page loads records its WebSockets, so the test knows when the live
  // reload connection is open before it edits the note.
  try await browser.call("Page.enable")
  try await browser.call(
    "Page.addScriptToEvaluateOnNewDocument",
    [
      "source": """
      const Native = window.WebSocket;
      window.__sockets = [];
      window.WebSocket = function (...args) { const s = new Native(...args); window.__sockets.push(s); return s; };
      window.WebSocket.prototype = Native.prototype;
      """
    ])
  try await browser.call("Page.navigate", ["url": try #require(url) + "b.html"])
  #expect(
    try await browser.becomes(
      "document.readyState === 'complete' && document.body.innerText.includes('version one')"
        + " && window.__sockets.some((s) => s.readyState === 1)"),
    "the page did not load with its live-reload connection")
  try await browser.evaluate("(window.__thisDocument = true, window.scrollTo(0, 1500), window.scrollY)")
  #expect(try await browser.evaluate("window.scrollY") == "1500")

  try folder.write("notes/b.md", note.replacingOccurrences(of: "version one", with: "version two"))
  #expect(
    try await browser.becomes("document.body.innerText.includes('version two')"),
    "the open page never showed the edit: \(watch.errorText)")
  #expect(try await browser.evaluate("window.__thisDocument") == "undefined", "a new document was loaded")
  let restored = try await browser.becomes("document.readyState === 'complete' && window.scrollY === 1500")
  let scrolled = try await browser.evaluate("window.scrollY")
  #expect(restored, "the scroll position was not restored: scrollY \(scrolled)")

  await browser.quit()
  watch.signal(SIGINT)
  #expect(await watch.wait(seconds: 30) == .exited(128 + SIGINT))
}
