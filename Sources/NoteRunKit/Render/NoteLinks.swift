import Foundation

/// Links between notes, rewritten to links between their pages: `[next](b.md#part)` in a
/// note becomes `b.html#part`, when `b.md` is a file under the same notes root (a link to
/// a README outside the notes stays as written).
enum NoteLinks {
  static func pointingToPages(_ html: String, from note: Note) -> String {
    let folder = note.url.deletingLastPathComponent()
    let root = note.root.standardizedFileURL.path + "/"
    return html.replacing(/href="([^"#?:]+\.md)([#?][^"]*)?"/) { match in
      let path = String(match.1)
      guard !path.hasPrefix("/"), let decoded = path.removingPercentEncoding else { return String(match.0) }
      let target = folder.appendingPathComponent(decoded).standardizedFileURL.path
      guard target.hasPrefix(root), FileManager.default.fileExists(atPath: target) else {
        return String(match.0)
      }
      return "href=\"\(path.dropLast(3)).html\(match.2 ?? "")\""
    }
  }
}
