import Foundation

/// A parsed study note: its prose stays in `markdown`, its fenced Python cells are
/// extracted with their exact source lines. A value: no C pointers survive parsing.
public struct Note: Sendable, Hashable {
  /// The path as the user should read it in `file:line` messages (relative to the
  /// working directory when the note lies under it).
  public var file: String
  /// Absolute location of the note.
  public var url: URL
  /// The notes root: includes may not leave it; output paths mirror the tree below it.
  public var root: URL
  /// The note exactly as read from disk (after UTF-8 validation).
  public var source: String
  /// The Markdown that cmark-gfm parses: `source` with the front matter blanked out
  /// line for line, so cmark's line numbers are the file's.
  public var markdown: String
  public var frontMatter: FrontMatter
  /// Front matter title, else the first heading, else the file name.
  public var title: String
  public var cells: [Cell]
  /// Every fenced or indented code block in document order, as cmark-gfm walks them;
  /// the renderer zips its own parse of `markdown` with this list.
  public var codeBlocks: [CodeBlock]

  public init(
    file: String, url: URL, root: URL, source: String, markdown: String,
    frontMatter: FrontMatter, title: String, cells: [Cell], codeBlocks: [CodeBlock]
  ) {
    self.file = file
    self.url = url
    self.root = root
    self.source = source
    self.markdown = markdown
    self.frontMatter = frontMatter
    self.title = title
    self.cells = cells
    self.codeBlocks = codeBlocks
  }

  /// Where `file:line` messages about this note point.
  public func location(_ line: Int) -> String { "\(file):\(line)" }
}

/// What one code block of the note is, in document order.
public struct CodeBlock: Sendable, Hashable {
  public enum Role: Sendable, Hashable {
    /// A Python cell: index into `Note.cells`.
    case cell(Int)
    /// The expected-output block of the cell with this index.
    case expectedOutput(cell: Int)
    /// Any other code block, shown as is; the language word of its info string, if any.
    case other(language: String?)
  }
  public var role: Role
  public var line: Int

  public init(role: Role, line: Int) {
    self.role = role
    self.line = line
  }
}
