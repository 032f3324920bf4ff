import Foundation
import Testing

/// What the command line does with the terminal and its arguments: the real binary.
@Suite struct CLITerminalTests {
  /// Runs `noterun arguments…` with stdout on a pipe whose reader has already gone, as in
  /// `noterun … | head` once head has read its lines.
  static func runIntoClosedPipe(_ sandbox: CLISandbox, _ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = CLISandbox.binary
    process.arguments = arguments
    process.currentDirectoryURL = sandbox.folder
    process.environment = sandbox.environment([:])
    let pipe = Pipe()
    let stderr = sandbox.url(".closed-pipe.err")
    try Data().write(to: stderr)
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = pipe
    process.standardError = try FileHandle(forWritingTo: stderr)
    try process.run()
    try pipe.fileHandleForReading.close()
    process.waitUntilExit()
    return (process.terminationStatus, try String(contentsOf: stderr, encoding: .utf8))
  }

  @Test func aReaderThatLeavesEarlyEndsTheRunQuietly() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/n.md", "```python\nprint('a')\n```\n\n```output\nb\n```\n")

    let (checkStatus, checkErrors) = try Self.runIntoClosedPipe(sandbox, ["check", "notes", "--no-cache"])
    let (traceStatus, traceErrors) = try Self.runIntoClosedPipe(
      sandbox, ["trace", "notes/n.md", "--no-cache"])

    // check still exits with its verdict; nothing crashes or dumps registers.
    #expect(checkStatus == 1, "\(checkErrors)")
    #expect(traceStatus == 0, "\(traceErrors)")
    #expect(checkErrors.isEmpty && traceErrors.isEmpty, "\(checkErrors)\(traceErrors)")
  }

  @Test func whatACellPrintsCannotDriveTheTerminalOrTheCIRunner() throws {
    let sandbox = try CLISandbox()
    try sandbox.write(
      "notes/n.md",
      #"""
      ```python
      print("\x1b]0;owned\x07\x1b[2J\x1b]52;c;aGk=\x07\x9b31m")
      print("::error file=x.py,line=1::injected")
      ```

      ```output
      calm
      ::error file=x.py,line=1::injected
      ```

      ```python
      raise ValueError("\x1b[2J\n::warning::also injected")
      ```

      """#)

    let check = try sandbox.run(["check", "notes", "--no-cache"])
    let render = try sandbox.run(["render", "notes", "-o", "out", "--no-cache"])
    let trace = try sandbox.run(["trace", "notes/n.md", "--no-cache"])

    #expect(check.status == 1)
    for text in [check.stdout, check.stderr, render.stderr, trace.stdout, trace.stderr] {
      #expect(!text.contains("\u{1B}") && !text.contains("\u{9B}") && !text.contains("\u{7}"), "\(text)")
      let lines = text.split(separator: "\n")
      #expect(!lines.contains { $0.drop { $0 == " " || $0 == "\t" }.hasPrefix("::") }, "\(text)")
    }
    // Output is compared as a reader sees it: the title and clipboard sequences are gone,
    // and the lone C1 introducer is shown, not obeyed.
    #expect(!check.stdout.contains("owned") && check.stdout.contains("+\u{FFFD}31m"), "\(check.stdout)")
    #expect(check.stdout.contains("   :\u{200B}:error file=x.py"), "\(check.stdout)")
    #expect(check.stdout.contains("  :\u{200B}:warning::also injected"), "\(check.stdout)")
  }

  @Test func versionJoinedShortOptionsAndDefaultsPrintedOnce() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/n.md", "```python\nprint(1)\n```\n")

    let version = try sandbox.run(["--version"])
    let joined = try sandbox.run(["check", "-j2", "notes", "--no-cache"])

    #expect(version.status == 0 && version.stdout.matches(#"noterun \d+\.\d+\.\d+\n"#), "\(version.stdout)")
    #expect(joined.status == 0, "\(joined.stderr)")
    for verb in ["render", "check", "watch", "trace"] {
      let help = try sandbox.run([verb, "--help"])
      #expect(help.status == 0)
      // One entry per option: its first line starts with "-" after the indent.
      var entries: [String] = []
      for line in help.stdoutLines where line.hasPrefix("  ") {
        if line.dropFirst(2).hasPrefix("-") || line.dropFirst(2).hasPrefix("<") || entries.isEmpty {
          entries.append(line)
        } else {
          entries[entries.count - 1] += line
        }
      }
      for entry in entries {
        #expect(entry.components(separatedBy: "(default").count <= 2, "\(verb): \(entry)")
      }
      #expect(entries.contains { $0.contains("-j, --jobs") && $0.contains("(default: the number of cores)") })
    }
  }

  @Test func anOutputPathThatIsAFileIsOneClearLine() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/n.md", "```python\nprint(1)\n```\n")
    try sandbox.write("afile", "not a folder\n")

    let run = try sandbox.run(["render", "notes", "-o", "afile", "--no-cache"])

    #expect(run.status == 2)
    #expect(run.stderr == "noterun: -o afile: not a folder\n", "\(run.stderr)")
  }

  @Test func theSummaryNamesOnlyAnIndexThatWasWritten() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/n.md", "```python\nprint(1)\n```\n")
    // A folder where the index should go: the pages are written, the index cannot be.
    try FileManager.default.createDirectory(
      at: sandbox.url("out/index.html/inside"), withIntermediateDirectories: true)

    let run = try sandbox.run(["render", "notes", "-o", "out", "--no-cache"])

    #expect(run.status == 1)
    #expect(sandbox.exists("out/n.html"))
    let summary = try #require(run.stderrLines.last)
    #expect(summary.hasPrefix("rendered 1 of 1 notes") && !summary.contains("→"), "\(run.stderr)")
    #expect(!run.stderr.contains("Error Domain"), "\(run.stderr)")
    #expect(
      run.stderrLines.contains { $0.hasPrefix("noterun: ") && $0.contains("index.html") }, "\(run.stderr)")
  }
}
