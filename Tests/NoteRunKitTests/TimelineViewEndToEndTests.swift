import Foundation
import Testing

@testable import NoteRunKit

/// The timeline and table a reader sees, on traces a real kernel recorded.

/// Notes/07-queue.md's kitchen, cut down: a fast and a slow producer, two consumers that
/// each need 1.7 s per item.
private let kitchen = pythonNote([
  """
  import asyncio

  async def producer(name, count, every, queue):
      for n in range(1, count + 1):
          await asyncio.sleep(every)
          await queue.put(f"{name}-{n}")

  async def consumer(name, queue):
      while True:
          item = await queue.get()
          print(f"{name} took {item}")
          await asyncio.sleep(1.7)
          queue.task_done()

  async def kitchen():
      queue = asyncio.Queue()
      producers = [
          asyncio.create_task(producer("fast", 3, 1.0, queue), name="fast"),
          asyncio.create_task(producer("slow", 2, 1.4, queue), name="slow"),
      ]
      consumers = [asyncio.create_task(consumer(n, queue), name=n) for n in ("C1", "C2")]
      await asyncio.gather(*producers)
      await queue.join()
      for task in consumers:
          task.cancel()
      await asyncio.gather(*consumers, return_exceptions=True)

  asyncio.run(kitchen())
  """,
  """
  x = 40 + 2
  print(x)
  """,
  """
  async def tiny():
      await asyncio.sleep(0.0004)
  await asyncio.create_task(tiny(), name="tiny")
  """,
])

