import Foundation
import Testing

@testable import NoteRunKit

/// Numbers are held to a range where they enter: the command line, the cell cache, the
/// renderer's conversions. Each of these crashed noterun or killed every kernel before.
@Suite struct ValueEdgeTests {
  @Test(arguments: [
    ["--timeout", "nan"], ["--timeout", "inf"], ["--timeout", "1e308"], ["--time-budget", "1e308"],
    ["--time-budget", "nan"], ["--time-budget=-1"],
  ])
  func outOfRangeNumbersAreRefusedWithOneLine(_ option: [String]) throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/n.md", "```python\nprint(1)\n```\n")
    let run = try sandbox.run(["check", "notes", "--no-cache"] + option)
    #expect(run.status == 64, "\(run.stderr)")
    let name = option[0].split(separator: "=")[0]
    #expect(run.stderr.contains("\(name) must be a number of seconds above 0"), "\(run.stderr)")
  }

  @Test func aCachedTraceWithAnAbsurdTimeIsAMissNotACrash() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-values-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let note = try kernelTestNote(["import asyncio\nawait asyncio.sleep(1)"])
    let cache = CellCache(folder: folder)
    let key = CellCache.keys(for: note, environment: "test", last: nil)[0]
    let trace = Trace(
      clock: .virtual, end: 9.3e18,
      tasks: [
        TraceTask(
          id: 1, name: "Task-1", coroutine: "<module>", parent: nil, created: 0, origin: nil, end: nil)
      ], events: [])
    cache.store(CellResult(cell: 0, status: .ok, trace: trace), for: key, in: note, cell: 0)
    #expect(cache.result(for: key, in: note, cell: 0) == nil)
    var sane = trace
    sane.end = 1
    cache.store(CellResult(cell: 0, status: .ok, trace: sane), for: key, in: note, cell: 0)
    #expect(cache.result(for: key, in: note, cell: 0)?.trace == sane)
  }

  @Test func durationsOfAnySizeFormatWithoutTrapping() {
    #expect(DurationText.format(9.3e18) == "2562047788015215 h 30 min")
    #expect(DurationText.format(.infinity) == "2562047788015215 h 30 min")
    #expect(DurationText.format(.nan) == "0 h")
    #expect(DurationText.format(7200) == "2 h")
  }
}
