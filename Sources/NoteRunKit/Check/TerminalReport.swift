import Foundation

/// What `noterun check` prints: one line per note, each failure at its `file:line` with
/// its diff or traceback, and a closing summary line.
public struct TerminalReport: Sendable {
  /// ANSI colours; the command line decides (a terminal, and NO_COLOR unset).
  public var color: Bool

  public init(color: Bool) {
    self.color = color
  }

  /// Everything a note or a cell wrote (reasons, tracebacks, diff lines) goes through
  /// `TerminalEscaping.harmless` before it is coloured.
  public func render(_ notes: [NoteCheck], seconds: Double) -> String {
    var lines = notes.map { note in
      let counts = note.counts
      let mark = counts.failed > 0 ? paint("✗", .red) : paint("✓", .green)
      return "\(mark) \(TerminalEscaping.harmless(note.file))  \(counts.tally)"
    }
    for note in notes {
      for (_, verdict) in note.failures {
        lines.append("")
        let sentence = verdict.reason.words.sentence
        lines.append(paint(TerminalEscaping.harmless("\(note.file):\(verdict.line): \(sentence)"), .bold))
        if let details = verdict.details { lines += indented(TerminalEscaping.harmless(details)) }
        if let diff = verdict.diff { lines += diffLines(diff).map { "  " + $0 } }
      }
      for unfinished in note.unfinished {
        lines.append("")
        lines.append(
          TerminalEscaping.harmless(
            "\(note.file):\(unfinished.line): note: never finished: \(unfinished.task.description) when the note ended"
          ))
      }
    }
    lines.append("")
    // Plain even in colour: CI log parsers read this line.
    lines.append(Self.summary(CheckCounts(notes), seconds: seconds))
    return lines.joined(separator: "\n") + "\n"
  }

  /// "112 passed, 2 failed, 3 skipped in 0.41 s"
  public static func summary(_ counts: CheckCounts, seconds: Double) -> String {
    "\(counts.summary) in \(String(format: "%.2f", seconds)) s"
  }

  private func indented(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
    if text.hasSuffix("\n") { lines.removeLast() }
    return lines
  }

  private func diffLines(_ diff: UnifiedDiff) -> [String] {
    guard !diff.isEmpty else { return [] }
    let header = [
      paint(TerminalEscaping.harmless("--- \(diff.expectedLabel)"), .bold),
      paint(TerminalEscaping.harmless("+++ \(diff.actualLabel)"), .bold),
    ]
    return header
      + diff.hunks.flatMap { hunk in
        [paint(hunk.header, .cyan)]
          + hunk.lines.map { line in
            let marked = TerminalEscaping.harmless(line.marked)
            return switch line.kind {
            case .context: marked
            case .removed: paint(marked, .red)
            case .added: paint(marked, .green)
            }
          }
      }
  }

  private enum Style: String {
    case bold = "1"
    case red = "31"
    case green = "32"
    case cyan = "36"
  }

  private func paint(_ text: String, _ style: Style) -> String {
    color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
  }
}
