import Foundation

/// A cell's suspension trace as an inline SVG: one lane per task, time (or loop steps)
/// across, a bar for each suspension labelled with what it awaited, arrows from what woke
/// a task to its resumption, marks where the task printed, blocked the loop and ended.
/// Self-contained (no scripts, ids or external references) and styled only through the
/// classes of `Render/Theme/timeline.css`, so the page's theme applies. Every drawn thing
/// has a `<title>` (its detail) and can take keyboard focus; things placed in time carry
/// their x in plain attributes (or a `translate`), so the page's script can zoom along x.
public enum TimelineSVG {
  public static func render(_ trace: Trace, axis: TimelineLayout.Axis = .time) -> String {
    render(TimelineLayout(trace, axis: axis), clock: trace.clock, range: trace.timeRange)
  }

  static func render(_ layout: TimelineLayout, clock: ClockMode, range: ClosedRange<Double>) -> String {
    var svg = Drawing()
    let width = layout.metrics.width
    let lanesBottom = layout.lanesTop + Double(max(layout.lanes.count, 1)) * layout.laneHeight
    svg.open(
      "svg",
      [
        ("xmlns", "http://www.w3.org/2000/svg"), ("class", "nr-timeline nr-tl-axis-\(layout.axis.rawValue)"),
        ("viewBox", "0 0 \(n(width)) \(n(layout.height))"), ("width", "100%"), ("role", "img"),
        ("aria-label", layout.summary), ("data-left", n(layout.plotLeft)),
        ("data-right", n(layout.plotRight)),
        ("data-end", n(layout.waitingRight)), ("data-t0", "\(range.lowerBound)"),
        ("data-t1", "\(range.upperBound)"), ("data-top", n(layout.lanesTop - 5)),
        ("data-bottom", n(lanesBottom)),
      ])

    svg.open("g", [])
    for (index, lane) in layout.lanes.enumerated() where index % 2 == 1 {
      svg.empty(
        "rect",
        [
          ("class", "nr-tl-zebra"), ("x", "0"), ("y", n(lane.y)), ("width", n(width)),
          ("height", n(lane.height)),
        ])
    }
    svg.close("g")

    svg.element(
      "text", [("class", "nr-tl-clock"), ("x", "8"), ("y", "14")],
      layout.axis == .steps ? "loop steps" : clock == .virtual ? "virtual clock" : "real clock")
    if layout.axis == .steps {
      svg.element("text", [("class", "nr-tl-clock"), ("x", "8"), ("y", "32")], "not to scale")
    }
    svg.open("g", [("class", "nr-tl-ticks")])
    for tick in layout.ticks {
      svg.empty(
        "line",
        [
          ("class", "nr-tl-grid"), ("x1", n(tick.x)), ("x2", n(tick.x)), ("y1", n(layout.lanesTop - 5)),
          ("y2", n(lanesBottom)),
        ])
      let anchor = tick.x > width - 30 ? "end" : "middle"
      svg.element(
        "text",
        [
          ("class", "nr-tl-tick"), ("x", n(anchor == "end" ? width - 4 : tick.x)),
          ("y", "14"), ("text-anchor", anchor),
        ], tick.label)
    }
    svg.close("g")
    svg.open("g", [])
    if layout.waitingRight > layout.plotRight {
      svg.open(
        "path",
        [
          ("class", "nr-tl-endline"),
          ("d", "M\(n(layout.plotRight)) \(n(layout.lanesTop - 5))V\(n(lanesBottom))"),
        ])
      svg.title(layout.endTitle)
      svg.close("path")
    }
    svg.close("g")

    // Links first: a link passes behind the lanes between creator and created.
    svg.open("g", [])
    for lane in layout.lanes {
      guard let link = lane.link else { continue }
      let end = link.toY - (link.toY > link.fromY ? 1 : -1) * layout.barHeight / 2
      svg.open(
        "line",
        [
          ("class", "nr-tl-link"), ("x1", n(link.x)), ("x2", n(link.x)), ("y1", n(link.fromY)),
          ("y2", n(end)),
        ])
      if let create = lane.marks.first(where: { $0.kind == .create }) { svg.title(create.title) }
      svg.close("line")
    }
    svg.close("g")
    for lane in layout.lanes { draw(lane, in: layout, &svg) }
    // Arrows over the lanes: they cross them.
    svg.open("g", [])
    for arrow in layout.arrows {
      svg.open(
        "path",
        [
          ("class", arrow.cancels ? "nr-tl-arrow nr-tl-cancels" : "nr-tl-arrow"), ("tabindex", "0"),
          ("d", arrowPath(arrow.fromX, arrow.fromY, arrow.toX, arrow.toY, bar: layout.barHeight)),
          ("data-x1", n(arrow.fromX)), ("data-y1", n(arrow.fromY)), ("data-x2", n(arrow.toX)),
          ("data-y2", n(arrow.toY)), ("data-bar", n(layout.barHeight)),
        ])
      svg.title(arrow.title)
      svg.close("path")
    }
    svg.close("g")
    svg.open("g", [("class", "nr-tl-bursts")])
    for burst in layout.bursts {
      let label = "×\(burst.steps)"
      let half = Double(label.count) * 11 * layout.metrics.characterWidth / 2 + 4
      svg.open(
        "g", [("class", "nr-tl-burst"), ("tabindex", "0"), ("transform", "translate(\(n(burst.x)) 0)")])
      svg.title(burst.title)
      svg.empty(
        "rect", [("x", n(-half)), ("y", "25"), ("width", n(2 * half)), ("height", "15"), ("rx", "7")])
      svg.element("text", [("x", "0"), ("y", "32.5"), ("text-anchor", "middle")], label)
      svg.close("g")
    }
    svg.close("g")
    if layout.lanes.isEmpty {
      svg.element(
        "text",
        [
          ("class", "nr-tl-note"), ("x", n(layout.plotLeft)),
          ("y", n(layout.lanesTop + layout.laneHeight / 2)),
        ],
        "no asyncio tasks ran")
    }
    legend(layout, &svg)
    svg.close("svg")
    return svg.text
  }

