import Foundation

/// One checked cell: its verdict, and what the reports show about it. This is where a
/// cell's result is judged; everything that shows a verdict takes it from here.
public struct CellCheck: Sendable, Hashable {
  public var cell: Int
  /// Line of the cell's opening fence: names the cell in reports.
  public var line: Int
  public var status: CellStatus
  public var verdict: CellVerdict
  /// The content of the cell's `output` block, if it has one.
  public var expected: String?
  /// What the cell printed, as compared with the block.
  public var actual: String
  /// Whether the printed output matched the block: nil without a block or when the cell
  /// did not run. An error cell's output is compared too, for the page, though its verdict
  /// is the error.
  public var outputMatches: Bool?
  public var seconds: Double

  public init(
    cell: Int, line: Int, status: CellStatus, verdict: CellVerdict, expected: String?, actual: String,
    outputMatches: Bool? = nil, seconds: Double
  ) {
    self.cell = cell
    self.line = line
    self.status = status
    self.verdict = verdict
    self.expected = expected
    self.actual = actual
    self.outputMatches = outputMatches
    self.seconds = seconds
  }

  /// Judges a cell of the note at `file` by what running it produced.
  public init(cell: Cell, result: CellResult, file: String) {
    let printed = result.printed
    let matches =
      result.status == .notRun
      ? nil : cell.expected.map { OutputMatcher.matches(expected: $0.text, actual: printed) }
    self.init(
      cell: cell.index, line: cell.line, status: result.status,
      verdict: Self.verdict(cell: cell, result: result, printed: printed, matches: matches, file: file),
      expected: cell.expected?.text, actual: printed, outputMatches: matches, seconds: result.seconds)
  }

  private static func verdict(
    cell: Cell, result: CellResult, printed: String, matches: Bool?, file: String
  ) -> CellVerdict {
    let diff = cell.expected.flatMap { block in
      matches == false
        ? UnifiedDiff(
          expected: block.text, actual: printed, expectedLabel: "expected (\(file):\(block.line))")
        : nil
    }
    switch result.status {
    case .notRun:
      return CellVerdict(reason: result.skipReason.map(VerdictReason.skipped) ?? .notRun, line: cell.line)
    case .ok, .expectedError:
      if let block = cell.expected, matches == false {
        return CellVerdict(
          reason: .outputDiffers(droppedBytes: result.droppedBytes), line: block.line, diff: diff)
      }
      let reason: VerdictReason =
        result.status == .ok
        ? .ran : .raisedAsExpected(type: result.error?.type ?? cell.options.raises ?? "an exception")
      return CellVerdict(reason: reason, line: cell.line)
    case .missingError:
      return CellVerdict(
        reason: .nothingRaised(expected: cell.options.raises ?? "an exception", match: cell.options.match),
        line: cell.line, diff: diff)
    case .error:
      return unexpectedError(cell: cell, result: result, file: file)
    case .invalidOptions:
      let problem = cell.optionError
      return CellVerdict(
        reason: .invalidOptions(problem?.message ?? result.message ?? "invalid cell options"),
        line: problem?.line ?? cell.line)
    case .timedOut:
      return stopped(VerdictReason.timedOut, result.message ?? "timed out", line: cell.line)
    case .kernelDied:
      return stopped(VerdictReason.kernelDied, result.message ?? "the Python kernel died", line: cell.line)
    case .budget:
      return stopped(
        VerdictReason.timeBudget, result.message ?? "the virtual time budget ran out", line: cell.line)
    case .deadlock:
      return CellVerdict(reason: .deadlock, line: cell.line, details: result.trace.flatMap(waiting))
    }
  }

  /// A cell that was stopped: the first line of the kernel's account as the reason, the
  /// whole account as details when it has more lines.
  private static func stopped(_ reason: (String) -> VerdictReason, _ text: String, line: Int) -> CellVerdict {
    let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let first = String(lines.first ?? "").trimmingCharacters(in: .whitespaces)
    return CellVerdict(reason: reason(first), line: line, details: lines.count > 1 ? text : nil)
  }

  private static func unexpectedError(cell: Cell, result: CellResult, file: String) -> CellVerdict {
    let error =
      result.error
      ?? CellError(type: "an exception", mro: [], message: "", traceback: "", file: nil, line: nil)
    let message = String(
      error.message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    ).trimmingCharacters(in: .whitespaces)
    var line = cell.line
    var elsewhere: String?
    if let errorLine = error.line, let errorFile = error.file {
      if errorFile == file { line = errorLine } else { elsewhere = "\(errorFile):\(errorLine)" }
    }
    var details = error.traceback.isEmpty ? nil : error.traceback
    // Set only when the run could not apply `match=` (an invalid pattern).
    if let why = result.message { details = why + "\n" + (details ?? "") }
    return CellVerdict(
      reason: .raised(
        type: error.type, message: message, elsewhere: elsewhere, expected: cell.options.raises,
        match: cell.options.raises == nil ? nil : cell.options.match),
      line: line, details: details)
  }

  /// The tasks a deadlock left waiting, as the page lists them.
  private static func waiting(_ trace: Trace) -> String? {
    guard !trace.waiting.isEmpty else { return nil }
    let names = Dictionary(trace.tasks.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    return trace.waiting.map { task in
      "\(names[task.task] ?? "task \(task.task)") awaits \(task.what)\n"
    }.joined()
  }
}
