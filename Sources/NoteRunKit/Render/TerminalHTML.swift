/// A cell's output as HTML, as a terminal shows it (`TerminalScreen`): styles become spans
/// (the 16 ANSI colours as classes the theme colours for light and dark, other colours
/// inline), nothing of an escape sequence reaches the page. Long output is folded: the
/// first `headLines` and last `tailLines` lines stay in view and the rest sits in a
/// `<details>` that opens without JavaScript. A page must stay readable and small whatever
/// a cell prints, so the folded part holds at most `maxFoldedLines` lines and
/// `maxFoldedBytes` bytes, and a line at most `maxLineScalars` characters; what is left out
/// is counted.
enum TerminalHTML {
  static let foldAbove = 100
  static let headLines = 40
  static let tailLines = 20
  static let maxFoldedLines = 2_000
  static let maxFoldedBytes = 128 * 1024
  static let maxLineScalars = 2_000

  /// A `<pre>`; folded, a `<div class="folded">` of a `<pre>`, a `<details>` and a `<pre>`.
  static func html(_ text: String) -> String {
    var lines = TerminalScreen(text).lines
    let endsWithBreak = lines.count > 1 && lines.last?.isEmpty == true
    if endsWithBreak { lines.removeLast() }
    let breakAtEnd = endsWithBreak ? "\n" : ""
    guard lines.count > foldAbove else {
      return "<pre>" + lines.map(line).joined(separator: "\n") + breakAtEnd + "</pre>"
    }
    let head = lines[..<headLines].map(line).joined(separator: "\n")
    let tail = lines[(lines.count - tailLines)...].map(line).joined(separator: "\n")
    let middle = lines[headLines..<(lines.count - tailLines)]
    var folded = ""
    var shown = 0
    for text in middle.lazy.map(line) {
      guard shown < maxFoldedLines, folded.utf8.count + text.utf8.count < maxFoldedBytes else { break }
      folded += text + "\n"
      shown += 1
    }
    var cut = ""
    if shown < middle.count {
      cut =
        "<p class=\"fold-cut\">… \((middle.count - shown).grouped) more lines are left out of the page</p>"
    }
    return "<div class=\"folded\"><pre>" + head + "</pre>"
      + "<details class=\"fold\"><summary>… \(middle.count.grouped) lines hidden</summary>"
      + "<pre>" + folded + "</pre>" + cut + "</details>"
      + "<pre>" + tail + breakAtEnd + "</pre></div>"
  }

  private static func line(_ runs: [TerminalScreen.Run]) -> String {
    var html = ""
    var left = maxLineScalars
    for run in runs {
      guard left > 0 else { break }
      var text = run.text
      if text.unicodeScalars.count > left {
        text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(left)))
      }
      left -= text.unicodeScalars.count
      html += span(HTMLEscape.escape(text), run.style)
    }
    let length = runs.reduce(0) { $0 + $1.text.unicodeScalars.count }
    if length > maxLineScalars {
      html += "<span class=\"fold-cut\"> … \((length - maxLineScalars).grouped) more characters</span>"
    }
    return html
  }

  private static func span(_ html: String, _ style: TerminalScreen.Style) -> String {
    guard style != .plain else { return html }
    var classes: [String] = []
    var css: [String] = []
    var (foreground, background) = (style.foreground, style.background)
    if style.inverse {
      (foreground, background) = (background, foreground)
      if foreground == nil { css.append("color:var(--code-bg)") }
      if background == nil { css.append("background-color:var(--fg)") }
    }
    if let foreground { add(foreground, property: "color", prefix: "t-fg", &classes, &css) }
    if let background { add(background, property: "background-color", prefix: "t-bg", &classes, &css) }
    if style.bold { classes.append("t-bold") }
    if style.dim { classes.append("t-dim") }
    if style.italic { classes.append("t-italic") }
    if style.underline { classes.append("t-underline") }
    if style.strike { classes.append("t-strike") }
    let classAttribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
    let styleAttribute = css.isEmpty ? "" : " style=\"\(css.joined(separator: ";"))\""
    return "<span\(classAttribute)\(styleAttribute)>" + html + "</span>"
  }

  private static func add(
    _ color: TerminalScreen.Color, property: String, prefix: String, _ classes: inout [String],
    _ css: inout [String]
  ) {
    switch color {
    case .palette(let index) where index < 16: classes.append("\(prefix)\(index)")
    case .palette(let index): css.append("\(property):\(hex(palette(index)))")
    case .rgb(let red, let green, let blue): css.append("\(property):\(hex((red, green, blue)))")
    }
  }

  /// xterm's 256-colour palette above the 16 themed colours: a 6×6×6 cube, then 24 greys.
  private static func palette(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
    if index >= 232 {
      let grey = UInt8(8 + 10 * Int(index - 232))
      return (grey, grey, grey)
    }
    let cube = Int(index) - 16
    func level(_ value: Int) -> UInt8 { value == 0 ? 0 : UInt8(55 + 40 * value) }
    return (level(cube / 36), level(cube / 6 % 6), level(cube % 6))
  }

  private static func hex(_ color: (UInt8, UInt8, UInt8)) -> String {
    let digits = Array("0123456789abcdef")
    return "#"
      + [color.0, color.1, color.2].map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }.joined()
  }
}