  private static func draw(_ lane: TimelineLayout.Lane, in layout: TimelineLayout, _ svg: inout Drawing) {
    let center = lane.centerY
    let bar = layout.barHeight
    svg.open("g", [("class", "nr-tl-lane")])
    svg.open(
      "text",
      [
        ("class", lane.isMain ? "nr-tl-name nr-tl-main" : "nr-tl-name"), ("x", n(layout.plotLeft - 10)),
        ("y", n(center)), ("text-anchor", "end"), ("font-size", n(layout.labelFontSize)),
      ])
    svg.title(lane.title)
    svg.write(XMLEscape.text(lane.label))
    svg.close("text")

    svg.empty(
      "line",
      [
        ("class", "nr-tl-life"), ("x1", n(lane.lifeline.lowerBound)), ("x2", n(lane.lifeline.upperBound)),
        ("y1", n(center)), ("y2", n(center)),
      ])

    for span in lane.spans {
      let height = span.kind == .unrecorded ? bar / 2 : bar
      let top = center - height / 2
      var classes = "nr-tl-span nr-tl-\(span.kind.rawValue)"
      if let thrown = span.thrown { classes += " nr-tl-\(thrown.rawValue)-wait" }
      if span.carried { classes += " nr-tl-carried" }
      svg.open("g", [("class", classes), ("tabindex", "0")])
      svg.title(span.title)
      svg.empty(
        "rect",
        [("x", n(span.x)), ("y", n(top)), ("width", n(span.width)), ("height", n(height)), ("rx", "2")])
      if span.kind == .waiting {
        svg.empty("path", [("class", "nr-tl-hatch"), ("d", hatch(span.x, top, span.width, height))])
      }
      if let label = span.label {
        svg.element(
          "text",
          [("x", n(span.x + 4)), ("y", n(center)), ("font-size", n(layout.barFontSize))],
          label)
      }
      svg.close("g")
    }

    for mark in lane.marks where mark.kind != .create {
      svg.open(
        "g",
        [
          ("class", "nr-tl-mark nr-tl-\(mark.kind.rawValue)"), ("tabindex", "0"),
          ("transform", "translate(\(n(mark.x)) 0)"),
        ])
      svg.title(mark.title)
      svg.empty("path", [("d", shape(mark.kind, x: 0, center: center, bar: bar, lane: lane.height))])
      svg.close("g")
    }
    svg.close("g")
  }

