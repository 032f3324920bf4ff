import Foundation
import Testing

@testable import NoteRunKit

/// The traces the timeline tests draw come from the real kernel: `Fixtures/traces/NAME.md`
/// is a note (one cell, or a few where a trace needs an earlier cell), and `NAME.json` what
/// the kernel sent for its last cell (its wire format). A
/// test below runs each note again and fails when the kernel's output has drifted from the
/// file; `NOTERUN_UPDATE_FIXTURES=1 swift test --filter TraceFixtures` rewrites them.
enum TraceFixtures {
  static let names = ["cancel", "carried", "deadlock", "fanout", "gather", "instant", "omitted", "queue"]

  /// Source folder of the fixtures, for rewriting them.
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/traces")

  static func load(_ name: String) throws -> Trace {
    let url = try #require(
      Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/traces"))
    return try JSONDecoder().decode(WireTrace.self, from: Data(contentsOf: url)).domain()
  }

  /// Runs `NAME.md` through a real kernel: its last cell's trace, as the kernel sent it.
  static func record(_ name: String) throws -> WireTrace {
    let url = folder.appendingPathComponent("\(name).md")
    let note = try NoteParser.parse(
      file: url, root: folder, displayPath: "\(name).md", defaultLanguage: nil)
    // A small limit makes the spinner's trace a summary, as a long one is.
    let settings = RunSettings(traceLimit: name == "omitted" ? 25 : 5000)
    let result = NoteRunner(settings: settings).run(note)
    #expect(
      result.cells.allSatisfy { $0.status == .ok } || name == "deadlock",
      "\(name).md: \(result.cells.map(\.status))")
    let trace = try #require(result.cells.last?.trace, "\(name).md: the last cell has no trace")
    return WireTrace(trace)
  }

  static func encoded(_ trace: WireTrace) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(trace) + Data("\n".utf8)
  }
}

func loadTraceFixture(_ name: String) throws -> Trace {
  try TraceFixtures.load(name)
}

@Suite struct TraceFixtureTests {
  @Test(arguments: TraceFixtures.names)
  func fixtureIsWhatTheKernelRecords(_ name: String) throws {
    let recorded = try TraceFixtures.encoded(TraceFixtures.record(name))
    let file = TraceFixtures.folder.appendingPathComponent("\(name).json")
    if ProcessInfo.processInfo.environment["NOTERUN_UPDATE_FIXTURES"] == "1" {
      try recorded.write(to: file, options: .atomic)
    }
    let stored = try Data(contentsOf: file)
    #expect(
      stored == recorded,
      "\(name).json differs from what the kernel records now: NOTERUN_UPDATE_FIXTURES=1 swift test --filter TraceFixtures"
    )
  }
}
