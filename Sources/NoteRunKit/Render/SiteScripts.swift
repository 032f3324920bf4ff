import Foundation

/// The two site-wide files every page reads, written next to the index: the notes in
/// reading order (`noterun-site.js`, for the sidebar and previous / next) and the search
/// index (`noterun-search.js`). Each assigns a global rather than being JSON, because a
/// page opened from disk may load a script but may not `fetch` a file. They change when a
/// note is added or renamed without any other page having to be written again.
enum SiteScripts {
  static let navigationName = "noterun-site.js"
  static let searchName = "noterun-search.js"

  private struct Navigation: Encodable {
    struct Entry: Encodable {
      var href: String
      var title: String
    }
    var notes: [Entry]
  }

  private struct Search: Codable {
    /// `[href, note title, heading or cell, text]`, one per section and per cell.
    var docs: [[String]]
  }

  /// `notes` in reading order, each with its page's link relative to the index's folder.
  static func navigation(_ notes: [(href: String, title: String)]) -> String {
    let entries = notes.map { Navigation.Entry(href: $0.href, title: $0.title) }
    return "window.noterunSite = " + json(Navigation(notes: entries)) + ";\n"
  }

  /// One entry per stretch of prose under a heading (linked to the heading) and per cell
  /// (its source, what it printed, its error; linked to the cell), then the entries of the
  /// search file in `folder` whose pages are in `keptPages` (pages an earlier run rendered,
  /// by their links): a render of some notes keeps the others findable.
  static func search(
    _ results: [NoteResult], layout: OutputLayout, keeping keptPages: Set<String>, from folder: URL
  ) -> String {
    var docs: [[String]] = []
    for result in results {
      let note = result.note
      let page = href(note, layout)
      let anchors = note.cells.map { $0.options.id ?? "cell-\($0.index + 1)" }
      let placeholders = anchors.map { "<section class=\"cell \" id=\"\($0)\"></section>" }
      let outline = PageRenderer.prose(of: note, cells: placeholders, anchors: anchors).outline
      for section in sections(outline.html) where !section.text.isEmpty {
        let heading = section.heading ?? ""
        docs.append([page + (section.anchor.map { "#" + $0 } ?? ""), note.title, heading, section.text])
      }
      let results = Dictionary(result.cells.map { ($0.cell, $0) }, uniquingKeysWith: { first, _ in first })
      for cell in note.cells {
        let ran = results[cell.index]
        let error = ran?.error.map { "\($0.type): \($0.message)" }
        let text = [cell.source, ran?.printed, ran?.value, error].compactMap { $0 }.filter { !$0.isEmpty }
          .joined(separator: "\n")
        docs.append(["\(page)#\(anchors[cell.index])", note.title, "Cell \(cell.index + 1)", text])
      }
    }
    let kept = previousDocs(in: folder).filter { doc in
      doc.first.map { keptPages.contains(String($0.prefix { $0 != "#" })) } ?? false
    }
    return "window.noterunSearch = " + json(Search(docs: docs + kept)) + ";\n"
  }

  /// The entries of the search file an earlier run wrote in `folder`; none when it is
  /// missing or not one of noterun's.
  private static func previousDocs(in folder: URL) -> [[String]] {
    let prefix = "window.noterunSearch = "
    guard
      let text = try? String(contentsOf: folder.appendingPathComponent(searchName), encoding: .utf8),
      text.hasPrefix(prefix), text.hasSuffix(";\n"),
      let search = try? JSONDecoder().decode(
        Search.self, from: Data(text.dropFirst(prefix.count).dropLast(2).utf8))
    else { return [] }
    return search.docs.filter { $0.count == 4 }
  }

  private static func href(_ note: Note, _ layout: OutputLayout) -> String {
    OutputLayout.href(from: layout.index, to: layout.page(for: note))
  }

  /// The prose of an outlined body cut at its headings and cells: plain text per section,
  /// with the heading's id and text (none for the text before the first heading).
  private static func sections(_ html: String) -> [(anchor: String?, heading: String?, text: String)] {
    var sections: [(anchor: String?, heading: String?, text: String)] = []
    var anchor: String?
    var heading: String?
    var text = ""
    var rest = Substring(html)
    func flush() {
      sections.append((anchor, heading, collapse(PageOutline.plainText(text))))
      text = ""
    }
    while let start = rest.range(of: "<h", options: .literal) {
      text += rest[..<start.lowerBound]
      let after = rest[start.upperBound...]
      guard let level = after.first, ("1"..."6").contains(level),
        after.dropFirst().hasPrefix(" id=\""), let idEnd = after.dropFirst(6).firstIndex(of: "\""),
        let close = after.range(of: "</h\(level)>")
      else {
        text += "<h"
        rest = after
        continue
      }
      flush()
      anchor = String(after[after.index(after.startIndex, offsetBy: 6)..<idEnd])
      let inner = after[after.index(after: idEnd)..<close.lowerBound].dropFirst()
      let title = inner.range(of: PageOutline.anchorStart).map { inner[..<$0.lowerBound] } ?? inner
      heading = PageOutline.plainText(String(title)).trimmingCharacters(in: .whitespaces)
      rest = after[close.upperBound...]
    }
    text += rest
    flush()
    return sections
  }

  private static func collapse(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
  }

  private static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
  }
}