  /// Each mark's outline, sized to the lane.
  private static func shape(
    _ kind: TimelineLayout.MarkKind, x: Double, center: Double, bar: Double, lane: Double
  )
    -> String
  {
    let top = center - bar / 2
    switch kind {
    case .print, .stderr:
      // A pin over the bar: its point touches where the task printed.
      let size = min(4.5, max(3, (lane - bar) / 2 + 1.5))
      return "M\(n(x)) \(n(top + 1.5))L\(n(x - size)) \(n(top + 1.5 - size * 1.5))H\(n(x + size))Z"
    case .block:
      // A tall warning stripe: the loop stood still here.
      let half = (lane - 2) / 2
      return "M\(n(x - 1.5)) \(n(center - half))h3v\(n(2 * half))h-3Z"
    case .done, .cancelled:
      let radius = max(2.5, bar * 0.28)
      let circle =
        "M\(n(x - radius)) \(n(center))a\(n(radius)) \(n(radius)) 0 1 0 \(n(2 * radius)) 0"
        + "a\(n(radius)) \(n(radius)) 0 1 0 \(n(-2 * radius)) 0Z"
      guard kind == .cancelled else { return circle }
      let reach = radius * 0.7
      return circle + "M\(n(x - reach)) \(n(center + reach))L\(n(x + reach)) \(n(center - reach))"
    case .failed:
      let reach = max(2.5, bar * 0.28)
      return "M\(n(x - reach)) \(n(center - reach))L\(n(x + reach)) \(n(center + reach))"
        + "M\(n(x - reach)) \(n(center + reach))L\(n(x + reach)) \(n(center - reach))"
    case .create:
      return ""
    }
  }

  /// A wake arrow: out of the waker's bar, into the woken task's bar, with a chevron head.
  /// When both ends are at one x (one virtual instant), it bows out to the right so it is not
  /// mistaken for a creation link. The page's script draws the same path when it zooms.
  static func arrowPath(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, bar: Double) -> String {
    let direction = y2 >= y1 ? 1.0 : -1.0
    let from = y1 + direction * bar / 2
    let to = y2 - direction * bar / 2
    let bow = abs(x2 - x1) < 12 ? 12.0 : 0
    let middle = (from + to) / 2
    return "M\(n(x1)) \(n(from))C\(n(x1 + bow)) \(n(middle)) \(n(x2 + bow)) \(n(middle)) \(n(x2)) \(n(to))"
      + "M\(n(x2 - 3.5)) \(n(to - direction * 6))L\(n(x2)) \(n(to))L\(n(x2 + 3.5)) \(n(to - direction * 6))"
  }

  /// Diagonal stripes across a rectangle, clipped by hand: a clip path would need an id,
  /// and ids clash between the many timelines of one page.
  private static func hatch(_ x: Double, _ y: Double, _ width: Double, _ height: Double) -> String {
    let spacing = 6.0
    var d = ""
    var start = x - height
    while start < x + width {
      let from = max(0, x - start)
      let to = min(height, x + width - start)
      if from < to {
        d += "M\(n(start + from)) \(n(y + height - from))L\(n(start + to)) \(n(y + height - to))"
      }
      start += spacing
    }
    return d
  }

