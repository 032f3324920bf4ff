/// `check --format github`: one workflow command per failure, so GitHub Actions shows it
/// as an annotation on the note's line; a task that never finished is a notice.
public struct GitHubReport: Sendable {
  public init() {}

  public func render(_ notes: [NoteCheck]) -> String {
    notes.flatMap { note in
      note.failures.map { _, verdict in
        let sentence = verdict.reason.words.sentence
        let properties = [
          "file=" + Self.escapeProperty(note.file),
          "line=\(verdict.line)",
          "title=" + Self.escapeProperty(sentence),
        ]
        let message = [verdict.details, verdict.diff.map(\.description)].compactMap { $0 }.joined(
          separator: "\n")
        return "::error \(properties.joined(separator: ","))::"
          + Self.escapeData(message.isEmpty ? sentence : message) + "\n"
      }
        + note.unfinished.map { unfinished in
          "::notice file=\(Self.escapeProperty(note.file)),line=\(unfinished.line),title=never finished::"
            + Self.escapeData("\(unfinished.task.description) when the note ended") + "\n"
        }
    }.joined()
  }

  /// GitHub's escaping of a command's message.
  static func escapeData(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": escaped += "%25"
      case "\r": escaped += "%0D"
      case "\n": escaped += "%0A"
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }

  /// GitHub's escaping of a command's property value.
  static func escapeProperty(_ text: String) -> String {
    escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
  }
}
