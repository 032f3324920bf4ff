import Foundation
import Testing

@testable import NoteRunKit

@Suite struct RenderOutputLayoutTests {
  private let layout = OutputLayout(output: URL(fileURLWithPath: "/work/output"))
  private let root = URL(fileURLWithPath: "/work/Notes")

  @Test func pagesMirrorTheNotesTree() {
    #expect(
      layout.page(forNoteAt: URL(fileURLWithPath: "/work/Notes/a/b.md"), root: root).path
        == "/work/output/a/b.html")
    #expect(
      layout.page(forNoteAt: URL(fileURLWithPath: "/work/Notes/intro.md"), root: root).path
        == "/work/output/intro.html")
    #expect(
      layout.page(forNoteAt: URL(fileURLWithPath: "/work/Notes/seed.txt"), root: root).path
        == "/work/output/seed.txt.html", "only .md becomes .html: a.md and a.txt must not share a page")
    #expect(
      layout.page(forNoteAt: URL(fileURLWithPath: "/elsewhere/x.md"), root: root).path
        == "/work/output/x.html")
    #expect(layout.index.path == "/work/output/index.html")
  }

  private func file(_ path: String, root: String = "/work/Notes") -> NoteFile {
    NoteFile(url: URL(fileURLWithPath: path), root: URL(fileURLWithPath: root), displayPath: path)
  }

  @Test func pagesAreAssignedCollisionFreeIgnoringCase() {
    let notes = [
      file("/work/Notes/x.md"), file("/work/Notes/x.MD"), file("/work/Notes/X-2.md"),
      file("/work/Notes/a.html.md"),
      file("/work/Notes/a.html", root: "/work/Notes"), file("/work/Notes/Sub/y.md"),
      file("/work/Notes/sub/Y.md"),
    ]
    let layout = OutputLayout(output: URL(fileURLWithPath: "/work/output"), notes: notes)
    let pages = notes.map { layout.page(forNoteAt: $0.url, root: $0.root).path }
    #expect(
      pages == [
        "/work/output/x-3.html", "/work/output/x.html", "/work/output/X-2.html", "/work/output/a.html-2.html",
        "/work/output/a.html.html", "/work/output/Sub/y.html", "/work/output/sub/Y-2.html",
      ])
    #expect(Set(pages.map { $0.lowercased() }).count == notes.count)
    #expect(layout.index.path == "/work/output/index.html")
  }

  @Test func namesInEitherUnicodeNormalizationAreTwoNotesWithTwoPages() {
    // Linux keeps both files; a Mac's file system and a browser's URL would not tell them apart.
    let composed = file("/work/Notes/caf\u{E9}.md")
    let decomposed = file("/work/Notes/cafe\u{301}.md")
    let layout = OutputLayout(output: URL(fileURLWithPath: "/work/output"), notes: [composed, decomposed])
    let pages = [composed, decomposed].map { Array(layout.page(forNoteAt: $0.url, root: $0.root).path.utf8) }
    #expect(pages[0] != pages[1])
    #expect(
      pages.contains(Array("/work/output/cafe\u{301}-2.html".utf8))
        || pages.contains(Array("/work/output/caf\u{E9}-2.html".utf8)))
  }

  @Test func severalFoldersMirrorTheirCommonFolderAndIndexMdIsTheHomePage() {
    let layout = OutputLayout(
      output: URL(fileURLWithPath: "/work/output"),
      roots: [URL(fileURLWithPath: "/work/Notes/A"), URL(fileURLWithPath: "/work/Notes/B")],
      notes: [
        file("/work/Notes/A/index.md", root: "/work/Notes/A"),
        file("/work/Notes/B/x.md", root: "/work/Notes/B"),
      ])
    #expect(
      layout.page(forNoteAt: URL(fileURLWithPath: "/work/Notes/A/index.md"), root: root).path
        == "/work/output/A/index.html")
    #expect(layout.index.path == "/work/output/index.html", "index.md below the top is a page like any other")

    let home = OutputLayout(
      output: URL(fileURLWithPath: "/work/output"),
      notes: [file("/work/Notes/Index.md"), file("/work/Notes/notes-index.md")])
    #expect(
      home.page(forNoteAt: URL(fileURLWithPath: "/work/Notes/Index.md"), root: root).path
        == "/work/output/Index.html")
    #expect(home.index.path == "/work/output/notes-index.html")
    #expect(
      home.page(forNoteAt: URL(fileURLWithPath: "/work/Notes/notes-index.md"), root: root).path
        == "/work/output/notes-index-2.html")
  }

  @Test func hrefsAreRelativeAndEncoded() {
    let page = URL(fileURLWithPath: "/work/output/a/b/c.html")
    #expect(OutputLayout.href(from: page, to: layout.index) == "../../index.html")
    #expect(OutputLayout.href(from: layout.index, to: page) == "a/b/c.html")
    #expect(OutputLayout.href(from: page, to: URL(fileURLWithPath: "/work/output/a/d.html")) == "../d.html")
    #expect(OutputLayout.href(from: page, to: URL(fileURLWithPath: "/work/output/a/b/e.html")) == "e.html")
    #expect(
      OutputLayout.href(from: layout.index, to: URL(fileURLWithPath: "/work/output/my notes/#1 ü.html"))
        == "my%20notes/%231%20%C3%BC.html")
  }
}
