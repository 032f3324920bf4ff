/// A cell's trace table on the page: the rows `noterun trace` prints (the same times,
/// wording and "woken by" column), with each `note.md:LINE` of this note a link to that
/// line, and asyncio's own frames folded away behind a click.
public enum TraceEventTable {
  /// `noteFile`: the note whose lines the page shows.
  public static func html(_ trace: Trace, noteFile: String) -> String {
    var html = "<table class=\"nr-trace-table\">\n<thead><tr>"
    for (index, column) in TraceTable.columns.enumerated() {
      html += index == 0 ? "<th class=\"num\">\(column)</th>" : "<th>\(column)</th>"
    }
    html += "</tr></thead>\n<tbody>"
    for row in TraceTable.rows(trace) where row.kind != .omitted {
      html += "<tr class=\"ev-\(row.kind.rawValue)\"><td class=\"num\">\(HTMLEscape.escape(row.time))</td>"
      html += "<td>\(HTMLEscape.escape(row.task))</td><td>\(HTMLEscape.escape(row.event))</td>"
      html += "<td>\(HTMLEscape.escape(row.what))</td><td>\(linked(row.wokenBy, noteFile: noteFile))</td>"
      html += "<td>\(linked(row.location, noteFile: noteFile))"
      if !row.libraryFrames.isEmpty {
        html += "<details class=\"nr-frames\"><summary>library frames</summary>"
        html += HTMLEscape.escape(row.libraryFrames) + "</details>"
      }
      html += "</td></tr>\n"
    }
    html += "</tbody>\n</table>\n"
    for line in TraceTable.summary(trace) {
      html += "<p class=\"nr-trace-note\">\(HTMLEscape.escape(line))</p>\n"
    }
    return html
  }

  /// Text with every `note.md:LINE` of this note made a link to that line of the page.
  static func linked(_ text: String, noteFile: String) -> String {
    guard !text.isEmpty else { return HTMLEscape.escape(text) }
    let prefix = noteFile + ":"
    var html = ""
    var rest = Substring(text)
    while let range = rest.range(of: prefix) {
      let digits = rest[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
      let boundary = range.lowerBound == rest.startIndex || rest[rest.index(before: range.lowerBound)] == " "
      guard !digits.isEmpty, boundary else {
        html += HTMLEscape.escape(String(rest[..<range.upperBound]))
        rest = rest[range.upperBound...]
        continue
      }
      html += HTMLEscape.escape(String(rest[..<range.lowerBound]))
      html += "<a href=\"#L\(digits)\">\(HTMLEscape.escape(prefix + digits))</a>"
      rest = rest[digits.endIndex...]
    }
    return html + HTMLEscape.escape(String(rest))
  }
}
