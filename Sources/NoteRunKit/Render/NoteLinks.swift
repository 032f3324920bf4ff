import Foundation

/// Links between notes, rewritten to links between their pages: `[next](b.md#part)` in a
/// note becomes a relative link to the page `OutputLayout` gives `b.md` (`b.html#part`, or
/// `b-2.html#part` when another note took that name), when `b.md` is a file under the same
/// notes root (a link to a README outside the notes stays as written).
enum NoteLinks {
  static func pointingToPages(_ html: String, from note: Note, layout: OutputLayout) -> String {
    let folder = note.url.deletingLastPathComponent()
    let root = note.root.standardizedFileURL.path + "/"
    let page = layout.page(for: note)
    return html.replacing(/href="([^"#?:]+\.md)([#?][^"]*)?"/) { match in
      let path = String(match.1)
      guard !path.hasPrefix("/"), let decoded = path.removingPercentEncoding else { return String(match.0) }
      let target = folder.appendingPathComponent(decoded).standardizedFileURL
      guard target.path.hasPrefix(root), FileManager.default.fileExists(atPath: target.path) else {
        return String(match.0)
      }
      let href = OutputLayout.href(from: page, to: layout.page(forNoteAt: target, root: note.root))
      return "href=\"\(href)\(match.2 ?? "")\""
    }
  }
}
