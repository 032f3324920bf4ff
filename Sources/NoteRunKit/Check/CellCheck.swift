import Foundation

/// One checked cell: its verdict, and what the reports show about it.
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
  public var seconds: Double

  public init(
    cell: Int, line: Int, status: CellStatus, verdict: CellVerdict, expected: String?, actual: String,
    seconds: Double
  ) {
    self.cell = cell
    self.line = line
    self.status = status
    self.verdict = verdict
    self.expected = expected
    self.actual = actual
    self.seconds = seconds
  }

  /// Judges a cell of the note at `file` by what running it produced.
  public init(cell: Cell, result: CellResult, file: String) {
    let printed = result.printed
    self.init(
      cell: cell.index, line: cell.line, status: result.status,
      verdict: Self.verdict(cell: cell, result: result, printed: printed, file: file),
      expected: cell.expected?.text, actual: printed, seconds: result.seconds)
  }

  private static func verdict(cell: Cell, result: CellResult, printed: String, file: String) -> CellVerdict {
    let outputFailure = cell.expected.flatMap { block -> CheckFailure? in
      if OutputMatcher.matches(expected: block.text, actual: printed) { return nil }
      let dropped = result.droppedBytes > 0 ? " (\(result.droppedBytes) bytes of output were dropped)" : ""
      return CheckFailure(
        line: block.line, reason: "printed output differs from the expected output" + dropped,
        type: "output-mismatch", isError: false,
        diff: UnifiedDiff(
          expected: block.text, actual: printed, expectedLabel: "expected (\(file):\(block.line))"))
    }
    switch result.status {
    case .notRun:
      return .skipped
    case .ok, .expectedError:
      return outputFailure.map(CellVerdict.failed) ?? .passed
    case .missingError:
      return .failed(
        CheckFailure(
          line: cell.line, reason: "expected \(cell.options.raises ?? "an exception"), nothing was raised",
          type: result.status.rawValue, isError: false, diff: outputFailure?.diff))
    case .error:
      return .failed(unexpectedError(cell: cell, result: result, file: file))
    case .invalidOptions:
      let problem = cell.optionError
      return .failed(
        CheckFailure(
          line: problem?.line ?? cell.line,
          reason: problem?.message ?? result.message ?? "invalid cell options",
          type: result.status.rawValue, isError: true))
    case .timedOut, .kernelDied, .deadlock, .budget:
      let (reason, details) = Self.split(result.message ?? defaultMessage(result.status))
      return .failed(
        CheckFailure(
          line: cell.line, reason: reason, type: result.status.rawValue, isError: true, details: details))
    }
  }

  private static func unexpectedError(cell: Cell, result: CellResult, file: String) -> CheckFailure {
    guard let error = result.error else {
      let (reason, details) = split(result.message ?? "raised an exception")
      return CheckFailure(line: cell.line, reason: reason, type: "error", isError: true, details: details)
    }
    let (message, _) = split(error.message)
    var reason = message.isEmpty ? "raised \(error.type)" : "raised \(error.type): \(message)"
    var line = cell.line
    if let errorLine = error.line, let errorFile = error.file {
      if errorFile == file {
        line = errorLine
      } else {
        reason += " (at \(errorFile):\(errorLine))"
      }
    }
    if let raises = cell.options.raises {
      reason += ", expected \(raises)" + (cell.options.match.map { " matching \"\($0)\"" } ?? "")
    }
    return CheckFailure(
      line: line, reason: reason, type: error.type, isError: true,
      details: error.traceback.isEmpty ? nil : error.traceback)
  }

  private static func defaultMessage(_ status: CellStatus) -> String {
    switch status {
    case .timedOut: "timed out"
    case .kernelDied: "the Python kernel died"
    case .deadlock: "deadlock: every task is waiting and nothing can wake one"
    case .budget: "the virtual time budget ran out"
    default: status.rawValue
    }
  }

  /// The first line of `text` as a reason, and the whole text as details when it has more.
  private static func split(_ text: String) -> (String, String?) {
    let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let first = String(lines.first ?? "").trimmingCharacters(in: .whitespaces)
    return lines.count > 1 ? (first, text) : (first, nil)
  }
}
