import Foundation

/// Links between notes, rewritten to links between their pages: `[next](b.md#part)` in a
/// note becomes a relative link to the page `OutputLayout` gives `b.md` (`b.html#part`, or
/// `b-2.html#part` when another note took that name), when `b.md` is a file under the same
/// notes root (a link to a README outside the notes stays as written).
enum NoteLinks {
  /// Every `href="…"` of `html` is looked at (most are a page's own line anchors, `#L12`),
  /// found by a scan of its bytes: a regular expression over the whole page cost a fifth of
  /// its rendering.
  static func pointingToPages(_ html: String, from note: Note, layout: OutputLayout) -> String {
    let folder = note.url.deletingLastPathComponent()
    let root = note.root.standardizedFileURL.path + "/"
    let page = layout.page(for: note)
    let bytes = Array(html.utf8)
    let marker = Array("href=\"".utf8)
    let quote = UInt8(ascii: "\"")
    var out: [UInt8] = []
    var copied = 0
    var at = 0
    while let h = bytes[at...].firstIndex(of: marker[0]) {
      at = h + 1
      guard bytes[h...].starts(with: marker) else { continue }
      let valueStart = h + marker.count
      guard let valueEnd = bytes[valueStart...].firstIndex(of: quote) else { break }
      at = valueEnd
      let value = bytes[valueStart..<valueEnd]
      let cut = value.firstIndex { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") } ?? valueEnd
      guard cut - valueStart > 3, bytes[(cut - 3)..<cut].elementsEqual(".md".utf8),
        let link = rewritten(
          Substring(String(decoding: value, as: UTF8.self)), folder: folder, root: root,
          pageHref: { OutputLayout.href(from: page, to: layout.page(forNoteAt: $0, root: note.root)) })
      else { continue }
      if out.isEmpty { out.reserveCapacity(bytes.count + 256) }
      out += bytes[copied..<valueStart]
      out += link.utf8
      copied = valueEnd
    }
    guard copied > 0 else { return html }
    out += bytes[copied...]
    return String(decoding: out, as: UTF8.self)
  }

  /// The link to the page of the note `value` names (`b.md`, `b.md#part`, `b.md?x`), or nil
  /// when it names no note under `root`.
  private static func rewritten(
    _ value: Substring, folder: URL, root: String, pageHref: (URL) -> String
  ) -> String? {
    let cut = value.firstIndex { $0 == "#" || $0 == "?" } ?? value.endIndex
    let path = value[..<cut]
    guard path.count > 3, path.hasSuffix(".md"), !path.contains(":"), !path.hasPrefix("/"),
      let decoded = path.removingPercentEncoding
    else { return nil }
    let target = folder.appendingPathComponent(decoded).standardizedFileURL
    guard target.path.hasPrefix(root), FileManager.default.fileExists(atPath: target.path) else { return nil }
    return pageHref(target) + value[cut...]
  }
}
