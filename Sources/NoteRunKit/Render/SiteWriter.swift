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
    try OutputPlacement.requireInside(page, layout.output)
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
    try OutputPlacement.requireInside(page, layout.output)
    let html = renderer.render(
      problem: problem, indexHref: OutputLayout.href(from: page, to: layout.index),
      pagePath: OutputLayout.href(from: layout.index, to: page), liveReloadScript: liveReloadScript)
    try AtomicFile.write(html, to: page)
    return page
  }

  /// Writes the index of `listed` (each note of this run with its outcome) and of the pages
  /// the layout keeps from earlier runs, the site's navigation and search scripts beside it
  /// (`SiteScripts`), then the output folder's `SiteManifest`. A page an
  /// earlier run wrote for one of these notes at another path is removed, so a note never
  /// has two pages.
  public func writeIndex(_ listed: [(NoteFile, NoteOutcome)]) throws {
    var results: [NoteResult] = []
    var unreadable: [NoteError] = []
    var records: [PageRecord] = []
    for (file, outcome) in listed {
      var page: URL? = layout.page(forNoteAt: file.url, root: file.root)
      switch outcome {
      case .ran(let result): results.append(result)
      case .unreadable(let error):
        unreadable.append(error)
        if let written = page, !FileManager.default.fileExists(atPath: written.path) { page = nil }
      }
      records.append(PageRecord(outcome, of: file, page: page, output: layout.output))
    }
    try writeScripts(results)
    let html = IndexRenderer(layout: layout).render(
      results, checks: results.map(NoteCheck.init), unreadable: unreadable, kept: layout.kept,
      liveReloadScript: liveReloadScript)
    try AtomicFile.write(html, to: layout.index)
    let current = Set(records.map(\.source))
    let pages = Set((records + layout.kept).compactMap(\.page))
    for earlier in SiteManifest.records(in: layout.output) where current.contains(earlier.source) {
      guard let page = earlier.page, !pages.contains(page) else { continue }
      let url = layout.output.appendingPathComponent(page)
      guard (try? OutputPlacement.requireInside(url, layout.output)) != nil else { continue }
      try? FileManager.default.removeItem(at: url)
    }
    try SiteManifest.write(records + layout.kept, in: layout.output)
  }

  /// The notes of this run and those kept from earlier ones, in reading order, for the
  /// sidebar and previous / next; the search index of the same.
  private func writeScripts(_ results: [NoteResult]) throws {
    let order = ReadingOrder(roots: results.map(\.note.root))
    let folder = layout.index.deletingLastPathComponent()
    let fresh = results.map {
      (
        ReadingOrder.Place($0.note),
        href: OutputLayout.href(from: layout.index, to: layout.page(for: $0.note)),
        title: $0.note.title
      )
    }
    let kept = layout.kept.compactMap { record in
      record.page.map {
        (
          ReadingOrder.Place(record),
          href: OutputLayout.href(from: layout.index, to: layout.output.appendingPathComponent($0)),
          title: record.title
        )
      }
    }
    let notes = order.sorted(fresh + kept) { $0.0 }
    try AtomicFile.write(
      SiteScripts.navigation(notes.map { ($0.href, $0.title) }),
      to: folder.appendingPathComponent(SiteScripts.navigationName))
    let search = SiteScripts.search(
      order.sorted(results) { ReadingOrder.Place($0.note) }, layout: layout, keeping: Set(kept.map(\.href)),
      from: folder)
    try AtomicFile.write(search, to: folder.appendingPathComponent(SiteScripts.searchName))
  }
}
