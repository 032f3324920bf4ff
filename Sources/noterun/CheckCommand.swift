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

  @Option(
    help: ArgumentHelp(
      "Note durations file: --shard balances by it, and this run's durations are written into it.",
      valueName: "file"))
  var durations: String?

  @OptionGroup var options: RunOptions

  func run() throws {
    Interruption.install()
    let began = ContinuousClock.now
    var files = try options.noteFiles(paths)
    // A mistyped CI path must not pass.
    guard !files.isEmpty else {
      Terminal.error("no notes found under \(paths.joined(separator: ", "))")
      throw ExitCode(2)
    }
    // A report written over a note would destroy it.
    for (option, path) in [("--junit", junit), ("--durations", durations)] {
      guard let path else { continue }
      do {
        try OutputPlacement.checkFile(URL(fileURLWithPath: path), option: option, notes: files)
      } catch {
        Terminal.error(error.description)
        throw ExitCode(2)
      }
    }
    let durationsFile = durations.map { URL(fileURLWithPath: $0) }
    let known: NoteDurations
    do {
      known = try durationsFile.map(NoteDurations.read) ?? NoteDurations()
    } catch {
      Terminal.error("\(error)")
      throw ExitCode(2)
    }
    if let shard { files = shard.shard.select(files, durations: known) }
    if let junit { try Terminal.requireFile(junit, option: "--junit") }
    try options.requireInterpreter()
    let outcomes = options.batch.run(files)
    outcomes.forEach(Terminal.warnings)
    if let durationsFile {
      let results = outcomes.compactMap { outcome -> NoteResult? in
        if case .ran(let result) = outcome { return result }
        return nil
      }
      do {
        try known.updated(with: results).write(to: durationsFile)
      } catch {
        Terminal.error("\(error)")
        throw ExitCode(2)
      }
    }
    let seconds = (ContinuousClock.now - began) / .seconds(1)
    let checks = outcomes.map(\.check)
    // A shard may hold only prose; the whole set of notes may not.
    if shard == nil, checks.allSatisfy({ $0.problem == nil && $0.cells.isEmpty }) {
      Terminal.error(
        "no cells in \(paths.joined(separator: ", ")) (\(files.count == 1 ? "1 note" : "\(files.count) notes"))"
      )
      throw ExitCode(2)
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
        Terminal.error(Terminal.describe(error))
        throw ExitCode(2)
      }
    }
    let (updated, refused) = update ? updateBlocks(outcomes) : ([], 0)

    let inputErrors = outcomes.contains { outcome in
      switch outcome {
      case .ran(let result): result.kernelError != nil
      case .unreadable: true
      }
    }
    if inputErrors { throw ExitCode(2) }
    // With --update, a differing output block that was rewritten no longer fails; every
    // other failure (an error, a block that could not be rewritten) still does.
    let remaining = checks.flatMap { note in
      note.failures.filter { failure in
        // Output cut at the cap is not what the cell printed: writing it fixes nothing.
        guard case .outputDiffers(droppedBytes: 0) = failure.verdict.reason, let cell = failure.cell else {
          return true
        }
        return !updated.contains(CellKey(file: note.file, cell: cell.cell))
      }
    }
    if update, !updated.isEmpty {
      Terminal.progress(
        "updated \(updated.count) output block\(updated.count == 1 ? "" : "s"); "
          + "\(remaining.count) failure\(remaining.count == 1 ? "" : "s") left")
    }
    // A block --update was asked for and would not write (too long, cut, unclosed fence)
    // leaves the note short of what the run printed: that fails too.
    if !remaining.isEmpty || refused > 0 { throw ExitCode(1) }
  }

  /// A cell, by its note and its index.
  private struct CellKey: Hashable {
    var file: String
    var cell: Int
  }

  /// Rewrites output blocks note by note; a note that changed on disk meanwhile is left
  /// alone. Returns the cells whose block was replaced, and how many blocks were refused.
  private func updateBlocks(_ outcomes: [NoteOutcome]) -> (Set<CellKey>, Int) {
    var updated = Set<CellKey>()
    var refused = 0
    for case .ran(let result) in outcomes where result.kernelError == nil {
      do {
        let changes = try NoteUpdater.apply(result) { data, url in
          try AtomicFile.replaceContents(of: url, with: data)
        }
        for change in changes { Terminal.progress(change.description) }
        for change in changes {
          switch change.kind {
          case .updated: updated.insert(CellKey(file: result.note.file, cell: change.cell))
          case .added: break
          case .refused: refused += 1
          }
        }
      } catch {
        Terminal.error(Terminal.describe(error))
        refused += 1
      }
    }
    return (updated, refused)
  }
}

/// `--shard K/N` (see `NoteShard`).
struct Shard: ExpressibleByArgument {
  var shard: NoteShard

  init?(argument: String) {
    let parts = argument.split(separator: "/")
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
      let shard = NoteShard(index: index, count: count)
    else { return nil }
    self.shard = shard
  }
}