@Test func barsAreAsWideAsTheirDurationsOnALinearAxis() throws {
  let result = try runNote(kitchen)
  let trace = try trace(of: result.cells[0])
  let layout = TimelineLayout(trace)
  let perSecond =
    (layout.plotRight - layout.plotLeft) / (trace.timeRange.upperBound - trace.timeRange.lowerBound)
  var widths: [String: [Double]] = [:]
  for lane in layout.lanes {
    for span in lane.spans where span.kind == .suspended {
      widths[span.label ?? "?", default: []].append(span.width)
    }
  }
  // Every sleep(1.7) bar is 1.7 s wide, whatever else happened at its ends.
  let consumerSleeps = try #require(widths["sleep(1.7)"])
  #expect(consumerSleeps.count >= 4)
  for width in consumerSleeps { #expect(abs(width - 1.7 * perSecond) < 0.01) }
  let slow = try #require(widths["sleep(1.4)"])
  #expect(slow.allSatisfy { $0 < consumerSleeps.min()! })
  let spacing = zip(layout.ticks, layout.ticks.dropFirst()).map { ($1.x - $0.x) * 100 }.map { $0.rounded() }
  #expect(Set(spacing).count == 1, "ticks evenly spaced: \(spacing)")
  // Steps at one instant are told apart by a burst and by the loop-steps axis instead.
  #expect(layout.bursts.first?.steps ?? 0 >= 5)
  #expect(layout.bursts[0].title.contains("in the order the loop ran them:\n1. "))
  let steps = TimelineLayout(trace, axis: .steps)
  let starts = steps.lanes.map { $0.spans.first { $0.kind == .running }?.x ?? 0 }
  #expect(Set(starts).count == starts.count, "each task's first step has its own column")
}

@Test func subMillisecondTimesKeepTheirDigits() throws {
  let result = try runNote(kitchen)
  let trace = try trace(of: result.cells[2])
  let text = TraceTable.text(trace)
  #expect(text.contains("sleep(0.0004) after 0.0004 s"), "\(text)")
  #expect(!text.contains("after 0.000 s"))
}

@Test func aPrintIsOneRowAndNewlinesAreNoRows() throws {
  let result = try runNote(kitchen)
  let rows = TraceTable.rows(try trace(of: result.cells[0]))
  let prints = rows.filter { $0.kind == .print }
  #expect(prints.count == 5)
  #expect(prints.allSatisfy { !$0.what.isEmpty && !$0.what.contains("⏎") })
  #expect(prints.first?.what == "C1 took fast-1")
}

@Test func pagesOpenAsyncTracesAndLeaveSynchronousCellsWithout() throws {
  let result = try runNote(kitchen)
  let html = PageRenderer().render(judging: result)
  #expect(html.components(separatedBy: "<details class=\"trace\" open>").count - 1 == 2)
  #expect(html.components(separatedBy: "class=\"nr-tl\"").count - 1 == 2, "no section for the sync cell")
  #expect(html.contains("<th>woken by</th>"))
  #expect(html.contains("<script>") && html.contains("nr-tl-detail"))
  // The table's "where" links to the note's own lines on the page.
  #expect(html.contains("<a href=\"#L\(result.note.cells[0].codeLine + 21)\">Notes/t.md:"))

  var collapsed = kitchen.replacingOccurrences(of: "# Trace\n", with: "---\ntrace: closed\n---\n# Trace\n")
  let closedResult = try runNote(collapsed)
  #expect(!PageRenderer().render(judging: closedResult).contains("<details class=\"trace\" open>"))
  collapsed = pythonNote(["await asyncio.sleep(1)"], info: [0: "trace=closed"])
  let oneClosed = PageRenderer().render(judging: try runNote("```python\nimport asyncio\n```\n" + collapsed))
  #expect(oneClosed.contains("<details class=\"trace\">"))
}

@Test func perfettoExportHasATrackPerTaskSlicesAndMarks() throws {
  let result = try runNote(kitchen)
  let text = TraceExport.text(result, cells: result.note.cells, format: .perfetto)
  let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  let events = try #require(root["traceEvents"] as? [[String: Any]])
  // The synchronous cell has no process; the two async cells do.
  let processes = events.filter { $0["name"] as? String == "process_name" }.compactMap { $0["pid"] as? Int }
  #expect(processes == [1, 3])
  let kitchenTrace = try trace(of: result.cells[0])
  let threads = events.filter { $0["name"] as? String == "thread_name" && $0["pid"] as? Int == 1 }
  #expect(threads.count == kitchenTrace.tasks.count)
  let names = Set(threads.compactMap { ($0["args"] as? [String: Any])?["name"] as? String })
  #expect(names.isSuperset(of: ["fast", "slow", "C1", "C2"]))
  for event in events {
    let phase = try #require(event["ph"] as? String)
    #expect(["M", "X", "i", "s", "f"].contains(phase))
    if phase != "M" { #expect(event["ts"] is Double || event["ts"] is Int) }
    if phase == "X" { #expect((event["dur"] as? Double ?? Double(event["dur"] as? Int ?? -1)) >= 0) }
  }
  // Waits are slices named by what was awaited, at virtual time in microseconds.
  let sleeps = events.filter { $0["ph"] as? String == "X" && $0["name"] as? String == "sleep(1.7)" }
  #expect(!sleeps.isEmpty)
  #expect(sleeps.allSatisfy { ($0["dur"] as? Int ?? Int(($0["dur"] as? Double) ?? 0)) == 1_700_000 })
  // Flows come in start/finish pairs with one id.
  let starts = events.filter { $0["ph"] as? String == "s" }.compactMap { $0["id"] as? Int }
  let finishes = events.filter { $0["ph"] as? String == "f" }.compactMap { $0["id"] as? Int }
  #expect(starts == finishes)
}

@Test func jsonExportIsNoterunsTraceSchema() throws {
  let result = try runNote(kitchen)
  let text = TraceExport.text(result, cells: result.note.cells, format: .json)
  struct Document: Decodable {
    struct Cell: Decodable {
      var cell: Int
      var line: Int
      var status: String
      var trace: WireTrace?
    }
    var note: String
    var cells: [Cell]
  }
  let document = try JSONDecoder().decode(Document.self, from: Data(text.utf8))
  #expect(document.note == "Notes/t.md")
  #expect(document.cells.map(\.cell) == [1, 2, 3])
  #expect(try document.cells[0].trace?.domain() == result.cells[0].trace)
  #expect(document.cells[0].line == result.note.cells[0].line)
}

@Test func everyRowThatHasALineInTheNoteNamesIt() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def nap(seconds):
          print("napping")
          await asyncio.sleep(seconds)
      async def fail():
          await asyncio.sleep(0.5)
          raise ValueError("boom")
      await asyncio.create_task(nap(1), name="napper")
      try:
          await asyncio.create_task(fail(), name="fail")
      except ValueError:
          pass
      """
    ]))
  let rows = TraceTable.rows(try trace(of: result.cells[0]))
  let at = { (offset: Int) in line(offset, of: 0, in: result) }
  var wheres = rows.map { "\($0.task) \($0.event) \($0.location)" }
  // The cell's own task begins at the cell's first line, not in asyncio's tasks.py.
  #expect(wheres.prefix(2) == ["cell create \(at(0))", "cell start \(at(0))"])
  wheres = wheres.filter { !$0.hasPrefix("cell ") }
  #expect(
    wheres == [
      "napper create \(at(7))", "napper start \(at(7))", "napper print \(at(2))", "napper await \(at(3))",
      "napper resume \(at(3))", "napper done ", "fail create \(at(9))", "fail start \(at(9))",
      "fail await \(at(5))", "fail resume \(at(5))", "fail failed \(at(6))",
    ])
  #expect(rows.allSatisfy { !$0.location.contains(".py:") })
}
