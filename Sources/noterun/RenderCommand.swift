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

  @Flag(help: "Exit non-zero when any cell fails unexpectedly.")
  var strict = false

  @OptionGroup var options: RunOptions

  func run() throws {
    Interruption.install()
    let began = ContinuousClock.now
    let files = try options.noteFiles(paths)
    try options.requireInterpreter()
    let writer = SiteWriter(layout: OutputLayout(output: URL(fileURLWithPath: output)))
    let writeErrors = Mutex([String]())
    let outcomes = options.batch.run(files) { outcome in
      if case .ran(let result) = outcome {
        do {
          try writer.write(result)
        } catch {
          writeErrors.withLock { $0.append("\(error)") }
        }
      }
      Terminal.warnings(outcome)
      Terminal.progress(ProgressLine.text(outcome))
    }
    do {
      try writer.writeIndex(outcomes)
    } catch {
      writeErrors.withLock { $0.append("\(error)") }
    }
    for error in writeErrors.withLock({ $0 }) { Terminal.error(error) }

    let results = outcomes.compactMap { if case .ran(let result) = $0 { result } else { nil } }
    let unreadable = outcomes.count - results.count
    let cells = results.reduce(0) { $0 + $1.note.cells.count }
    let failures = results.reduce(0) { $0 + $1.failures.count }
    let noKernel = results.filter { $0.kernelError != nil }.count
    let seconds = (ContinuousClock.now - began) / .seconds(1)
    var summary = "rendered \(results.count) of \(outcomes.count) notes, \(cells) cells, \(failures) failed"
    if unreadable > 0 { summary += ", \(unreadable) unreadable" }
    Terminal.progress(summary + String(format: " in %.2f s → %@", seconds, writer.layout.index.path))

    if unreadable > 0 || noKernel > 0 || !writeErrors.withLock({ $0.isEmpty }) || (strict && failures > 0) {
      throw ExitCode(1)
    }
  }
}
