import ArgumentParser
import Foundation
import NoteRunKit
import Synchronization

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Run notes and write one HTML page per note, plus index.html.")

  @Argument(help: "Notes: Markdown files, or folders searched for *.md.")
  var paths: [String] = ["Notes"]

  @Option(name: .shortAndLong, help: "The folder pages are written to.")
  var output = "output"

  @Flag(help: "Exit 1 when any cell fails, as check would count it.")
  var strict = false

  @Flag(help: "Show wall-clock times on pages (then equal runs no longer give equal pages).")
  var timings = false

  @OptionGroup var options: RunOptions

  func run() throws {
    Interruption.install()
    let began = ContinuousClock.now
    let files = try options.noteFiles(paths)
    try Terminal.requireFolder(output, option: "-o")
    try options.requireOutsideNotes(output, paths)
    try options.requireInterpreter()
    let writer = SiteWriter(
      layout: OutputLayout(
        output: URL(fileURLWithPath: output), roots: NoteFinder.roots(of: paths), notes: files,
        keeping: SiteManifest.records(in: URL(fileURLWithPath: output))),
      renderer: PageRenderer(timings: timings))
    do {
      try OutputPlacement.checkPages(of: files, in: writer.layout)
    } catch {
      Terminal.error(error.description)
      throw ExitCode(2)
    }
    let writeErrors = Mutex([String]())
    let progress = InOrder<(NoteOutcome, String)> { outcome, line in
      Terminal.warnings(outcome)
      Terminal.progress(line)
    }
    let checks = Mutex([NoteCheck]())
    let outcomes = options.batch.run(files) { index, outcome in
      let check = outcome.check
      checks.withLock { $0.append(check) }
      if case .ran(let result) = outcome {
        do {
          try writer.write(result, check: check)
        } catch {
          writeErrors.withLock { $0.append(Terminal.describe(error)) }
        }
      }
      progress.add((outcome, ProgressLine.text(outcome, check: check)), at: index)
    }
    var wroteIndex = true
    do {
      try writer.writeIndex(Array(zip(files, outcomes)))
    } catch {
      wroteIndex = false
      writeErrors.withLock { $0.append(Terminal.describe(error)) }
    }
    for error in writeErrors.withLock({ $0 }) { Terminal.error(error) }

    let results = outcomes.compactMap { if case .ran(let result) = $0 { result } else { nil } }
    let unreadable = outcomes.count - results.count
    let counts = CheckCounts(checks.withLock { $0 })
    let noKernel = results.filter { $0.kernelError != nil }.count
    let seconds = (ContinuousClock.now - began) / .seconds(1)
    var summary = "rendered \(results.count) of \(outcomes.count) notes: \(counts.summary)"
    if unreadable > 0 { summary += ", \(unreadable) unreadable" }
    summary += String(format: " in %.2f s", seconds)
    // Only a path that was written is named.
    if wroteIndex { summary += " → \(writer.layout.index.path)" }
    Terminal.progress(summary)

    if unreadable > 0 || noKernel > 0 || !writeErrors.withLock({ $0.isEmpty })
      || (strict && counts.failed > 0)
    {
      throw ExitCode(1)
    }
  }
}
