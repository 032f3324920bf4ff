import Foundation

/// `check --format json`: one JSON object per line per cell (and per note that could not
/// be checked), for scripts. Keys come in one fixed order, so equal runs print equal bytes:
/// file, line, status, reason, failureLine, type, expected, actual, seconds.
public struct JSONReport: Sendable {
  public init() {}

  public func render(_ notes: [NoteCheck]) -> String {
    notes.flatMap(Self.records).joined()
  }

  /// `type` of a failure: the exception's class name for an unexpected error, else the
  /// reason's code.
  static func type(_ reason: VerdictReason) -> String {
    if case .raised(let type, _, _, _, _) = reason { return type }
    return reason.code
  }

  /// One cell's line. `status` is passed, failed (wrong output, missing exception),
  /// skipped, or error (raised unexpectedly, hung, died); `reason`, `failureLine` and
  /// `type` are null unless it failed.
  private static func record(
    file: String, line: Int, verdict: CellVerdict, expected: String?, actual: String?, seconds: Double
  ) -> String {
    let failed = verdict.failed
    let status =
      switch verdict.outcome {
      case .passed: "passed"
      case .skipped: "skipped"
      case .failed: verdict.reason.isError ? "error" : "failed"
      }
    let fields: [(String, String)] = [
      ("file", string(file)),
      ("line", "\(line)"),
      ("status", string(status)),
      ("reason", failed ? string(verdict.reason.words.sentence) : "null"),
      ("failureLine", failed ? "\(verdict.line)" : "null"),
      ("type", failed ? string(type(verdict.reason)) : "null"),
      ("expected", expected.map(string) ?? "null"),
      ("actual", actual.map(string) ?? "null"),
      ("seconds", milliseconds(seconds)),
    ]
    return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}\n"
  }

  private static func records(_ note: NoteCheck) -> [String] {
    let problem = note.problem.map {
      record(
        file: note.file, line: $0.line, verdict: CellVerdict(problem: $0), expected: nil, actual: nil,
        seconds: note.seconds)
    }
    return (problem.map { [$0] } ?? [])
      + note.cells.map { cell in
        record(
          file: note.file, line: cell.line, verdict: cell.verdict, expected: cell.expected,
          actual: cell.actual,
          seconds: cell.seconds)
      }
  }

  /// Seconds rounded to the millisecond, and always a number JSON can hold.
  private static func milliseconds(_ seconds: Double) -> String {
    String(format: "%.3f", seconds.isFinite ? seconds : 0)
  }

  /// A JSON string: quotes, backslashes and control characters escaped, the rest as is
  /// (UTF-8); U+2028 and U+2029 escaped too, for readers that embed lines in JavaScript.
  static func string(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": quoted += "\\\""
      case "\\": quoted += "\\\\"
      case "\n": quoted += "\\n"
      case "\r": quoted += "\\r"
      case "\t": quoted += "\\t"
      case "\u{0}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
        quoted += String(format: "\\u%04x", scalar.value)
      default: quoted.unicodeScalars.append(scalar)
      }
    }
    return quoted + "\""
  }
}
