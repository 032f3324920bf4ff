/// The optional YAML block at the top of a note. Keys other tools use (author, date,
/// tags…) are allowed and ignored: front matter is often shared with Quarto or Jekyll.
public struct FrontMatter: Sendable, Hashable {
  public var title: String?
  public var defaultLanguage: String?
  public var clock: ClockMode?
  public var seed: Int?
  public var timeout: Double?
  public var python: String?
  /// `requires-python: ">=3.11"` (PEP 621's spelling): under another Python every cell
  /// is skipped, not run.
  public var requiresPython: PythonRequirement?
  /// `trace: closed` shows every cell's trace section collapsed (open by default).
  public var traceOpen: Bool?
  /// Where the note comes in the site's reading order (lower first), when no SUMMARY.md says.
  public var order: Double?
  /// Line count of the block including both `---` lines; 0 when absent.
  public var lineCount = 0
  /// Keys that look like misspelt noterun keys (`seeed`): ignored, and worth a warning.
  public var warnings: [NoteError] = []

  public init() {}
}
