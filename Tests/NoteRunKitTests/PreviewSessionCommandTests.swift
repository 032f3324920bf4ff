import Foundation
import Glibc
import Testing

@testable import NoteRunKit

/// `noterun watch` as a user runs it: the real binary, a real port, Ctrl-C at the end.
@Test func watchCommandServesReloadsAndStopsCleanlyOnControlC() async throws {
  let folder = try ScratchFolder("watch-command")
  let started = folder.file("started")
  let note = "# Watched\n\nversion one\n\n```python\nprint(6 * 7)\n```\n"
  try folder.write("notes/w.md", note)
  let tag = UUID().uuidString
  // Kernels live in process groups of their own: should the test fail before Ctrl-C, do not
  // leave one sleeping.
  defer { for kernel in kernels(tagged: tag) { kill(kernel, SIGKILL) } }
  let watch = try ChildProcess(
    try noterunBinary(),
    [
      "watch", folder.file("notes").path, "-o", folder.file("out").path, "--port", "0", "--cache-dir",
      folder.file("cache").path,
    ], logs: folder.url, tag: tag)

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
  let served = try #require(port)
  #expect(watch.errorText.contains("w.md  ran 1 of 1 cells"))

  let reloads = try await TestWebSocket.connect(port: served, path: LiveReload.endpoint)
  let before = try await httpGet(served, "/w.html")
  #expect(before.status == 200 && before.body.contains("version one") && before.body.contains("42"))
  try folder.write("notes/w.md", note.replacingOccurrences(of: "version one", with: "version two"))
  try await reloads.awaitReload(of: "w.html")
  #expect(try await httpGet(served, "/w.html").body.contains("version two"))
  #expect(try await httpGet(served, "/../notes/w.md").status == 404)
  #expect(watch.errorText.contains("w.md  ran 0 of 1 cells"), "one line per re-render: \(watch.errorText)")

  // A cell that keeps its kernel busy, then Ctrl-C while it runs.
  let slow =
    "\n```python clock=real timeout=300\nopen(\"\(started.path)\", \"w\").close()\nimport time\ntime.sleep(300)\n```\n"
  try folder.write("notes/w.md", note + slow)
  try #require(
    await eventually(60) { FileManager.default.fileExists(atPath: started.path) },
    "the slow cell did not start")
  #expect(!kernels(tagged: tag).isEmpty, "the kernel is found while it runs")
  watch.signal(SIGINT)
  let ended = await watch.wait(seconds: 30)
  #expect(ended == .exited(128 + SIGINT), "\(watch.errorText)")
  #expect(await eventually(10) { kernels(tagged: tag).isEmpty }, "kernels left: \(kernels(tagged: tag))")
  #expect(folder.temporaryFiles().isEmpty, "\(folder.temporaryFiles())")
}

@Test func watchCommandRefusesAPortInUseBeforeRunningAnything() async throws {
  let folder = try ScratchFolder("watch-port")
  let runs = folder.file("runs.log")
  try folder.write("notes/a.md", "# A\n\n```python\n\(appendLine("ran", to: runs))\n```\n")
  let taken = PreviewServer(root: folder.path)
  let port = try await taken.start()
  let watch = try ChildProcess(
    try noterunBinary(),
    ["watch", folder.file("notes").path, "-o", folder.file("out").path, "--port", "\(port)", "--no-cache"],
    logs: folder.url)
  #expect(await watch.wait(seconds: 60) == .exited(2))
  #expect(watch.errorText.contains("cannot serve on 127.0.0.1:\(port)"))
  #expect(lines(of: runs).isEmpty)
  await taken.stop()
}
