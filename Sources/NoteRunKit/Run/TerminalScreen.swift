/// Text written to a terminal, as the terminal shows it: `\r` returns to the start of the
/// line and what follows overwrites it (a progress bar ends at its last state), `\b` steps
/// back one column, ANSI SGR sequences (16, 256 and 24-bit colours, bold, dim, italic,
/// underline, inverse, strike-through, resets) style the text, erase-in-line and cursor
/// moves (`K`, `A` `B` `C` `D` `G`) act on the lines, and every other escape sequence or
/// control character is dropped. One pass over the scalars; each scalar lands in one cell
/// of a line, so the work is linear in the text (erasing or moving can only touch cells
/// already written or the cursor's own line).
public struct TerminalScreen: Sendable {
  /// Colours as SGR names them: the 256-colour palette (0–15 are the themed ANSI colours)
  /// or 24-bit.
  public enum Color: Sendable, Hashable {
    case palette(UInt8)
    case rgb(UInt8, UInt8, UInt8)
  }

  public struct Style: Sendable, Hashable {
    public var foreground: Color?
    public var background: Color?
    public var bold = false
    public var dim = false
    public var italic = false
    public var underline = false
    public var inverse = false
    public var strike = false

    public static let plain = Style()
  }

  /// A run of characters of one style within a line.
  public struct Run: Sendable, Hashable {
    public var text: String
    public var style: Style
  }

  /// The lines the terminal shows, top to bottom; text that ended with a line break has
  /// an empty last line.
  public private(set) var lines: [[Run]]

  public init(_ text: String) {
    guard Self.needsTerminal(text) else {
      lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
        $0.isEmpty ? [] : [Run(text: String($0), style: .plain)]
      }
      return
    }
    var screen = Screen()
    screen.write(text)
    lines = screen.runs()
  }

  /// What a reader sees: the lines without their styles.
  public var plain: String {
    lines.map { line in line.map(\.text).joined() }.joined(separator: "\n")
  }

  /// What a reader sees of `text` as a terminal shows it (what `check` compares).
  public static func readerText(_ text: String) -> String {
    needsTerminal(text) ? TerminalScreen(text).plain : text
  }

  /// Whether `text` holds anything a terminal would not print as is.
  static func needsTerminal(_ text: String) -> Bool {
    text.utf8.contains { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 || $0 == 0x7F }
  }
}

/// The lines being written, with the cursor and the current style.
private struct Screen {
  var rows: [[Unicode.Scalar]] = [[]]
  var styleRows: [[Int]] = [[]]
  var row = 0
  var column = 0
  var styles: [TerminalScreen.Style] = [.plain]
  var styleIDs: [TerminalScreen.Style: Int] = [.plain: 0]
  var style = TerminalScreen.Style.plain
  var styleID = 0

