/// What a cell's trace section holds on the page: the timeline on a linear time axis, the
/// same trace across loop steps (the order of what happened at one instant, folded), a
/// panel the page's script fills with the detail of whatever bar, mark or arrow is
/// clicked or focused, and the trace table. Without scripts all of it is still there: the
/// SVGs' tooltips hold each detail, the table every event.
public enum TimelineSection {
  /// Past this many events the loop-steps drawing is left out: its columns would be slivers.
  static let maxStepsEvents = 2000

  /// `noteFile` is the note the cell is in: only its places link to the page's lines (a
  /// trace's tasks may all live in a file the note includes).
  public static func html(_ trace: Trace, noteFile: String) -> String {
    let note = " data-note=\"\(HTMLEscape.escape(noteFile))\""
    var html = "<div class=\"nr-tl\"\(note)>\n"
    html += "<div class=\"nr-tl-tools\" hidden></div>\n"
    let layout = TimelineLayout(trace)
    html += "<div class=\"nr-timeline-scroll\">"
    html += TimelineSVG.render(layout, clock: trace.clock, range: trace.timeRange) + "</div>\n"
    if !layout.bursts.isEmpty && trace.events.count <= maxStepsEvents {
      html += "<details class=\"nr-tl-order\"><summary>The same, one column per loop step: "
      html += "the order within each instant (not to scale)</summary>\n"
      html +=
        "<div class=\"nr-timeline-scroll\">" + TimelineSVG.render(trace, axis: .steps) + "</div></details>\n"
    }
    html += "<div class=\"nr-tl-detail\" aria-live=\"polite\" hidden></div>\n"
    html +=
      "<div class=\"nr-trace-table-scroll\">" + TraceEventTable.html(trace, noteFile: noteFile) + "</div>\n"
    return html + "</div>"
  }
}
