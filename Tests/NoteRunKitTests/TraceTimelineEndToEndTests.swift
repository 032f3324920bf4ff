import Foundation
import Testing

@testable import NoteRunKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The breakfast of Notes/03-gather.md and a producer/consumer queue, as a learner writes them.
private let examples = pythonNote([
  """
  import asyncio, time

  async def prepare(item, seconds):
      print(f"start {item}")
      await asyncio.sleep(seconds)
      print(f"{item} ready")
      return item

  async def all_at_once():
      return await asyncio.gather(prepare("tea", 3), prepare("coffee", 2), prepare("toast", 1))

  start = time.perf_counter()
  asyncio.run(all_at_once())
  print(f"all at once: {time.perf_counter() - start:0.2f} seconds")
  """,
  """
  async def pour(cup):
      await asyncio.sleep(1)
      return f"cup {cup}"

  cups = await asyncio.gather(*(pour(n) for n in range(1, 11)))
  """,
  """
  async def producer(queue):
      for n in range(4):
          await asyncio.sleep(0.5)
          await queue.put(n)
          print(f"put {n} <&>")
      for _ in range(2):
          await queue.put(None)

  async def consumer(queue):
      while (n := await queue.get()) is not None:
          print(f"{asyncio.current_task().get_name()} got {n}")
          await asyncio.sleep(1)

  async def main():
      queue = asyncio.Queue(maxsize=1)
      async with asyncio.TaskGroup() as group:
          group.create_task(producer(queue), name="producer")
          for k in (1, 2):
              group.create_task(consumer(queue), name=f"consumer-{k}")

  asyncio.run(main())
  """,
])

@Test func theSameNoteGivesTheSameTracesAndTimelines() throws {
  let first = try runNote(examples)
  let second = try runNote(examples)
  #expect(first.cells.map(\.status) == [.ok, .ok, .ok])
  let traces = try first.cells.map { try trace(of: $0) }
  #expect(second.cells.map(\.trace) == traces)
  #expect(first.cells.map(\.outputs) == second.cells.map(\.outputs))
  #expect(traces.map(\.end) == [3, 1, 3])
  let svgs = traces.map { TimelineSVG.render($0) }
  #expect(try second.cells.map { TimelineSVG.render(try trace(of: $0)) } == svgs)
}

@Test func realTracesOfGatherAndQueueRenderAsWellFormedSVG() throws {
  let result = try runNote(examples)
  for cell in result.cells {
    let trace = try trace(of: cell)
    let svg = TimelineSVG.render(trace)
    let document = try XMLDocument(xmlString: svg, options: [])
    let root = try #require(document.rootElement())
    #expect(root.name == "svg")
    let lanes = TimelineLayout(trace).lanes
    #expect(lanes.map(\.taskID) == trace.tasks.map(\.id))
    #expect(lanes.first?.isMain == true)
    for task in trace.tasks { #expect(svg.contains(">\(TraceFormat.name(task))<")) }
  }
  let queue = try trace(of: result.cells[2])
  #expect(queue.tasks.map(\.coroutine) == ["main", "producer", "consumer", "consumer"])
  #expect(queue.tasks.dropFirst().map(\.name) == ["producer", "consumer-1", "consumer-2"])
  #expect(TimelineSVG.render(try trace(of: result.cells[2])).contains("put 0 &lt;&amp;&gt;"))
}
