import Foundation
import Testing

/// `noterun` copied out of the build folder, as `make install` does, runs with that folder
/// out of sight: templates, styles and the Python kernel are inside the binary.
@Suite struct CLIInstalledBinaryTests {
  @Test func aCopiedBinaryRendersWithTheBuildFolderHidden() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/n.md", "# N\n\n```python\nprint('from the copy')\n```\n")
    try FileManager.default.createDirectory(at: sandbox.url("bin"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: sandbox.url("home"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: CLISandbox.binary, to: sandbox.url("bin/noterun"))

    // A private mount namespace lays an empty folder over the build folder (where a
    // resource bundle would be looked up) for the copy's run only.
    let build = CLISandbox.binary.resolvingSymlinksInPath().deletingLastPathComponent()
    let script = """
      mount -t tmpfs tmpfs "$1" || exit 90
      [ -z "$(ls -A "$1")" ] || exit 91
      exec "$2" render notes -o out --no-cache
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
    process.arguments = [
      "--mount", "--map-root-user", "sh", "-c", script, "sh", build.path, sandbox.url("bin/noterun").path,
    ]
    process.currentDirectoryURL = sandbox.folder
    process.environment = sandbox.environment(["HOME": sandbox.url("home").path, "XDG_CACHE_HOME": ""])
    let stderr = Pipe()
    process.standardError = stderr
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()

    #expect(process.terminationStatus == 0, "\(errors)")
    let page = try sandbox.read("out/n.html")
    #expect(page.contains("from the copy"))
    #expect(page.contains(".cell-head"), "the page carries its style sheet")
    let kernels = try FileManager.default.contentsOfDirectory(atPath: sandbox.url("home/.cache/noterun").path)
    #expect(kernels.count == 1 && kernels[0].hasPrefix("kernel-"), "\(kernels)")
    #expect(sandbox.exists("home/.cache/noterun/\(kernels.first ?? "")/_noterun_kernel.py"))
  }
}
