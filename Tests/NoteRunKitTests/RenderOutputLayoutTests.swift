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
        == "/work/output/seed.html")
    #expect(
      layout.page(forNoteAt: URL(fileURLWithPath: "/elsewhere/x.md"), root: root).path
        == "/work/output/x.html")
    #expect(layout.index.path == "/work/output/index.html")
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
