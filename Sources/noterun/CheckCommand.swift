import ArgumentParser
import Foundation
import NoteRunKit

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Run notes and fail when a cell does not do what its note says.",
    discussion: "Exit status: 0 all passed, 1 a cell failed, 2 bad input or no Python.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case terminal
    case github
    case json
  }

  @Argument(help: "Notes: Markdown files, or folders searched for *.md.")
  var paths: [String] = ["Notes"]

  @Flag(help: "Write each cell's actual output into its output block (adding missing ones).")
  var update = false

  @Option(help: "Report format on stdout: terminal, github (annotations) or json (one object per cell).")
  var format: Format = .terminal

  @Option(help: "Also write a JUnit XML report to this file.")
  var junit: String?

  @Option(help: "Check only shard K of N (K/N, from 1): a stable split for CI matrices.")
  var shard: Shard?

  @OptionGroup var options: RunOptions

  func run() throws {
    Interruption.install()
    let began = ContinuousClock.now
    var files = try options.noteFiles(paths)
    if let shard { files = shard.select(files) }
    try options.requireInterpreter()
    let outcomes = options.batch.run(files)
    outcomes.forEach(Terminal.warnings)
    let seconds = (ContinuousClock.now - began) / .seconds(1)

    let checks = outcomes.map { outcome in
      switch outcome {
      case .ran(let result): NoteCheck(result)
      case .unreadable(let error): NoteCheck(problem: error)
      }
    }
    switch format {
    case .terminal:
      Terminal.output(TerminalReport(color: Terminal.stdoutWantsColor).render(checks, seconds: seconds))
    case .github:
      Terminal.output(
        GitHubReport().render(checks) + TerminalReport.summary(CheckCounts(checks), seconds: seconds) + "\n")
    case .json: Terminal.output(JSONReport().render(checks))
    }
    if let junit {
      do {
        try AtomicFile.write(JUnitReport().render(checks, seconds: seconds), to: URL(fileURLWithPath: junit))
      } catch {
        Terminal.error("\(error)")
        throw ExitCode(2)
      }
    }
    if update { try updateBlocks(outcomes) }

    let inputErrors = outcomes.contains { outcome in
      switch outcome {
      case .ran(let result): result.kernelError != nil
      case .unreadable: true
      }
    }
    if inputErrors { throw ExitCode(2) }
    // --update fixes differing output blocks; any other failure still fails the check.
    let unfixed = checks.flatMap(\.failures).filter { !update || $0.failure.type != "output-mismatch" }
    if !unfixed.isEmpty { throw ExitCode(1) }
  }

  /// Rewrites output blocks note by note; a note that changed on disk meanwhile is left alone.
  private func updateBlocks(_ outcomes: [NoteOutcome]) throws {
    var refused = false
    for case .ran(let result) in outcomes where result.kernelError == nil {
      do {
        let changes = try NoteUpdater.apply(result) { data, url in try AtomicFile.write(data, to: url) }
        for change in changes {
          Terminal.progress(change.description)
          if case .refused = change.kind { refused = true }
        }
      } catch {
        Terminal.error("\(error)")
        refused = true
      }
    }
    if refused { throw ExitCode(1) }
  }
}

/// `--shard K/N`: notes are dealt round-robin in path order, so shards stay stable as long
/// as the set of notes does.
struct Shard: ExpressibleByArgument {
  var index: Int
  var count: Int

  init?(argument: String) {
    let parts = argument.split(separator: "/")
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
      (1...count).contains(index)
    else { return nil }
    self.index = index
    self.count = count
  }

  func select(_ files: [NoteFile]) -> [NoteFile] {
    files.sorted { $0.displayPath < $1.displayPath }.enumerated()
      .filter { $0.offset % count == index - 1 }.map(\.element)
  }
}
