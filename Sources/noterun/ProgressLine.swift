import Foundation
import NoteRunKit

/// The line `render` prints per note on stderr, with the verdicts in `check`'s words:
/// `✗ Notes/intro.md  7 passed, 1 failed  first at Notes/intro.md:42  0.08 s`.
enum ProgressLine {
  static func text(_ outcome: NoteOutcome, check: NoteCheck) -> String {
    switch outcome {
    case .unreadable(let error):
      return "✗ \(error)"
    case .ran(let result):
      if let kernelError = result.kernelError {
        return "✗ \(result.note.file)  \(Terminal.withoutPrefix(kernelError))"
      }
      let time = String(format: "%.2f s", result.seconds)
      let counts = check.counts
      guard let first = check.failures.first else { return "✓ \(result.note.file)  \(counts.tally)  \(time)" }
      return
        "✗ \(result.note.file)  \(counts.tally)  first at \(result.note.file):\(first.verdict.line)  \(time)"
    }
  }
}
