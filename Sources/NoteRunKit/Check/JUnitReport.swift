import Foundation

/// `check --junit FILE`: JUnit XML as CI servers read it: a testsuite per note, a
/// testcase per cell named `note.md:LINE`, a failure with the diff or traceback as text.
public struct JUnitReport: Sendable {
  public init() {}

  public func render(_ notes: [NoteCheck], seconds: Double) -> String {
    let total = CheckCounts(notes)
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml += "<testsuites name=\"noterun check\"\(Self.counts(total, tests: Self.tests(notes)))"
    xml += " time=\"\(Self.time(seconds))\">\n"
    for note in notes {
      xml +=
        "  <testsuite name=\"\(Self.escape(note.file))\"\(Self.counts(note.counts, tests: Self.tests([note])))"
      xml += " time=\"\(Self.time(note.seconds))\">\n"
      if let problem = note.problem {
        xml += testcase(
          note: note, line: problem.line, seconds: note.seconds, verdict: CellVerdict(problem: problem))
      }
      for cell in note.cells {
        xml += testcase(note: note, line: cell.line, seconds: cell.seconds, verdict: cell.verdict)
      }
      xml += "  </testsuite>\n"
    }
    return xml + "</testsuites>\n"
  }

  private func testcase(note: NoteCheck, line: Int, seconds: Double, verdict: CellVerdict) -> String {
    let name = "\(note.file.split(separator: "/").last.map(String.init) ?? note.file):\(line)"
    let open =
      "    <testcase name=\"\(Self.escape(name))\" classname=\"\(Self.escape(note.file))\""
      + " time=\"\(Self.time(seconds))\""
    let sentence = verdict.reason.words.sentence
    switch verdict.outcome {
    case .passed: return open + "/>\n"
    case .skipped:
      return open + ">\n      <skipped message=\"\(Self.escape(sentence))\"/>\n    </testcase>\n"
    case .failed: break
    }
    var text = "\(note.file):\(verdict.line): \(sentence)\n"
    if let details = verdict.details { text += details.hasSuffix("\n") ? details : details + "\n" }
    if let diff = verdict.diff { text += diff.description }
    return open + ">\n"
      + "      <failure message=\"\(Self.escape(sentence))\" type=\"\(Self.escape(JSONReport.type(verdict.reason)))\">"
      + Self.escape(text, inAttribute: false) + "</failure>\n    </testcase>\n"
  }

  private static func tests(_ notes: [NoteCheck]) -> Int {
    notes.reduce(0) { $0 + $1.cells.count + ($1.problem == nil ? 0 : 1) }
  }

  private static func counts(_ counts: CheckCounts, tests: Int) -> String {
    " tests=\"\(tests)\" failures=\"\(counts.failed)\" errors=\"0\" skipped=\"\(counts.skipped)\""
  }

  private static func time(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

  /// Escapes markup, keeps line breaks and tabs through attribute normalisation, and
  /// replaces what XML 1.0 forbids: C0 controls become their visible Control Pictures
  /// (U+2400…), U+FFFE and U+FFFF become U+FFFD.
  static func escape(_ text: String, inAttribute: Bool = true) -> String {
    var escaped = ""
    escaped.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"" where inAttribute: escaped += "&quot;"
      case "\n" where inAttribute: escaped += "&#10;"
      case "\t" where inAttribute: escaped += "&#9;"
      case "\r": escaped += "&#13;"
      case "\n", "\t": escaped.unicodeScalars.append(scalar)
      case "\u{0}"..."\u{1F}": escaped.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
      case "\u{FFFE}", "\u{FFFF}": escaped += "\u{FFFD}"
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }
}
