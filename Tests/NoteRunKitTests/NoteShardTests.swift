import Foundation
import Testing

@testable import NoteRunKit

@Suite struct NoteShardTests {
  func files(_ names: [String]) -> [NoteFile] {
    let root = URL(fileURLWithPath: "/notes")
    return names.map {
      NoteFile(url: root.appendingPathComponent($0), root: root, displayPath: "notes/\($0)")
    }
  }

  func shards(_ files: [NoteFile], _ count: Int, _ durations: NoteDurations?) -> [[String]] {
    (1...count).map {
      NoteShard(index: $0, count: count)!.select(files, durations: durations).map(\.displayPath)
    }
  }

  @Test func withoutDurationsNotesAreDealtRoundRobinInPathOrder() {
    let notes = files(["e.md", "a.md", "c.md", "b.md", "d.md"])
    #expect(
      shards(notes, 2, nil) == [["notes/a.md", "notes/c.md", "notes/e.md"], ["notes/b.md", "notes/d.md"]])
    #expect(shards(notes, 2, NoteDurations()) == shards(notes, 2, nil))
  }

  @Test func durationsBalanceTheShards() {
    // Round-robin would put the slow note with two quick ones: 12 s against 3 s.
    let notes = files(["a.md", "b.md", "c.md", "d.md", "e.md", "f.md"])
    let durations = NoteDurations(seconds: [
      "notes/a.md": 10, "notes/b.md": 1, "notes/c.md": 1, "notes/d.md": 1, "notes/e.md": 1, "notes/f.md": 1,
    ])
    #expect(
      shards(notes, 2, durations) == [
        ["notes/a.md"], ["notes/b.md", "notes/c.md", "notes/d.md", "notes/e.md", "notes/f.md"],
      ])
  }

  @Test func everyNoteIsInExactlyOneShardWhateverTheDurations() {
    var random = SplitMix64(seed: 13)
    for _ in 0..<200 {
      let names = (0..<Int.random(in: 0...30, using: &random)).map { "n\($0).md" }
      var seconds: [String: Double] = [:]
      for name in names where Bool.random(using: &random) {
        seconds["notes/\(name)"] = Double(Int.random(in: 0...5, using: &random))
      }
      let count = Int.random(in: 1...6, using: &random)
      let split = shards(files(names.shuffled(using: &random)), count, NoteDurations(seconds: seconds))
      #expect(split.flatMap { $0 }.sorted() == names.map { "notes/\($0)" }.sorted())
      #expect(split.allSatisfy { $0 == $0.sorted() }, "each shard in path order")
    }
  }

  @Test func durationsAreMergedWrittenAndReadBack() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-durations-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("durations.json")
    #expect(try NoteDurations.read(file) == NoteDurations())

    let note = try kernelTestNote(["1"])
    let result = NoteResult(note: note, cells: [], python: nil, seconds: 0.25)
    let merged = NoteDurations(seconds: ["Notes/other.md": 2, note.file: 9]).updated(with: [result])
    #expect(merged.seconds == ["Notes/other.md": 2, note.file: 0.25])
    try merged.write(to: file)
    #expect(try NoteDurations.read(file) == merged)

    try "[1, 2]".write(to: file, atomically: true, encoding: .utf8)
    #expect(throws: NoteDurationsError(path: file.path)) { try NoteDurations.read(file) }
  }
}

/// `check --durations FILE --shard K/N` as CI runs it: one run writes the durations, the
/// shards of the next are balanced by them.
@Suite struct CLIShardDurationsTests {
  @Test func aRunWritesDurationsAndTheShardsOfTheNextAreBalancedByThem() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/a-slow.md", "```python clock=real\nimport time\ntime.sleep(0.6)\n```\n")
    for name in ["b", "c", "d"] { try sandbox.write("notes/\(name).md", "```python\nprint(1)\n```\n") }

    let full = try sandbox.run(["check", "notes", "--no-cache", "--durations", "d.json"])
    #expect(full.status == 0, "\(full.stderr)")
    let durations = try NoteDurations.read(sandbox.url("d.json"))
    #expect(durations.seconds.keys.sorted() == ["notes/a-slow.md", "notes/b.md", "notes/c.md", "notes/d.md"])
    #expect(durations.seconds["notes/a-slow.md"]! >= 0.6)
    // What the sharding does with durations, apart from how fast this machine was just now
    // (under load a fast note's kernel start can take longer than the slow note's sleep).
    // Each shard has its own copy, as on its own CI machine: a shard updates the file it read.
    for copy in ["d1.json", "d2.json"] {
      try NoteDurations(seconds: ["notes/a-slow.md": 3, "notes/b.md": 1, "notes/c.md": 1, "notes/d.md": 1])
        .write(to: sandbox.url(copy))
    }

    let first = try sandbox.run(["check", "notes", "--no-cache", "--shard", "1/2", "--durations", "d1.json"])
    let second = try sandbox.run(["check", "notes", "--no-cache", "--shard", "2/2", "--durations", "d2.json"])
    // Round-robin would give shard 1 the slow note and c.md.
    #expect(first.stdoutLines.dropLast() == ["✓ notes/a-slow.md  1 passed"], "\(first.stdout)")
    #expect(second.stdoutLines.count == 4, "\(second.stdout)")

    try sandbox.write("bad.json", "{\"notes/b.md\": \"fast\"}")
    let bad = try sandbox.run(["check", "notes", "--shard", "1/2", "--durations", "bad.json"])
    #expect(bad.status == 2 && bad.stderr.contains("bad.json: not a durations file"), "\(bad.stderr)")
  }
}
