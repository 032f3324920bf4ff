import Foundation
import Testing

@testable import NoteRunKit

@Suite struct IncludeTests {
  let folder: TemporaryFolder
  let note: URL

  init() throws {
    folder = try TemporaryFolder()
    try folder.write("notes/lib/five.py", "l1\nl2\nl3\nl4\nl5\n")
    try folder.write("notes/crlf.py", "a\r\nb\r\n")
    try folder.write("secret.py", "password = 1\n")
    note = try folder.write("notes/sub/note.md", "")
  }

  func parse(_ code: String) throws -> Note {
    try NoteParser.parse(
      text: "Intro\n\n```python\n\(code)```\n", url: note, root: folder.url.appendingPathComponent("notes"),
      displayPath: "notes/sub/note.md", defaultLanguage: nil)
  }

  @Test(arguments: [
    ("", 1, "l1\nl2\nl3\nl4\nl5\n"), (":2", 2, "l2\n"), (":2:", 2, "l2\nl3\nl4\nl5\n"),
    ("::2", 1, "l1\nl2\n"),
    (":2:4", 2, "l2\nl3\nl4\n"), (":", 1, "l1\nl2\nl3\nl4\nl5\n"), (":5:5", 5, "l5\n"),
  ])
  func lineRanges(range: String, line: Int, text: String) throws {
    let cell = try #require(try parse("x = 0\n  {{#include ../lib/five.py\(range)}}  \ny = 1\n").cells.first)
    #expect(
      cell.segments == [
        SourceSegment(file: "notes/sub/note.md", line: 4, text: "x = 0\n"),
        SourceSegment(file: "notes/lib/five.py", line: line, text: text),
        SourceSegment(file: "notes/sub/note.md", line: 6, text: "y = 1\n"),
      ])
    #expect(cell.source == "x = 0\n  {{#include ../lib/five.py\(range)}}  \ny = 1\n")
    #expect(cell.includes == [folder.url.appendingPathComponent("notes/lib/five.py")])
  }

  @Test func includesAloneAndTwice() throws {
    let cell = try #require(try parse("{{#include ../crlf.py}}\n{{#include ../crlf.py::1}}\n").cells.first)
    #expect(
      cell.segments == [
        SourceSegment(file: "notes/crlf.py", line: 1, text: "a\nb\n"),
        SourceSegment(file: "notes/crlf.py", line: 1, text: "a\n"),
      ])
    #expect(cell.includes.count == 1)
    #expect(cell.code == "a\nb\na\n")
  }

  @Test func lookalikesAreCode() throws {
    let cell = try #require(
      try parse("print('{{#include x}}')\n{{#includes x}}\n# {{#include x}}\n").cells.first)
    #expect(cell.segments.count == 1 && cell.includes.isEmpty)
  }

  @Test func traversalIsRefused() throws {
    let error = noteError { try parse("{{#include ../../../secret.py}}\n") }
    #expect(error?.line == 4 && error?.message.contains("escapes the notes root") == true)
    let absolute = noteError { try parse("{{#include \(folder.url.path)/notes/crlf.py}}\n") }
    #expect(absolute?.line == 4 && absolute?.message.contains("must be relative to the note") == true)
    try FileManager.default.createSymbolicLink(
      at: folder.url.appendingPathComponent("notes/sub/link.py"),
      withDestinationURL: folder.url.appendingPathComponent("secret.py"))
    let linked = noteError { try parse("x = 1\n{{#include link.py}}\n") }
    #expect(linked?.line == 5 && linked?.message.contains("through a symbolic link") == true)
  }

  @Test func symbolicLinksInsideTheRootAreFine() throws {
    try FileManager.default.createSymbolicLink(
      at: folder.url.appendingPathComponent("notes/sub/five.py"),
      withDestinationURL: folder.url.appendingPathComponent("notes/lib/five.py"))
    let cell = try #require(try parse("{{#include five.py:1}}\n").cells.first)
    #expect(cell.segments == [SourceSegment(file: "notes/sub/five.py", line: 1, text: "l1\n")])
  }

  @Test(arguments: [
    ("{{#include missing.py}}", "included file `missing.py` not found"),
    ("{{#include ../lib}}", "include `../lib` is a folder, not a file"),
    ("{{#include }}", "include without a file name"),
    ("{{#include ../lib/five.py:a:b}}", "include line range `a:b` must be line numbers from 1"),
    ("{{#include ../lib/five.py:0}}", "include line range `0` must be line numbers from 1"),
    ("{{#include ../lib/five.py:4:2}}", "include line range ends before it starts"),
    ("{{#include ../lib/five.py:2:9}}", "include asks for lines 2…9 but `../lib/five.py` has 5 lines"),
    ("{{#include ../lib/five.py:7}}", "include asks for lines 7…7 but `../lib/five.py` has 5 lines"),
    ("{{#include ../lib/five.py:1:2:3}}", "include takes one line range"),
  ])
  func badIncludesAreErrorsAtTheirLine(line: String, message: String) {
    let error = noteError { try parse("x = 1\n\(line)\n") }
    #expect(error?.file == "notes/sub/note.md" && error?.line == 5)
    #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")")
  }

  @Test func includedFilesAreCheckedLikeNotes() throws {
    try Data([0x61, 0x0A, 0xFF]).write(to: folder.url.appendingPathComponent("notes/bad.py"))
    let error = noteError { try parse("{{#include ../bad.py}}\n") }
    #expect(error?.line == 4)
    #expect(error?.message == "notes/bad.py:2: included file is not valid UTF-8 (byte 3); save it as UTF-8")
  }
}
