import Foundation

/// `check --format json`: one JSON object per line per cell (and per note that could not
/// be checked), for scripts.
public struct JSONReport: Sendable {
  public init() {}

  /// One cell's line. `status` is passed, failed (wrong output, missing exception),
  /// skipped, or error (raised unexpectedly, hung, died).
  struct Record: Encodable {
    var file: String
    /// The cell's opening fence.
    var line: Int
    var status: String
    var reason: String?
    /// Where a failure points (the error's line, the output block), when it failed.
    var failureLine: Int?
    var type: String?
    var expected: String?
    var actual: String?
    var seconds: Double

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(file, forKey: .file)
      try container.encode(line, forKey: .line)
      try container.encode(status, forKey: .status)
      try container.encode(reason, forKey: .reason)
      try container.encode(failureLine, forKey: .failureLine)
      try container.encode(type, forKey: .type)
      try container.encode(expected, forKey: .expected)
      try container.encode(actual, forKey: .actual)
      try container.encode(seconds, forKey: .seconds)
    }

    enum CodingKeys: String, CodingKey {
      case file, line, status, reason, failureLine, type, expected, actual, seconds
    }
  }

  public func render(_ notes: [NoteCheck]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return notes.flatMap(Self.records).map {
      String(decoding: try! encoder.encode($0), as: UTF8.self) + "\n"
    }.joined()
  }

  /// Seconds rounded to the millisecond, and always a number JSON can hold.
  private static func milliseconds(_ seconds: Double) -> Double {
    seconds.isFinite ? (seconds * 1000).rounded() / 1000 : 0
  }

  private static func records(_ note: NoteCheck) -> [Record] {
    let problem = note.problem.map {
      Record(
        file: note.file, line: $0.line, status: "error", reason: $0.message, failureLine: $0.line,
        type: "note-error",
        seconds: milliseconds(note.seconds))
    }
    return (problem.map { [$0] } ?? [])
      + note.cells.map { cell in
        var record = Record(
          file: note.file, line: cell.line, status: "passed", expected: cell.expected, actual: cell.actual,
          seconds: milliseconds(cell.seconds))
        switch cell.verdict {
        case .passed: break
        case .skipped: record.status = "skipped"
        case .failed(let failure):
          record.status = failure.isError ? "error" : "failed"
          record.reason = failure.reason
          record.type = failure.type
          record.failureLine = failure.line
        }
        return record
      }
  }
}
