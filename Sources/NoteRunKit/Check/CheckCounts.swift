/// How many cells passed, failed and were skipped; a note that could not be checked
/// counts as one failure.
public struct CheckCounts: Sendable, Hashable {
  public var passed = 0
  public var failed = 0
  public var skipped = 0

  public init(passed: Int, failed: Int, skipped: Int) {
    self.passed = passed
    self.failed = failed
    self.skipped = skipped
  }

  public init(_ notes: [NoteCheck]) {
    for note in notes {
      if note.problem != nil { failed += 1 }
      for cell in note.cells {
        switch cell.verdict.outcome {
        case .passed: passed += 1
        case .failed: failed += 1
        case .skipped: skipped += 1
        }
      }
    }
  }

  /// "112 passed, 2 failed, 3 skipped": the shape CI log parsers read.
  public var summary: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }

  /// The non-zero counts, for one note or a page: "7 passed, 1 failed", or "no cells".
  public var tally: String {
    let parts = [(passed, "passed"), (failed, "failed"), (skipped, "skipped")]
      .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
    return parts.isEmpty ? "no cells" : parts.joined(separator: ", ")
  }
}
