/// Options of one cell, from its info string and its `#|` lines.
public struct CellOptions: Sendable, Hashable {
  /// `norun` / `skip`: shown, not run.
  public var run = true
  /// `raises=NAME`: the exception the cell is expected to raise.
  public var raises: String?
  /// `match="regex"`: the expected exception's message must match.
  public var match: String?
  /// `timeout=SECONDS`: wall-clock limit.
  public var timeout: Double?
  public var clock: ClockMode?
  public var hide: Set<HiddenPart> = []
  /// `trace=off` turns the suspension trace off.
  public var trace = true
  /// `trace=closed` / `trace=open`: the trace section starts collapsed or open (default:
  /// the front matter's `trace:`, else open).
  public var traceOpen: Bool?
  /// `id=NAME`: anchor of the cell on the page.
  public var id: String?
  /// `title=`, `filename=` or `name=` (MkDocs, Quarto, Hugo): a caption shown above the cell.
  public var caption: String?
  /// Quarto `error: true`, MyST's `raises-exception` tag: the cell may raise (any exception
  /// then counts as expected) or not.
  public var mayRaise = false
  /// pymdownx `linenums="N"`: the number the shown source starts counting from. Display
  /// only: errors and reports keep the note's own line numbers.
  public var lineNumberStart: Int?
  /// pymdownx `hl_lines="2 3-4"`: lines of the shown source to highlight, counted from 1.
  public var highlightedLines: Set<Int> = []
  /// `long-output`: `check --update` may write any amount of output into the cell's block.
  public var longOutput = false
  /// markdown-exec's `exec=`, when given: a note that uses it runs only the cells that say
  /// `exec="on"`, and shows their source only when `source=` says where.
  var exec: Bool?
  /// markdown-exec's `source=` was given.
  var showsSource = false
  /// `requires-python=">=3.11"`: under another Python the cell is skipped, not run.
  public var requiresPython: PythonRequirement?

  public init() {}
}

public enum ClockMode: String, Sendable, Hashable, Codable, CaseIterable {
  case virtual
  case real
}

/// Parts of a cell that `hide=` leaves off the page.
public enum HiddenPart: String, Sendable, Hashable, CaseIterable {
  case source
  case output
  case trace
}
