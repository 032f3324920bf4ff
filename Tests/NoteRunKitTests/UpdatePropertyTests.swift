import Foundation
import Testing

@testable import NoteRunKit

/// `check --update` on random notes: prose, cells at the top level, indented, in lists
/// and blockquotes, LF, CRLF or CR line endings, backtick and tilde fences of 3 to 6, with
/// and without output blocks, and outputs full of fence-like lines.
@Suite struct UpdatePropertyTests {

  /// Opening-line prefix and the prefix of the lines after it.
  static let containers = [
    ("", ""), (" ", " "), ("   ", "   "), ("> ", "> "), (">", ">"), ("- ", "  "), ("1. ", "   "),
    ("* ", "  "), ("> - ", ">   "), ("- > ", "  > "), ("  - ", "    "), (">  ", ">  "),
  ]
  static let outputLines = [
    "hello", "", "  indented", "\tTab\tin", "```", "~~~", "````", "~~~~~~~", "   ```", "> quoted", "- item",
    "...", "x = 1   ", "a\r\nb", "ünïcödé ✓", "<b>&amp;</b>", "    four", "`", "``` python", "~~~~~~~~~~~~",
    "1. one", "#", "---", "\\", "  ~~~~~~  ",
  ]

  static func fence(_ rng: inout SplitMix64) -> String {
    String(repeating: Bool.random(using: &rng) ? "`" : "~", count: Int.random(in: 3...6, using: &rng))
  }

  /// A random note and how many cells it has.
  static func note(_ rng: inout SplitMix64) -> (String, Int) {
    let eol = ["\n", "\r\n", "\r"].randomElement(using: &rng)!
    var lines: [String] = ["# Note"]
    var cells = 0
    for item in 0..<Int.random(in: 1...7, using: &rng) {
      let kind = Int.random(in: 0..<10, using: &rng)
      if kind < 2 {
        lines += ["", "Some *prose* number \(item)."]
      } else if kind == 2 {
        lines += ["", "```sh", "ls \(item)", "```"]
      } else {
        let (open, more) = containers.randomElement(using: &rng)!
        let blank = String(more.reversed().drop { $0 == " " }.reversed())
        if Bool.random(using: &rng) { lines.append("") } else { lines += ["", "Then:"] }
        let cell = fence(&rng)
        lines += [open + cell + "python", more + "print(\(item))", more + cell]
        cells += 1
        if Bool.random(using: &rng) {
          if Bool.random(using: &rng) { lines.append(blank) }
          let output = fence(&rng)
          lines.append(more + output + (Bool.random(using: &rng) ? "output" : " output"))
          for _ in 0..<Int.random(in: 0...3, using: &rng) {
            let line = ["old", "", "x y", "<old>", "..."].randomElement(using: &rng)!
            lines.append(line.isEmpty ? blank : more + line)
          }
          lines.append(more + output)
        }
      }
    }
    lines += ["", "The end."]
    let text = lines.joined(separator: eol) + (Bool.random(using: &rng) ? eol : "")
    return (text, cells)
  }

  static func result(_ cell: Int, _ rng: inout SplitMix64) -> (CellResult, run: Bool) {
    let statuses: [CellStatus] = [
      .ok, .ok, .ok, .ok, .ok, .ok, .expectedError, .missingError, .error, .timedOut, .kernelDied, .notRun,
    ]
    let status = statuses.randomElement(using: &rng)!
    var text = (0..<Int.random(in: 0...5, using: &rng)).map { _ in outputLines.randomElement(using: &rng)! }
      .joined(separator: "\n")
    if Bool.random(using: &rng) { text += "\n" }
    let value = Int.random(in: 0..<4, using: &rng) == 0 ? "'value'" : nil
    return (
      CellResult(
        cell: cell, status: status, outputs: [OutputChunk(stream: .stdout, text: text)], value: value),
      status != .notRun
    )
  }

  /// The file's lines, each with its terminator.
  static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var line: [UInt8] = []
    var index = 0
    while index < bytes.count {
      line.append(bytes[index])
      if bytes[index] == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 {
        index += 1
        line.append(10)
      }
      if bytes[index] == 10 || bytes[index] == 13 {
        lines.append(line)
        line = []
      }
      index += 1
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// A fence line without its run of fence characters.
  static func withoutRun(_ line: [UInt8]) -> [UInt8] {
    guard let start = line.firstIndex(where: { $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "~") }) else {
      return line
    }
    let end = line[start...].firstIndex { $0 != line[start] } ?? line.endIndex
    return Array(line[..<start] + line[end...])
  }

  @Test(arguments: 0..<50)
  func updateKeepsEveryOtherByteAndWritesWhatWasPrinted(batch: Int) {
    for seed in UInt64(batch * 10)..<UInt64(batch * 10 + 10) {
      check(seed: seed)
    }
  }

  func check(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let (text, cellCount) = Self.note(&rng)
    var note = ParsedNote.note(text)
    #expect(note.cells.count == cellCount, "seed \(seed): generator and parse disagree")
    var results: [CellResult] = []
    for index in note.cells.indices {
      let (result, run) = Self.result(index, &rng)
      results.append(result)
      note.cells[index].options.run = run
    }
    let original = Array(text.utf8)
    let update = OutputBlockUpdater.update(Data(original), note: note, results: results)
    let newText = String(decoding: update.content, as: UTF8.self)
    let updated = ParsedNote.note(newText)
    #expect(updated.cells.count == note.cells.count, "seed \(seed)")
    guard updated.cells.count == note.cells.count else { return }

    var oldKept = Self.lines(original)
    var newKept = Self.lines(Array(update.content))
    var oldRemoved = IndexSet()
    var newRemoved = IndexSet()
    var written = 0
    for (old, new) in zip(note.cells, updated.cells) {
      #expect(new.source == old.source, "seed \(seed)")
      let result = results[old.index]
      let printed = OutputMatcher.lines(result.printed)
      let recordable = old.options.run && [.ok, .expectedError, .missingError].contains(result.status)
      let write =
        recordable
        && (old.expected.map { !OutputMatcher.matches(expected: $0.text, actual: result.printed) }
          ?? !printed.isEmpty)
      let wanted = write ? printed.map { $0 + "\n" }.joined() : old.expected?.text
      #expect(new.expected?.text == wanted, "seed \(seed) cell \(old.index)\n\(newText)")
      guard write, let block = new.expected else { continue }
      written += 1
      #expect(update.changes.contains { $0.line == block.line && $0.kind != .refused("") }, "seed \(seed)")
      if let oldBlock = old.expected {
        #expect(Self.withoutRun(oldKept[oldBlock.line - 1]) == Self.withoutRun(newKept[block.line - 1]))
        #expect(Self.withoutRun(oldKept[oldBlock.endLine - 1]) == Self.withoutRun(newKept[block.endLine - 1]))
        oldRemoved.insert(integersIn: oldBlock.line - 1..<oldBlock.endLine)
        newRemoved.insert(integersIn: block.line - 1..<block.endLine)
      } else {
        newRemoved.insert(integersIn: new.endLine..<block.endLine)
      }
    }
    #expect(update.changes.count == written, "seed \(seed)")
    oldKept = oldKept.enumerated().filter { !oldRemoved.contains($0.offset) }.map(\.element)
    newKept = newKept.enumerated().filter { !newRemoved.contains($0.offset) }.map(\.element)
    #expect(oldKept == newKept, "seed \(seed): bytes outside the blocks changed\n\(text)\n---\n\(newText)")
  }
}