  mutating func write(_ text: String) {
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      switch scalar {
      case "\n":
        row += 1
        column = 0
        if row == rows.count {
          rows.append([])
          styleRows.append([])
        }
      case "\r": column = 0
      case "\u{08}": column = max(0, column - 1)
      case "\t": put(scalar)
      case "\u{1B}": escape(&scalars)
      default:
        if scalar.value >= 0x20 && scalar.value != 0x7F { put(scalar) }
      }
    }
  }

  mutating func put(_ scalar: Unicode.Scalar) {
    if column < rows[row].count {
      rows[row][column] = scalar
      styleRows[row][column] = styleID
    } else {
      pad(to: column)
      rows[row].append(scalar)
      styleRows[row].append(styleID)
    }
    column += 1
  }

  /// Spaces up to `column` when the cursor stands past the end of its line.
  mutating func pad(to column: Int) {
    while rows[row].count < column {
      rows[row].append(" ")
      styleRows[row].append(0)
    }
  }

  /// After ESC: a CSI sequence (`[` parameters final), an OSC string (`]` … BEL or ST), or
  /// a two-character sequence. Only CSI's SGR, erase-in-line and cursor moves act.
  mutating func escape(_ scalars: inout String.UnicodeScalarView.Iterator) {
    guard let next = scalars.next() else { return }
    switch next {
    case "[":
      var parameters = ""
      while let scalar = scalars.next() {
        if (0x40...0x7E).contains(scalar.value) {
          control(parameters, final: scalar)
          return
        }
        guard (0x20...0x3F).contains(scalar.value) else { return }
        parameters.unicodeScalars.append(scalar)
      }
    case "]":
      var previous: Unicode.Scalar = " "
      while let scalar = scalars.next() {
        if scalar == "\u{07}" || previous == "\u{1B}" && scalar == "\\" { return }
        previous = scalar
      }
    default:
      return
    }
  }

  mutating func control(_ parameters: String, final: Unicode.Scalar) {
    let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map {
      Int($0.split(separator: ":").first ?? "") ?? 0
    }
    let count = max(1, numbers.first ?? 1)
    switch final {
    case "m": select(numbers)
    case "K":
      switch numbers.first ?? 0 {
      case 0:
        rows[row].removeSubrange(min(column, rows[row].count)...)
        styleRows[row].removeSubrange(min(column, styleRows[row].count)...)
      case 1:
        for index in 0..<min(column + 1, rows[row].count) {
          rows[row][index] = " "
          styleRows[row][index] = 0
        }
      default:
        rows[row].removeAll()
        styleRows[row].removeAll()
      }
    case "A": row = max(0, row - count)
    case "B":
      row = min(rows.count - 1, row + count)
    case "C": column += count
    case "D": column = max(0, column - count)
    case "G": column = count - 1
    default: break
    }
  }

  /// SGR: applies each parameter in turn; unknown ones are ignored.
  mutating func select(_ numbers: [Int]) {
    var index = 0
    func color() -> TerminalScreen.Color? {
      guard index + 1 < numbers.count else { return nil }
      switch numbers[index + 1] {
      case 5 where index + 2 < numbers.count:
        defer { index += 2 }
        return .palette(UInt8(clamping: numbers[index + 2]))
      case 2 where index + 4 < numbers.count:
        defer { index += 4 }
        return .rgb(
          UInt8(clamping: numbers[index + 2]), UInt8(clamping: numbers[index + 3]),
          UInt8(clamping: numbers[index + 4]))
      default:
        return nil
      }
    }
    while index < numbers.count {
      let number = numbers[index]
      switch number {
      case 0: style = .plain
      case 1: style.bold = true
      case 2: style.dim = true
      case 3: style.italic = true
      case 4: style.underline = true
      case 7: style.inverse = true
      case 9: style.strike = true
      case 22: (style.bold, style.dim) = (false, false)
      case 23: style.italic = false
      case 24: style.underline = false
      case 27: style.inverse = false
      case 29: style.strike = false
      case 30...37: style.foreground = .palette(UInt8(number - 30))
      case 38: style.foreground = color() ?? style.foreground
      case 39: style.foreground = nil
      case 40...47: style.background = .palette(UInt8(number - 40))
      case 48: style.background = color() ?? style.background
      case 49: style.background = nil
      case 90...97: style.foreground = .palette(UInt8(number - 90 + 8))
      case 100...107: style.background = .palette(UInt8(number - 100 + 8))
      default: break
      }
      index += 1
    }
    if let id = styleIDs[style] {
      styleID = id
    } else {
      styleID = styles.count
      styles.append(style)
      styleIDs[style] = styleID
    }
  }

  /// The lines as runs of one style each.
  func runs() -> [[TerminalScreen.Run]] {
    zip(rows, styleRows).map { scalars, ids in
      var runs: [TerminalScreen.Run] = []
      var start = 0
      while start < scalars.count {
        var end = start + 1
        while end < scalars.count && ids[end] == ids[start] { end += 1 }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[start..<end])
        runs.append(TerminalScreen.Run(text: text, style: styles[ids[start]]))
        start = end
      }
      return runs
    }
  }
}
