import ArgumentParser
import Foundation
import NoteRunKit

struct TraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Run a note and print the suspension trace of its cells: a table, JSON or Perfetto JSON.")

  @Argument(help: "A note, optionally with the line of one cell: Notes/intro.md:42.")
  var target: String

  @Option(help: "table, json (noterun's trace schema) or perfetto (Chrome Trace Event JSON).")
  var format: TraceExport.Format = .table

  @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
  var output: String?

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
    if let output {
      do {
        try OutputPlacement.checkFile(URL(fileURLWithPath: output), option: "-o", notes: [file])
      } catch {
        Terminal.error(error.description)
        throw ExitCode(2)
      }
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
    let text = TraceExport.text(result, cells: cells, format: format)
    if let output {
      try AtomicFile.write(text, to: URL(fileURLWithPath: output))
    } else {
      Terminal.output(format == .table ? TerminalEscaping.harmless(text) : text)
    }
  }
}
