import Foundation

/// Places in the note named in text a page shows (a traceback's `File "note.md", line 46`,
/// `note.md:46` in an error or an await chain) become links to that line of the page's
/// source (`#L46`). Places in other files stay text.
enum LocationLinks {
  /// `text`, escaped, with each place in `file` linked.
  static func html(_ text: String, file: String) -> String {
    var html = ""
    var rest = Substring(text)
    let quoted = "File \"\(file)\", line "
    let colon = "\(file):"
    while let match = nextPlace(in: rest, quoted: quoted, colon: colon) {
      html += HTMLEscape.escape(String(rest[..<match.start]))
      let place = String(rest[match.start..<match.end])
      html += "<a class=\"loc\" href=\"#L\(match.line)\">\(HTMLEscape.escape(place))</a>"
      rest = rest[match.end...]
    }
    return html + HTMLEscape.escape(String(rest))
  }

  private static func nextPlace(in text: Substring, quoted: String, colon: String) -> (
    start: String.Index, end: String.Index, line: Int
  )? {
    var searchFrom = text.startIndex
    while searchFrom < text.endIndex {
      let candidates = [quoted, colon].compactMap { prefix in
        text[searchFrom...].range(of: prefix).map { (range: $0, prefix: prefix) }
      }
      guard let first = candidates.min(by: { $0.range.lowerBound < $1.range.lowerBound }) else { return nil }
      let digits = text[first.range.upperBound...].prefix { $0.isASCII && $0.isNumber }
      if let line = Int(digits), line > 0 {
        return (first.range.lowerBound, digits.endIndex, line)
      }
      searchFrom = text.index(after: first.range.lowerBound)
    }
    return nil
  }
}
