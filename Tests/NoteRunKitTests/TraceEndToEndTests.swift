import Foundation
import Testing

@testable import NoteRunKit

/// Parses `markdown` as the note `Notes/t.md` (written to a fresh temporary folder) and runs
/// it with real python3, as `noterun render` would.
func runNote(_ markdown: String, settings: RunSettings = RunSettings()) throws -> NoteResult {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-trace-\(UUID())")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let url = folder.appendingPathComponent("t.md")
  try markdown.write(to: url, atomically: true, encoding: .utf8)
  let note = try NoteParser.parse(
    text: markdown, url: url, root: folder, displayPath: "Notes/t.md", defaultLanguage: nil)
  return NoteRunner(settings: settings).run(note)
}

/// A note of one ```python fence per cell; `info` adds options to a cell's fence.
func pythonNote(_ cells: [String], info: [Int: String] = [:]) -> String {
  var markdown = "# Trace\n"
  for (index, cell) in cells.enumerated() {
    let options = info[index].map { " " + $0 } ?? ""
    markdown += "\n```python\(options)\n\(cell.hasSuffix("\n") ? cell : cell + "\n")```\n"
  }
  return markdown
}

/// The cell's trace, which a traced cell must have.
func trace(of cell: CellResult) throws -> Trace {
  try #require(cell.trace, "cell \(cell.cell) has no trace (\(cell.status), \(cell.error?.traceback ?? ""))")
}

/// Each event as "task kind detail", the detail being what a suspension awaits, the text
/// of a print or an end, the seconds of a block.
func eventLines(_ trace: Trace) -> [String] {
  let name = trace.taskNames
  return trace.events.map { event in
    let detail = event.what ?? event.text ?? event.seconds.map { "\($0)" } ?? ""
    return "\(name(event.task)) \(event.kind.rawValue)\(detail.isEmpty ? "" : " " + detail)"
  }
}

func task(_ name: String, in trace: Trace) throws -> TraceTask {
  try #require(trace.tasks.first { $0.name == name }, "no task \(name) in \(trace.tasks.map(\.name))")
}

/// The note line `offset` lines into the cell's code.
func line(_ offset: Int, of cell: Int, in result: NoteResult) -> String {
  "Notes/t.md:\(result.note.cells[cell].codeLine + offset)"
}

@Test func gatheredSleepsAreThreeLanesSuspendedFromZeroToOne() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def nap():
          await asyncio.sleep(1)
      await asyncio.gather(nap(), nap(), nap())
      """
    ]))
  let cell = result.cells[0]
  #expect(cell.status == .ok)
  #expect(cell.clockSeconds == 1.0)
  let trace = try trace(of: cell)
  #expect(trace.clock == .virtual)
  #expect(trace.end == 1.0)
  #expect(trace.tasks.map(\.name) == ["Task-1", "Task-2", "Task-3", "Task-4"])
  #expect(trace.tasks.map(\.coroutine) == ["<module>", "nap", "nap", "nap"])
  #expect(trace.tasks.map(\.parent) == [nil, 1, 1, 1])
  #expect(trace.tasks.dropFirst().allSatisfy { $0.origin == line(3, of: 0, in: result) })
  let lanes = TaskActivity.all(trace)
  for lane in lanes.dropFirst() {
    let suspended = lane.spans.filter { $0.kind == .suspended }
    #expect(suspended.count == 1)
    let span = try #require(suspended.first)
    #expect(span.what == "sleep(1)")
    #expect(span.chain.map(\.function) == ["nap", "sleep"])
    #expect(span.chain.first?.origin == line(2, of: 0, in: result))
    guard case .event(let start) = span.start, case .event(let end) = span.end else {
      Issue.record("span not anchored at events: \(span)")
      continue
    }
    #expect(trace.events[start].time == 0)
    #expect(trace.events[end].time == 1.0)
  }
  let main = try #require(lanes.first?.spans.first { $0.kind == .suspended })
  #expect(main.what == "gather(3)")
  #expect(main.chain.map(\.function) == ["<module>"])
  #expect(trace.waiting.isEmpty)
}

@Test func aQueueTraceListsTheOrderAsyncioRanThem() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio

      async def producer(queue):
          for n in range(3):
              await asyncio.sleep(0.5)
              await queue.put(n)
              print(f"put {n}")

      async def consumer(queue):
          while True:
              n = await queue.get()
              print(f"got {n}")
              queue.task_done()

      async def main():
          queue = asyncio.Queue()
          worker = asyncio.create_task(consumer(queue), name="consumer")
          await asyncio.create_task(producer(queue), name="producer")
          await queue.join()
          worker.cancel()

      asyncio.run(main())
      """
    ]))
  let cell = result.cells[0]
  #expect(cell.status == .ok)
  #expect(cell.clockSeconds == 1.5)
  #expect(cell.printed == "put 0\ngot 0\nput 1\ngot 1\nput 2\ngot 2\n")
  #expect(
    cell.outputs.map(\.task) == ["producer", "consumer", "producer", "consumer", "producer", "consumer"])
  let trace = try trace(of: cell)
  func put(_ n: Int) -> [String] { ["producer resume", "producer print put \(n)\n"] }
  func got(_ n: Int) -> [String] {
    ["consumer resume", "consumer print got \(n)\n", "consumer suspend Queue.get()"]
  }
  let expected =
    [
      "Task-1 create", "Task-1 resume", "consumer create", "producer create",
      "Task-1 suspend Task 'producer'",
      "consumer resume", "consumer suspend Queue.get()", "producer resume", "producer suspend sleep(0.5)",
    ]
    + put(0) + ["producer suspend sleep(0.5)"] + got(0)
    + put(1) + ["producer suspend sleep(0.5)"] + got(1)
    + put(2) + ["producer end None"] + got(2)
    + ["Task-1 resume", "Task-1 end None", "consumer resume", "consumer end cancelled"]
  #expect(eventLines(trace) == expected)
  let times = trace.events.filter { $0.kind == .print }.map(\.time)
  #expect(times == [0.5, 0.5, 1.0, 1.0, 1.5, 1.5])
  #expect(try task("consumer", in: trace).end?.state == .cancelled)
  #expect(try task("producer", in: trace).end == TaskEnd(time: 1.5, state: .done, detail: "None"))
}

