import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A temporary folder to run the real `noterun` binary in, as a user would: notes are
/// written under it, it is the working directory, and it is removed afterwards. Kernels
/// started from it carry a marker in their environment, so a test can find exactly its own.
final class CLISandbox {
  let folder: URL
  let marker = "noterun-cli-test-\(UUID().uuidString)"
  private var runs = 0

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(marker)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: folder)
  }

  /// The binary `swift build` / `swift test` put next to the test bundle.
  static let binary: URL = {
    let besideTests = Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("noterun")
    if let besideTests, FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return packageRoot.appendingPathComponent(".build/debug/noterun")
  }()

  func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

  func write(_ path: String, _ text: String) throws {
    try write(path, Data(text.utf8))
  }

  func write(_ path: String, _ data: Data) throws {
    let target = url(path)
    try FileManager.default.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: target)
  }

  func read(_ path: String) throws -> String {
    try String(contentsOf: url(path), encoding: .utf8)
  }

  func exists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: url(path).path)
  }

  /// Files under `path`, relative to it, sorted.
  func files(under path: String) -> [String] {
    let root = url(path).standardizedFileURL.path + "/"
    let enumerator = FileManager.default.enumerator(atPath: url(path).path)
    var found: [String] = []
    while let entry = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: root + entry, isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        found.append(entry)
      }
    }
    return found.sorted()
  }

  /// The environment of a run: the test's own, without settings that would change what
  /// noterun does, plus the marker and `overrides`.
  func environment(_ overrides: [String: String]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = nil
    environment["NOTERUN_PYTHON"] = nil
    environment["NOTERUN_CLI_TEST"] = marker
    environment.merge(overrides) { _, new in new }
    return environment
  }

  /// Starts `noterun arguments…` with stdout and stderr going to files.
  func launch(_ arguments: [String], environment overrides: [String: String] = [:]) throws -> CLIProcess {
    runs += 1
    let stdout = url(".run-\(runs).out")
    let stderr = url(".run-\(runs).err")
    try Data().write(to: stdout)
    try Data().write(to: stderr)
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = environment(overrides)
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: stdout)
    process.standardError = try FileHandle(forWritingTo: stderr)
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    return CLIProcess(process: process, exited: exited, stdout: stdout, stderr: stderr)
  }

  /// Runs `noterun arguments…` to the end.
  func run(_ arguments: [String], environment overrides: [String: String] = [:]) throws -> CLIRun {
    try launch(arguments, environment: overrides).finish()
  }

  /// Runs `noterun arguments…` with stdout on a pseudo-terminal, as in an interactive shell.
  func runOnTerminal(_ arguments: [String], environment overrides: [String: String] = [:]) throws -> String {
    var controller: Int32 = -1
    var terminal: Int32 = -1
    guard openpty(&controller, &terminal, nil, nil, nil) == 0 else { throw CLIHarnessError("openpty failed") }
    defer { close(controller) }
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = environment(overrides)
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle(fileDescriptor: terminal, closeOnDealloc: false)
    process.standardError = FileHandle.nullDevice
    do {
      // The parent's copy of the terminal side is closed at once, so the reads below end.
      defer { close(terminal) }
      try process.run()
    }
    // The controller side reads until the child, the last holder of the terminal side, exits.
    var output = Data()
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = Glibc.read(controller, &chunk, chunk.count)
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      output.append(contentsOf: chunk[..<count])
    }
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self)
  }

  /// Kernel processes started from this sandbox that are still alive.
  func liveKernels() -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
      guard let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")),
        String(decoding: command, as: UTF8.self).contains("_noterun_"),  // kernels and their fork server
        let environ = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
      else { return false }
      return String(decoding: environ, as: UTF8.self).contains("NOTERUN_CLI_TEST=\(marker)")
    }
  }
}

/// A running `noterun`.
struct CLIProcess {
  let process: Process
  let exited: DispatchSemaphore
  let stdout: URL
  let stderr: URL

  /// Waits for the exit; a run that hangs is killed and recorded as an issue rather than
  /// hanging the test suite.
  func finish(within seconds: Int = 300) throws -> CLIRun {
    if exited.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
      Issue.record("noterun \(process.arguments ?? []) did not exit within \(seconds) s")
      kill(process.processIdentifier, SIGKILL)
      exited.wait()
    }
    return CLIRun(
      status: process.terminationStatus,
      stdout: try String(contentsOf: stdout, encoding: .utf8),
      stderr: try String(contentsOf: stderr, encoding: .utf8))
  }
}

/// What one run of `noterun` did.
struct CLIRun {
  var status: Int32
  var stdout: String
  var stderr: String

  var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
  var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

struct CLIHarnessError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

extension String {
  /// Whether the whole string matches `pattern`.
  func matches(_ pattern: String) -> Bool {
    (try? Regex(pattern).wholeMatch(in: self)) != nil
  }
}