  private static func legend(_ layout: TimelineLayout, _ svg: inout Drawing) {
    svg.open("g", [("font-size", n(layout.legendFontSize))])
    for item in layout.legend {
      let x = item.x
      let y = item.y
      switch item.sample {
      case .span(let kind):
        svg.open("g", [("class", "nr-tl-span nr-tl-\(kind.rawValue)")])
        svg.empty("rect", [("x", n(x)), ("y", n(y - 5)), ("width", "12"), ("height", "10"), ("rx", "2")])
        if kind == .waiting { svg.empty("path", [("class", "nr-tl-hatch"), ("d", hatch(x, y - 5, 12, 10))]) }
        svg.close("g")
      case .mark(let kind):
        svg.open("g", [("class", "nr-tl-\(kind.rawValue)")])
        // A pin hangs above its bar: lower it so the sample sits on the text line.
        let center = kind == .print || kind == .stderr ? y + 8 : y
        svg.empty("path", [("d", shape(kind, x: x + 6, center: center, bar: 10, lane: 14))])
        svg.close("g")
      case .arrow, .cancelArrow:
        svg.empty(
          "path",
          [
            ("class", item.sample == .arrow ? "nr-tl-arrow" : "nr-tl-arrow nr-tl-cancels"),
            (
              "d",
              "M\(n(x)) \(n(y))H\(n(x + 12))M\(n(x + 7)) \(n(y - 3.5))L\(n(x + 12)) \(n(y))L\(n(x + 7)) \(n(y + 3.5))"
            ),
          ])
      case .burst:
        svg.open("g", [("class", "nr-tl-burst")])
        svg.empty("rect", [("x", n(x - 1)), ("y", n(y - 6)), ("width", "14"), ("height", "12"), ("rx", "6")])
        svg.close("g")
      case .carried:
        svg.open("g", [("class", "nr-tl-span nr-tl-suspended nr-tl-carried")])
        svg.empty("rect", [("x", n(x)), ("y", n(y - 5)), ("width", "12"), ("height", "10"), ("rx", "2")])
        svg.close("g")
      case .thrown:
        svg.open("g", [("class", "nr-tl-span nr-tl-suspended nr-tl-cancelled-wait")])
        svg.empty("rect", [("x", n(x)), ("y", n(y - 5)), ("width", "12"), ("height", "10"), ("rx", "2")])
        svg.close("g")
      }
      svg.element("text", [("x", n(x + 16)), ("y", n(y))], item.label)
    }
    svg.close("g")
    for note in layout.notes {
      svg.element("text", [("class", "nr-tl-note"), ("x", "8"), ("y", n(note.y))], note.text)
    }
  }

  /// A coordinate with at most one decimal: enough at this scale, and short.
  static func n(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    return TraceFormat.fixed(rounded, decimals: 1)
  }
}

/// SVG text being written: elements with escaped attributes and text.
private struct Drawing {
  var text = ""

  mutating func open(_ name: String, _ attributes: [(String, String)]) {
    text += "<\(name)\(Self.attributes(attributes))>"
  }

  mutating func empty(_ name: String, _ attributes: [(String, String)]) {
    text += "<\(name)\(Self.attributes(attributes))/>"
  }

  mutating func element(_ name: String, _ attributes: [(String, String)], _ content: String) {
    text += "<\(name)\(Self.attributes(attributes))>\(XMLEscape.text(content))</\(name)>"
  }

  mutating func close(_ name: String) {
    text += "</\(name)>\n"
  }

  /// A tooltip for the enclosing element.
  mutating func title(_ content: String) {
    text += "<title>\(XMLEscape.text(content))</title>"
  }

  mutating func write(_ escaped: String) {
    text += escaped
  }

  private static func attributes(_ attributes: [(String, String)]) -> String {
    attributes.map { " \($0.0)=\"\(XMLEscape.text($0.1))\"" }.joined()
  }
}