@Test func cancellationAndTaskGroupsShowHowEachTaskEnded() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio

      async def work(n):
          await asyncio.sleep(n)
          if n == 2:
              raise ValueError("two")
          return n

      async def main():
          async with asyncio.TaskGroup() as group:
              for n in (1, 2, 3):
                  group.create_task(work(n), name=f"work-{n}")

      asyncio.run(main())
      """,
      """
      async def slow():
          try:
              await asyncio.sleep(10)
          except asyncio.CancelledError:
              print("cleaning up")
              raise

      task = asyncio.create_task(slow(), name="slow")
      await asyncio.sleep(1)
      task.cancel()
      try:
          await task
      except asyncio.CancelledError:
          print("cancelled")
      """,
    ]))
  #expect(result.cells.map(\.status) == [.error, .ok])
  #expect(result.cells[0].error?.type == "ExceptionGroup")
  let group = try trace(of: result.cells[0])
  #expect(group.tasks.map(\.name) == ["Task-1", "work-1", "work-2", "work-3"])
  #expect(
    group.tasks.map(\.end) == [
      TaskEnd(
        time: 2, state: .failed, detail: "ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)"),
      TaskEnd(time: 1, state: .done, detail: "1"),
      TaskEnd(time: 2, state: .failed, detail: "ValueError: two"),
      TaskEnd(time: 2, state: .cancelled, detail: nil),
    ])
  #expect(eventLines(group).contains("Task-1 suspend TaskGroup"))

  let cancelled = try trace(of: result.cells[1])
  #expect(try task("slow", in: cancelled).end == TaskEnd(time: 1, state: .cancelled, detail: nil))
  // The cell's own task is numbered by asyncio, and Pythons number TaskGroup's named tasks
  // differently (before 3.13 they get a number before the name).
  let cell = try #require(cancelled.tasks.first).name
  #expect(
    Array(eventLines(cancelled).suffix(7)) == [
      "\(cell) suspend Task 'slow'", "slow resume", "slow print cleaning up\n", "slow end cancelled",
      "\(cell) resume",
      "\(cell) print cancelled\n", "\(cell) end None",
    ])
  #expect(
    result.cells[1].outputs == [
      OutputChunk(stream: .stdout, text: "cleaning up\n", task: "slow"),
      OutputChunk(stream: .stdout, text: "cancelled\n"),
    ])
}

@Test func fiftyTasksAreFiftyLanes() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def step(n):
          await asyncio.sleep(n / 10)
          return n
      results = await asyncio.gather(*(step(n) for n in range(50)))
      sum(results)
      """
    ]))
  let cell = result.cells[0]
  #expect(cell.value == "1225")
  #expect(cell.clockSeconds == 4.9)
  let trace = try trace(of: cell)
  #expect(trace.tasks.count == 51)
  #expect(trace.tasks.map(\.name) == (1...51).map { "Task-\($0)" })
  #expect(trace.tasks.dropFirst().map { $0.end?.time } == (0..<50).map { Double($0) / 10 })
  #expect(trace.events.count { $0.kind == .suspend } == 51)
  #expect(trace.omitted == nil)
  #expect(TimelineLayout(trace).lanes.count == 51)
}

