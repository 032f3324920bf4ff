import ArgumentParser
import Foundation
import NoteRunKit

struct TraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Run a note and print the suspension trace of its cells as a table.")

  @Argument(help: "A note, optionally with the line of one cell: Notes/intro.md:42.")
  var target: String

  @OptionGroup var options: RunOptions

  func run() throws {
    Interruption.install()
    var path = target
    var line: Int?
    if let colon = target.lastIndex(of: ":"), let number = Int(target[target.index(after: colon)...]) {
      path = String(target[..<colon])
      line = number
    }
    guard let file = try options.noteFiles([path]).first else {
      Terminal.error("\(path): not a note")
      throw ExitCode(2)
    }
    try options.requireInterpreter()
    let result: NoteResult
    switch options.batch.run(file) {
    case .unreadable(let error):
      Terminal.error(error.description)
      throw ExitCode(2)
    case .ran(let ran):
      result = ran
    }
    if let kernelError = result.kernelError {
      Terminal.error(kernelError)
      throw ExitCode(2)
    }
    let cells = result.note.cells.filter { cell in
      line.map { (cell.line...cell.endLine).contains($0) } ?? true
    }
    guard !cells.isEmpty else {
      Terminal.error("\(target): no cell at that line")
      throw ExitCode(2)
    }
    for cell in cells {
      let cellResult = result.cells[cell.index]
      var header = "\(result.note.location(cell.line))  cell \(cell.index + 1)  \(cellResult.status.rawValue)"
      header += String(
        format: "  %.3f s on the %@ clock", cellResult.clockSeconds,
        cellResult.trace?.clock.rawValue ?? "cell's")
      Terminal.output(header + "\n")
      if let trace = cellResult.trace, !trace.events.isEmpty || !trace.waiting.isEmpty || trace.omitted != nil
      {
        Terminal.output(TerminalEscaping.harmless(TraceTable.text(trace)) + "\n")
      } else {
        let reason =
          cellResult.status == .notRun ? "not run" : cellResult.trace == nil ? "no trace" : "no asyncio tasks"
        Terminal.output("  (\(reason))\n\n")
      }
    }
  }
}
