import Yams

/// A block of YAML `key: value` lines inside a note (front matter, `#|` cell options), read
/// with Yams and reported at file lines.
struct YAMLMapping {
  struct Entry {
    var key: String
    var value: Node
    /// File line of the value (of the key when the value has no position).
    var line: Int
  }

  var entries: [Entry]

  /// `text`'s first line is file line `firstLine`; `what` names the block in messages.
  init(_ text: String, firstLine: Int, file: String, what: String) throws(NoteError) {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text, .default, .default, .utf8)
    } catch {
      let (line, problem) = Self.describe(error, in: text)
      throw NoteError(
        file: file, line: firstLine + line - 1, message: "\(what) is not valid YAML: \(problem)")
    }
    guard let root else {
      entries = []
      return
    }
    guard let mapping = root.mapping else {
      throw NoteError(
        file: file, line: firstLine + (root.mark?.line ?? 1) - 1,
        message: "\(what) must be YAML `key: value` lines")
    }
    entries = mapping.map { key, value in
      Entry(
        key: key.string ?? "", value: value,
        line: firstLine + (value.mark?.line ?? key.mark?.line ?? 1) - 1)
    }
  }

  /// A scalar's text, or a list of scalars joined with commas (`[source, output]`).
  static func text(_ node: Node) -> String? {
    if let scalar = node.scalar { return scalar.string }
    guard let sequence = node.sequence else { return nil }
    var items: [String] = []
    for item in sequence {
      guard let scalar = item.scalar else { return nil }
      items.append(scalar.string)
    }
    return items.joined(separator: ",")
  }

  /// Line (1-based, within the YAML text) and a one-line description of a Yams error.
  private static func describe(_ error: any Error, in text: String) -> (Int, String) {
    guard let error = error as? YamlError else { return (1, "\(error)") }
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return (mark.line, problem + (context.map { " (\($0.text))" } ?? ""))
    case .reader(let problem, let offset, _, _):
      let line = offset.map { text.prefix($0).count(where: \.isNewline) + 1 } ?? 1
      return (line, problem)
    case .duplicatedKeysInMapping(let duplicates, let context):
      return (context.mark.line, "duplicate key \(duplicates.sorted().joined(separator: ", "))")
    default:
      return (1, "\(error)")
    }
  }
}
