import Foundation

/// One note's line in the index, as the output folder remembers it (`SiteManifest`): enough
/// to list a page that this run did not render.
public struct PageRecord: Codable, Sendable, Hashable {
  public struct Problem: Codable, Sendable, Hashable {
    public var line: Int
    public var message: String
  }

  /// The note's standardized absolute path.
  public var source: String
  /// The note's path as `file:line` messages show it.
  public var file: String
  /// The page's path below the output folder, `/`-separated; nil for a note that could not
  /// be read and has no page.
  public var page: String?
  public var title: String
  /// The note's front-matter `order` (`ReadingOrder`).
  public var order: Double?
  public var cells: Int
  public var passed: Int
  public var failed: Int
  public var skipped: Int
  /// Why the note could not be read.
  public var problem: Problem?

  public var counts: CheckCounts { CheckCounts(passed: passed, failed: failed, skipped: skipped) }

  /// The record of `outcome` of the note in `file`, whose page is `page` (below `output`).
  init(_ outcome: NoteOutcome, of file: NoteFile, page: URL?, output: URL) {
    source = file.url.standardizedFileURL.path
    self.page = page.map {
      Array($0.standardizedFileURL.pathComponents.dropFirst(output.pathComponents.count))
    }?
    .joined(separator: "/")
    switch outcome {
    case .ran(let result):
      let counts = outcome.check.counts
      self.file = result.note.file
      title = result.note.title
      order = result.note.frontMatter.order
      cells = result.note.cells.count
      (passed, failed, skipped) = (counts.passed, counts.failed, counts.skipped)
      problem = nil
    case .unreadable(let error):
      self.file = error.file
      title = error.file
      order = nil
      cells = 0
      (passed, failed, skipped) = (0, 0, 0)
      problem = Problem(line: error.line, message: error.message)
    }
  }
}
