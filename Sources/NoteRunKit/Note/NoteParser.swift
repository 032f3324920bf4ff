import Foundation

/// Reads a note: front matter, the cells among its code blocks with their options, expected
/// outputs and includes, and its title. Every problem is a `NoteError` at a file line.
public enum NoteParser {
  /// Reads and parses the note at `url`. `root` bounds includes; `displayPath` is how
  /// messages name the file; `defaultLanguage` (the command line's) overrides the front
  /// matter's `default-language`.
  public static func parse(
    file url: URL, root: URL, displayPath: String, defaultLanguage: String?
  ) throws(NoteError) -> Note {
    let text = try NoteText.read(url, file: displayPath)
    return try parse(
      validText: text, url: url, root: root, displayPath: displayPath, defaultLanguage: defaultLanguage)
  }

  /// Parses a note's bytes as read from `url` (for watch, which has them already).
  public static func parse(
    data: Data, url: URL, root: URL, displayPath: String, defaultLanguage: String?
  ) throws(NoteError) -> Note {
    let text = try NoteText.decode(data, file: displayPath)
    return try parse(
      validText: text, url: url, root: root, displayPath: displayPath, defaultLanguage: defaultLanguage)
  }

  /// Parses a note's text; `url` places it for includes and the fallback title.
  public static func parse(
    text: String, url: URL, root: URL, displayPath: String, defaultLanguage: String?
  ) throws(NoteError) -> Note {
    try parse(
      data: Data(text.utf8), url: url, root: root, displayPath: displayPath, defaultLanguage: defaultLanguage)
  }

  private static func parse(
    validText source: String, url: URL, root: URL, displayPath: String, defaultLanguage: String?
  ) throws(NoteError) -> Note {
    let lines = TextLines(source)
    try ParseCostGuard.check(lines, file: displayPath)
    let frontMatter = try FrontMatter(lines: lines, file: displayPath)
    let markdown = blankingFrontMatter(source, lines: lines, count: frontMatter.lineCount)
    let outline = Markdown.outline(markdown)
    var builder = CellBuilder(
      lines: lines, url: url, root: root, file: displayPath,
      defaultLanguage: defaultLanguage ?? frontMatter.defaultLanguage)
    for block in outline.codeBlocks { try builder.add(block) }
    builder.finish()
    let title =
      frontMatter.title ?? outline.openingHeading ?? url.deletingPathExtension().lastPathComponent
    return Note(
      file: displayPath, url: url, root: root, source: source, markdown: markdown,
      frontMatter: frontMatter, title: title, cells: builder.cells, codeBlocks: builder.codeBlocks)
  }

  /// `source` with its first `count` lines emptied but their line breaks kept, so cmark-gfm
  /// numbers lines as the file does.
  private static func blankingFrontMatter(_ source: String, lines: TextLines, count: Int) -> String {
    guard count > 0 else { return source }
    var markdown = ""
    var start = source.startIndex
    for number in 1...count {
      let content = lines.lines[number - 1]
      markdown += source[content.endIndex..<lines.ends[number - 1]]
      start = lines.ends[number - 1]
    }
    return markdown + source[start...]
  }
}