@Test func aMillionSleepZerosKeepTheTraceBounded() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      for _ in range(1_000_000):
          await asyncio.sleep(0)
      """
    ]), settings: RunSettings(timeout: 300, traceLimit: 2000))
  let cell = result.cells[0]
  #expect(cell.status == .ok)
  let trace = try trace(of: cell)
  #expect(trace.events.count == 2000)
  let omitted = try #require(trace.omitted)
  // create, a resume per step (a million and one), a suspension per sleep, end.
  #expect(trace.events.count + omitted.events == 2_000_003)
  let keptSuspensions = trace.events.count { $0.kind == .suspend }
  #expect(omitted.sites == [OmittedSite(task: 1, what: "sleep(0)", count: 1_000_000 - keptSuspensions)])
  #expect(try task("Task-1", in: trace).end?.state == .done)
}

@Test func printsAreAttributedToTheTaskThatPrinted() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def tick():
          await asyncio.sleep(1)
          print("tick")
      ticker = asyncio.create_task(tick(), name="ticker")
      print("started")
      await asyncio.sleep(0)
      """,
      "await asyncio.sleep(2)\nprint('cell two')",
    ]))
  #expect(result.cells.map(\.status) == [.ok, .ok])
  #expect(result.cells[0].outputs == [OutputChunk(stream: .stdout, text: "started\n")])
  #expect(
    result.cells[1].outputs == [
      OutputChunk(stream: .stdout, text: "tick\n", task: "ticker"),
      OutputChunk(stream: .stdout, text: "cell two\n"),
    ])
  let trace = try trace(of: result.cells[1])
  let ticker = try task("ticker", in: trace)
  #expect(ticker.created == 0)
  #expect(ticker.origin == line(4, of: 0, in: result))
  // Pythons before 3.13 number a task before naming it "ticker", later ones do not.
  let cell = try #require(trace.tasks.first { $0.coroutine == "<module>" }).name
  #expect(
    eventLines(trace) == [
      "\(cell) create", "\(cell) resume", "\(cell) suspend sleep(2)", "ticker resume", "ticker print tick\n",
      "ticker end None", "\(cell) resume", "\(cell) print cell two\n", "\(cell) end None",
    ])
  #expect(trace.events.first { $0.kind == .print && $0.task == ticker.id }?.time == 1)
}

@Test func traceOffGivesNoTrace() throws {
  let result = try runNote(
    pythonNote(["import asyncio\nawait asyncio.sleep(1)", "await asyncio.sleep(1)"], info: [0: "trace=off"]))
  #expect(result.cells.map(\.status) == [.ok, .ok])
  #expect(result.cells[0].trace == nil)
  #expect(result.cells[0].clockSeconds == 1)
  #expect(try trace(of: result.cells[1]).tasks.map(\.name) == ["Task-2"])
}

@Test func tracebacksOfErrorsInTasksShowNoKernelFrames() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def boom():
          await asyncio.sleep(1)
          raise ValueError("boom")
      """,
      "await asyncio.gather(boom())",
      "asyncio.run(boom())",
      "task = asyncio.create_task(boom())\nawait asyncio.sleep(2)\ntask.result()",
    ]))
  #expect(result.cells.map(\.status) == [.ok, .error, .error, .error])
  for cell in result.cells.dropFirst() {
    let error = try #require(cell.error)
    #expect(error.type == "ValueError")
    #expect(error.file == "Notes/t.md")
    #expect(error.line == result.note.cells[0].codeLine + 3)
    #expect(!error.traceback.contains("_noterun"), "\(error.traceback)")
    #expect(error.traceback.hasPrefix("Traceback (most recent call last):\n  File \"Notes/t.md\""))
    #expect(error.traceback.hasSuffix("ValueError: boom\n"))
    let trace = try trace(of: cell)
    let chains = trace.events.compactMap(\.chain).joined()
    #expect(!chains.contains { $0.origin.contains("_noterun") }, "\(chains)")
  }
}

@Test func taskNamesAreStableAndMatchWhatTasksCallThemselves() throws {
  let note = pythonNote([
    """
    import asyncio
    async def who():
        await asyncio.sleep(0)
        print(asyncio.current_task().get_name())
    print(asyncio.current_task().get_name())
    _ = await asyncio.gather(who(), who())
    """,
    """
    async def main():
        await who()
        await asyncio.gather(who())
        await asyncio.create_task(who(), name="named")
    asyncio.run(main())
    """,
  ])
  let first = try runNote(note)
  let second = try runNote(note)
  // Python's own names: the cell's task is Task-1, asyncio.run's main task takes the next
  // number, as asyncio numbers them.
  #expect(first.cells.map(\.printed) == ["Task-1\nTask-2\nTask-3\n", "Task-4\nTask-5\nnamed\n"])
  #expect(first.cells.map(\.printed) == second.cells.map(\.printed))
  let names = try first.cells.map { try trace(of: $0).tasks.map(\.name) }
  #expect(names == [["Task-1", "Task-2", "Task-3"], ["Task-4", "Task-5", "named"]])
  #expect(try second.cells.map { try trace(of: $0).tasks.map(\.name) } == names)
}
