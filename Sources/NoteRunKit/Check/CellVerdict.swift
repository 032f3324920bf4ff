/// How one cell fared. `CellCheck` decides it once, from what running the cell produced;
/// pages, the index, progress lines and every report show it, in the words of its reason.
public struct CellVerdict: Sendable, Hashable {
  public enum Outcome: String, Sendable, Hashable {
    case passed
    case failed
    case skipped
  }

  public var reason: VerdictReason
  /// The line the verdict points at: where the error was raised in the note, the output
  /// block that differs, or the cell.
  public var line: Int
  /// Expected block against printed output, when the printed output differs.
  public var diff: UnifiedDiff?
  /// More text for the reader: a traceback, or the tasks a deadlock left waiting.
  public var details: String?

  public init(reason: VerdictReason, line: Int, diff: UnifiedDiff? = nil, details: String? = nil) {
    self.reason = reason
    self.line = line
    self.diff = diff
    self.details = details
  }

  public var outcome: Outcome { reason.outcome }
  public var failed: Bool { outcome == .failed }
}
