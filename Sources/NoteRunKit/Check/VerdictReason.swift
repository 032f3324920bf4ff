/// Why a cell passed, failed or was skipped, with the facts that say so. `words` is the
/// only place a reason becomes text, so a page, a progress line and a CI report never
/// word one verdict differently.
public enum VerdictReason: Sendable, Hashable {
  /// Ran and printed what its output block says (or has no block).
  case ran
  /// Raised what its `raises=` says, and printed what its block says.
  case raisedAsExpected(type: String)
  /// `norun`: shown, not run.
  case notRun
  /// Not run, for a reason the run gave ("requires Python 3.12").
  case skipped(String)
  /// Printed something other than its output block.
  case outputDiffers(droppedBytes: Int)
  /// Raised an exception it was not expected to raise. `elsewhere` is `file:line` when
  /// that is outside the note; `expected` and `match` are the cell's `raises=` and `match=`.
  case raised(type: String, message: String, elsewhere: String?, expected: String?, match: String?)
  /// `raises=` was set but the cell finished without raising.
  case nothingRaised(expected: String, match: String?)
  /// Stopped by the wall-clock timeout; the kernel says after how long and how.
  case timedOut(String)
  /// The kernel died or could not start; the first line of what happened.
  case kernelDied(String)
  /// Every task was waiting and nothing could wake one (virtual clock).
  case deadlock
  /// Stopped by the virtual-time budget.
  case timeBudget(String)
  /// Not run: an option of the cell is unknown or has a bad value (what is wrong, with a
  /// suggestion).
  case invalidOptions(String)
  /// The note could not be read, parsed or run at all.
  case noteProblem(String)

  public var outcome: CellVerdict.Outcome {
    switch self {
    case .ran, .raisedAsExpected: .passed
    case .notRun, .skipped: .skipped
    case .outputDiffers, .raised, .nothingRaised, .timedOut, .kernelDied, .deadlock, .timeBudget,
      .invalidOptions, .noteProblem:
      .failed
    }
  }

  /// The reason in words: a short label for badges and chips, and the sentence reports
  /// print after `file:line`.
  public var words: (label: String, sentence: String) {
    switch self {
    case .ran:
      return ("passed", "passed")
    case .raisedAsExpected(let type):
      return ("passed", "raised \(type), as expected")
    case .notRun:
      return ("skipped", "skipped: norun")
    case .skipped(let why):
      return ("skipped", "skipped: \(why)")
    case .outputDiffers(let dropped):
      let note = dropped > 0 ? " (\(dropped) bytes of output were dropped)" : ""
      return ("output differs", "printed output differs from the expected output" + note)
    case .raised(let type, let message, let elsewhere, let expected, let match):
      var sentence = message.isEmpty ? "raised \(type)" : "raised \(type): \(message)"
      if let elsewhere { sentence += " (at \(elsewhere))" }
      if let expected { sentence += ", expected \(Self.expectation(expected, match))" }
      return ("raised \(type)", sentence)
    case .nothingRaised(let expected, let match):
      return ("nothing raised", "expected \(Self.expectation(expected, match)), nothing was raised")
    case .timedOut(let detail):
      return ("timed out", detail)
    case .kernelDied(let detail):
      return ("kernel died", detail)
    case .deadlock:
      return ("deadlock", "deadlock: every task is waiting and nothing can wake one")
    case .timeBudget(let detail):
      return ("time budget", detail)
    case .invalidOptions(let message):
      return ("invalid options", message)
    case .noteProblem(let message):
      return ("not checked", message)
    }
  }

  /// A stable name for machines (JSON `type`, JUnit, CSS classes): "passed",
  /// "expected-error", "not-run", "skipped", "output-mismatch", "error", "missing-error",
  /// "timed-out", "kernel-died", "deadlock", "time-budget", "invalid-options", "note-error".
  public var code: String {
    switch self {
    case .ran: "passed"
    case .raisedAsExpected: "expected-error"
    case .notRun: "not-run"
    case .skipped: "skipped"
    case .outputDiffers: "output-mismatch"
    case .raised: "error"
    case .nothingRaised: "missing-error"
    case .timedOut: "timed-out"
    case .kernelDied: "kernel-died"
    case .deadlock: "deadlock"
    case .timeBudget: "time-budget"
    case .invalidOptions: "invalid-options"
    case .noteProblem: "note-error"
    }
  }

  /// The cell did not finish as it should (raised, hung, died), rather than printing
  /// something other than its block or not raising.
  public var isError: Bool {
    switch self {
    case .raised, .timedOut, .kernelDied, .deadlock, .timeBudget, .invalidOptions, .noteProblem: true
    case .ran, .raisedAsExpected, .notRun, .skipped, .outputDiffers, .nothingRaised: false
    }
  }

  private static func expectation(_ expected: String, _ match: String?) -> String {
    expected + (match.map { " matching \"\($0)\"" } ?? "")
  }
}
