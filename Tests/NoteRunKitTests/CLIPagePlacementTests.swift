import Foundation
import Testing

/// Where `noterun render` puts pages: one page per note, never two notes on one page nor a
/// page on a source; the real binary, real files.
@Suite struct CLIPagePlacementTests {
  static func note(_ title: String, _ printed: String) -> String {
    "# \(title)\n\n```python\nprint(\"\(printed)\")\n```\n"
  }

  /// The `href`s of the index's note links, in order.
  static func links(_ index: String) -> [String] {
    index.matches(of: /class="note-title" href="([^"]*)"/).map { String($0.1) }
  }

  @Test func aNoteAndATextFileOfOneNameGetAPageEach() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("n/a.md", Self.note("Markdown", "from-md"))
    try sandbox.write("n/a.txt", Self.note("Text", "from-txt"))

    let run = try sandbox.run(["render", "n/a.md", "n/a.txt", "-o", "out", "--no-cache"])

    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      sandbox.files(under: "out") == [
        ".noterun-pages.json", "a.html", "a.txt.html", "index.html", "noterun-search.js", "noterun-site.js",
      ])
    #expect(try sandbox.read("out/a.html").contains("from-md"))
    #expect(try sandbox.read("out/a.txt.html").contains("from-txt"))
    #expect(Self.links(try sandbox.read("out/index.html")) == ["a.html", "a.txt.html"])
  }

  @Test func notesOfOneNameInTwoFoldersGivenAsFilesKeepTheirFolders() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("n/A/x.md", Self.note("First", "from-A"))
    try sandbox.write("n/B/x.md", Self.note("Second", "from-B"))

    let run = try sandbox.run(["render", "n/A/x.md", "n/B/x.md", "-o", "out", "--no-cache"])

    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      sandbox.files(under: "out") == [
        ".noterun-pages.json", "A/x.html", "B/x.html", "index.html", "noterun-search.js", "noterun-site.js",
      ])
    #expect(try sandbox.read("out/A/x.html").contains("from-A"))
    #expect(try sandbox.read("out/B/x.html").contains("from-B"))
    #expect(Self.links(try sandbox.read("out/index.html")) == ["A/x.html", "B/x.html"])
  }

  @Test func namesThatDifferOnlyInCaseGetPagesThatDifferWithoutCase() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("n/x.MD", Self.note("Upper", "from-upper"))
    try sandbox.write("n/x.md", Self.note("Lower", "from-lower"))
    // A link to the note whose page had to take another name follows it there.
    try sandbox.write("n/links.md", "# Links\n\nSee [lower](x.md#part) and [upper](x.MD).\n")

    let run = try sandbox.run(["render", "n", "-o", "out", "--no-cache"])

    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      sandbox.files(under: "out") == [
        ".noterun-pages.json", "index.html", "links.html", "noterun-search.js", "noterun-site.js", "x-2.html",
        "x.html",
      ])
    // Byte order of the note paths: `x.MD` before `x.md`.
    #expect(try sandbox.read("out/x.html").contains("from-upper"))
    #expect(try sandbox.read("out/x-2.html").contains("from-lower"))
    let index = try sandbox.read("out/index.html")
    #expect(index.contains("href=\"x.html\">Upper</a>"))
    #expect(index.contains("href=\"x-2.html\">Lower</a>"))
    let links = try sandbox.read("out/links.html")
    #expect(links.contains("href=\"x-2.html#part\">lower</a>"), "\(links)")
  }

  @Test func namesThatDifferOnlyInUnicodeNormalizationAreTwoNotesWithTwoPages() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("n/caf\u{E9}.md", Self.note("Composed", "from-composed"))
    try sandbox.write("n/cafe\u{301}.md", Self.note("Decomposed", "from-decomposed"))
    #expect(
      Set(try FileManager.default.contentsOfDirectory(atPath: sandbox.url("n").path).map { Array($0.utf8) })
        .count == 2)

    let run = try sandbox.run(["render", "n", "-o", "out", "--no-cache"])

    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("rendered 2 of 2 notes"), "\(run.stderr)")
    let index = try sandbox.read("out/index.html")
    #expect(index.contains(">Composed</a>") && index.contains(">Decomposed</a>"))
    #expect(Set(Self.links(index)).count == 2)
  }

  @Test func aNoteNamedIndexIsTheHomePageAndTheListMovesAside() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("n/index.md", "---\ntitle: Welcome\n---\n\nSee [the other](other.md).\n")
    try sandbox.write("n/other.md", Self.note("Other", "from-other"))

    let run = try sandbox.run(["render", "n", "-o", "out", "--no-cache"])

    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("out/notes-index.html"), "the summary names the list: \(run.stderr)")
    #expect(
      sandbox.files(under: "out") == [
        ".noterun-pages.json", "index.html", "noterun-search.js", "noterun-site.js", "notes-index.html",
        "other.html",
      ])
    let home = try sandbox.read("out/index.html")
    #expect(home.contains("<title>Welcome</title>"))
    #expect(home.contains("href=\"other.html\">the other</a>"))
    #expect(home.contains("href=\"notes-index.html\""), "the home page links to the list")
    let list = try sandbox.read("out/notes-index.html")
    #expect(Self.links(list) == ["index.html", "other.html"])
    #expect(try sandbox.read("out/other.html").contains("href=\"notes-index.html\""))
  }

  @Test func renderingOneNoteIntoAFolderKeepsTheOtherPagesInTheIndex() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("n/one.md", Self.note("One", "from-one"))
    try sandbox.write("n/A/x.md", Self.note("First x", "from-A"))
    try sandbox.write("n/B/x.md", Self.note("Second x", "from-B"))
    #expect(try sandbox.run(["render", "n/one.md", "-o", "out", "--no-cache"]).status == 0)
    #expect(try sandbox.run(["render", "n/A/x.md", "-o", "out", "--no-cache"]).status == 0)

    var index = try sandbox.read("out/index.html")
    #expect(Self.links(index) == ["x.html", "one.html"], "in path order: n/A/x.md, n/one.md")
    #expect(index.contains("2 notes · 2 cells · 2 passed, 0 failed, 0 skipped"))

    // Another note whose page would be x.html does not take the page of the kept one.
    #expect(try sandbox.run(["render", "n/B/x.md", "-o", "out", "--no-cache"]).status == 0)
    #expect(try sandbox.read("out/x.html").contains("from-A"))
    #expect(try sandbox.read("out/x-2.html").contains("from-B"))
    index = try sandbox.read("out/index.html")
    #expect(Self.links(index) == ["x.html", "x-2.html", "one.html"])

    // Rendering the folder moves both x pages below their folders; the old files go, a
    // removed note leaves the index.
    try FileManager.default.removeItem(at: sandbox.url("n/one.md"))
    #expect(try sandbox.run(["render", "n", "-o", "out", "--no-cache"]).status == 0)
    #expect(
      sandbox.files(under: "out") == [
        ".noterun-pages.json", "A/x.html", "B/x.html", "index.html", "noterun-search.js", "noterun-site.js",
        "one.html",
      ])
    #expect(Self.links(try sandbox.read("out/index.html")) == ["A/x.html", "B/x.html"])
  }

  @Test func aKeptHomePageKeepsTheListAside() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("n/index.md", "# Welcome\n")
    try sandbox.write("n/later.md", Self.note("Later", "later"))
    #expect(try sandbox.run(["render", "n/index.md", "-o", "out", "--no-cache"]).status == 0)
    #expect(try sandbox.run(["render", "n/later.md", "-o", "out", "--no-cache"]).status == 0)

    #expect(try sandbox.read("out/index.html").contains("<title>Welcome</title>"))
    #expect(Self.links(try sandbox.read("out/notes-index.html")) == ["index.html", "later.html"])
  }

  @Test func aManifestThatCannotBeTrustedIsIgnored() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("n/a.md", Self.note("A", "a"))
    try sandbox.write("elsewhere.html", "precious")
    for manifest in [
      "not json",
      #"{"schema": 1, "pages": [{"source": "\#(sandbox.url("n/a.md").path)", "file": "x", "page": "../elsewhere.html", "title": "T", "cells": 0, "passed": 0, "failed": 0, "skipped": 0}]}"#,
    ] {
      try sandbox.write("out/.noterun-pages.json", manifest)
      let run = try sandbox.run(["render", "n/a.md", "-o", "out", "--no-cache"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(Self.links(try sandbox.read("out/index.html")) == ["a.html"])
      #expect(try sandbox.read("elsewhere.html") == "precious")
    }
  }

  @Test func traceRefusesToWriteOverItsNote() throws {
    let sandbox = try CLISandbox()
    let note = Self.note("T", "t")
    try sandbox.write("n/t.md", note)
    try FileManager.default.createSymbolicLink(
      atPath: sandbox.url("alias.json").path, withDestinationPath: "n/t.md")

    for output in ["n/t.md", "alias.json"] {
      let run = try sandbox.run(["trace", "n/t.md", "--format", "json", "-o", output, "--no-cache"])
      #expect(run.status == 2, "\(run.stderr)")
      #expect(run.stderr.contains("-o \(output) is a note: choose another file"), "\(run.stderr)")
      #expect(try sandbox.read("n/t.md") == note)
    }
  }

  @Test func checkRefusesToWriteAReportOverANote() throws {
    let sandbox = try CLISandbox()
    let note = Self.note("T", "t")
    try sandbox.write("n/t.md", note)

    for option in ["--junit", "--durations"] {
      let run = try sandbox.run(["check", "n", option, "n/t.md", "--no-cache"])
      #expect(run.status == 2, "\(run.stderr)")
      #expect(run.stderr.contains("\(option) n/t.md is a note: choose another file"), "\(run.stderr)")
      #expect(try sandbox.read("n/t.md") == note)
    }
  }
}
