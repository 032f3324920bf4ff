import Foundation
import Mustache
import Testing

@testable import NoteRunKit

/// The views the templates read answer every key themselves (`MustacheParent`, so that
/// swift-mustache does not reflect over all fields for every key). These tests keep each
/// `child(named:)` in step with its type's fields: a field added without its case fails here.
@Suite struct RenderTemplateViewTests {
  /// Checks that `view` answers every stored property by name with its value, then does the
  /// same for every view nested in it (fields, array elements, optionals).
  static func expectAnswersEveryField(_ view: any MustacheParent, path: String, seen: inout Set<String>) {
    seen.insert(String(describing: type(of: view)))
    for child in Mirror(reflecting: view).children {
      guard let label = child.label else { continue }
      let field = unwrapped(child.value)
      let answer = view.child(named: label).flatMap(unwrapped)
      #expect(
        answer.map { String(describing: $0) } == field.map { String(describing: $0) },
        "\(path).\(label) is not answered by child(named:)")
      for (offset, nested) in nestedViews(field).enumerated() {
        expectAnswersEveryField(nested, path: "\(path).\(label)[\(offset)]", seen: &seen)
      }
    }
  }

  static func unwrapped(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    guard mirror.displayStyle == .optional else { return value }
    return mirror.children.first.map { unwrapped($0.value) } ?? nil
  }

  static func nestedViews(_ value: Any?) -> [any MustacheParent] {
    switch value {
    case let view as any MustacheParent: [view]
    case let array as [Any]: array.compactMap { $0 as? any MustacheParent }
    default: []
    }
  }

  @Test func cellViewsAnswerEveryField() {
    let result = RenderFixtures.richResult()
    let check = NoteCheck(result)
    var seen: Set<String> = []
    for (cell, cellCheck) in zip(result.note.cells, check.cells) {
      let view = CellView(
        cell: cell,
        result: result.cells.first { $0.cell == cell.index } ?? CellResult(cell: cell.index, status: .notRun),
        check: cellCheck,
        unfinished: [
          UnfinishedTask(name: "worker", coroutine: "work", started: true, location: "n.md:3", cell: 0)
        ],
        note: result.note, timings: true, traceHTML: { _, _ in "<svg></svg>" })
      Self.expectAnswersEveryField(view, path: "cell \(cell.index)", seen: &seen)
    }
    #expect(
      seen.isSuperset(of: [
        "CellView", "ErrorBlock", "WaitingTask", "Waiting",
        "TraceSection", "Unfinished",
      ]), "\(seen)")
  }

  @Test func pageAndIndexViewsAnswerEveryField() {
    var seen: Set<String> = []
    let page = PageView(
      title: "T", titleHTML: "T", file: "n.md", indexHref: "index.html", rootHref: "", pagePath: "n.html",
      css: "body{}", script: "", toc: [.init(tocAnchor: "a", tocText: "A", tocClass: "toc-h2")],
      facts: [.init(text: "1 cell", tone: "")],
      cellMap: [
        .init(anchor: "cell-1", chipNumber: 1, chipStatus: "ok", chipSymbol: "✓", chipTitle: "Cell 1")
      ],
      hasCells: true, body: "<p>x</p>", timelineScript: "t", liveReloadScript: nil)
    Self.expectAnswersEveryField(page, path: "page", seen: &seen)
    Self.expectAnswersEveryField(CodeBlockView(language: "python", html: "x"), path: "code", seen: &seen)
    let index = IndexView(
      css: "", script: "", summary: "1 note",
      notes: [
        .init(
          noteTitle: "N", path: "n.md", href: "n.html", cellCount: "1 cell", outcome: "all ok",
          outcomeStatus: "ok")
      ],
      hasNotes: true, problems: [.init(location: "b.md:1", problem: "bad")], hasProblems: true,
      liveReloadScript: "x")
    Self.expectAnswersEveryField(index, path: "index", seen: &seen)
    #expect(
      seen.isSuperset(of: [
        "PageView", "Fact", "TocEntry", "CellChip", "CodeBlockView", "IndexView", "Entry", "Problem",
      ]))
  }
}
