/// How one cell fared in `check`.
public enum CellVerdict: Sendable, Hashable {
  case passed
  case failed(CheckFailure)
  /// `norun` cells, and cells that were never run.
  case skipped
}

/// Why a cell failed `check`, and what to show the reader.
public struct CheckFailure: Sendable, Hashable {
  /// The line the failure points at: where the error was raised in the note, the output
  /// block that differs, or the cell.
  public var line: Int
  /// One line for humans: "raised NameError: name 'x' is not defined".
  public var reason: String
  /// A short machine-readable kind: "output-mismatch", "missing-error", "timed-out",
  /// "kernel-died", "deadlock", "time-budget", or the exception's class name.
  public var type: String
  /// The cell did not finish as it should (raised, hung, died) rather than printing
  /// something other than its block or not raising.
  public var isError: Bool
  /// Expected block against printed output, when the printed output differs.
  public var diff: UnifiedDiff?
  /// More text for the reader: a traceback, or the waiting tasks of a deadlock.
  public var details: String?

  public init(
    line: Int, reason: String, type: String, isError: Bool, diff: UnifiedDiff? = nil,
    details: String? = nil
  ) {
    self.line = line
    self.reason = reason
    self.type = type
    self.isError = isError
    self.diff = diff
    self.details = details
  }
}
