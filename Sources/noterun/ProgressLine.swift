import Foundation
import NoteRunKit

/// The line `render` prints per note on stderr: `✓ Notes/intro.md  12 cells  0.08 s`.
enum ProgressLine {
  static func text(_ outcome: NoteOutcome) -> String {
    switch outcome {
    case .unreadable(let error):
      return "✗ \(error)"
    case .ran(let result):
      let cells = result.note.cells.count == 1 ? "1 cell" : "\(result.note.cells.count) cells"
      let time = String(format: "%.2f s", result.seconds)
      if let kernelError = result.kernelError {
        return "✗ \(result.note.file)  \(cells)  \(Terminal.withoutPrefix(kernelError))"
      }
      let failures = result.failures
      guard let first = failures.first else { return "✓ \(result.note.file)  \(cells)  \(time)" }
      let count = failures.count == 1 ? "1 error" : "\(failures.count) errors"
      return "✗ \(result.note.file)  \(cells)  \(count) at \(location(of: first, in: result.note))  \(time)"
    }
  }

  /// Where a failure is best looked at: the line that raised, else the cell.
  static func location(of failure: CellResult, in note: Note) -> String {
    if let error = failure.error, let file = error.file, let line = error.line { return "\(file):\(line)" }
    return note.location(note.cells[failure.cell].line)
  }
}
