import Foundation

/// Writes rendered notes into the output folder: one page per note, atomically, and the
/// index of them all.
public struct SiteWriter: Sendable {
  public var layout: OutputLayout
  public var renderer: PageRenderer
  /// Set by `watch`: the script that reloads an open page when it changes.
  public var liveReloadScript: String?

  public init(layout: OutputLayout, renderer: PageRenderer = PageRenderer(), liveReloadScript: String? = nil)
  {
    self.layout = layout
    self.renderer = renderer
    self.liveReloadScript = liveReloadScript
  }

  /// Writes the page of `result`, judged by `check` (`NoteCheck(result)`), and returns where.
  @discardableResult
  public func write(_ result: NoteResult, check: NoteCheck) throws -> URL {
    let page = layout.page(for: result.note)
    let html = renderer.render(
      result, check: check, indexHref: OutputLayout.href(from: page, to: layout.index), layout: layout,
      liveReloadScript: liveReloadScript)
    try AtomicFile.write(html, to: page)
    return page
  }

  /// Writes, in place of the page of the note in `file`, a page showing why it could not be
  /// read.
  @discardableResult
  public func write(problem: NoteError, for file: NoteFile) throws -> URL {
    let page = layout.page(forNoteAt: file.url, root: file.root)
    let html = renderer.render(
      problem: problem, indexHref: OutputLayout.href(from: page, to: layout.index),
      liveReloadScript: liveReloadScript)
    try AtomicFile.write(html, to: page)
    return page
  }

  public func writeIndex(_ outcomes: [NoteOutcome]) throws {
    var results: [NoteResult] = []
    var unreadable: [NoteError] = []
    for outcome in outcomes {
      switch outcome {
      case .ran(let result): results.append(result)
      case .unreadable(let error): unreadable.append(error)
      }
    }
    let html = IndexRenderer(layout: layout).render(
      results, checks: results.map(NoteCheck.init), unreadable: unreadable, liveReloadScript: liveReloadScript
    )
    try AtomicFile.write(html, to: layout.index)
  }
}
