import Foundation
import Testing

@testable import NoteRunKit

/// Each waiting task as "name: what [function@origin, …]".
private func waitingLines(_ trace: Trace) -> [String] {
  let name = trace.taskNames
  return trace.waiting.map { waiting in
    "\(name(waiting.task)): \(waiting.what) \(waiting.chain.map { "\($0.function)@\($0.origin)" })"
  }
}

/// The name Python gave the task running `coroutine` (numbers differ between Pythons).
private func name(of coroutine: String, in trace: Trace) throws -> String {
  try #require(trace.tasks.first { $0.coroutine == coroutine }, "no task runs \(coroutine)").name
}

@Test func waitingForAnEventNobodySetsIsADeadlock() throws {
  let result = try runNote(
    pythonNote([
      "import asyncio\nawait asyncio.Event().wait()",
      "async def main():\n    await asyncio.Event().wait()\nasyncio.run(main())",
      "await asyncio.sleep(1)\n'alive'",
    ]))
  #expect(result.cells.map(\.status) == [.deadlock, .deadlock, .ok])
  #expect(NoteCheck(result).cells[0].verdict.reason == .deadlock)
  #expect(result.cells[0].error == nil)
  #expect(result.cells[0].clockSeconds == 0)
  let topLevel = try trace(of: result.cells[0])
  #expect(topLevel.waiting.map(\.what) == ["Event.wait()"])
  #expect(topLevel.waiting.first?.chain.map(\.function) == ["<module>", "Event.wait"])
  #expect(topLevel.waiting.first?.chain.first?.origin == line(1, of: 0, in: result))
  let run = try trace(of: result.cells[1])
  #expect(
    waitingLines(run).first?.hasPrefix("Task-2: Event.wait() [\"main@\(line(1, of: 1, in: result))\"") == true
  )
  #expect(result.cells[2].value == "'alive'")
  #expect(result.cells[2].clockSeconds == 1)
}

@Test func runForeverWithNothingScheduledIsADeadlock() throws {
  let result = try runNote(
    pythonNote([
      "import asyncio\nloop = asyncio.new_event_loop()\nloop.run_forever()", "loop.close()\n'next'",
    ]))
  #expect(result.cells.map(\.status) == [.deadlock, .ok])
  #expect(NoteCheck(result).cells[0].verdict.reason == .deadlock)
  #expect(result.cells[0].trace == nil)  // no task ran
  #expect(result.cells[1].value == "'next'")
}

@Test func tasksAwaitingEachOtherAreADeadlockNamingBoth() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def a():
          await b_task
      async def b():
          await a_task
      a_task = asyncio.create_task(a(), name="a")
      b_task = asyncio.create_task(b(), name="b")
      await a_task
      """,
      """
      async def main():
          global a_task, b_task
          a_task = asyncio.create_task(a(), name="a")
          b_task = asyncio.create_task(b(), name="b")
          await a_task
      asyncio.run(main())
      """,
      "await asyncio.sleep(1)\n'alive'",
    ]))
  #expect(result.cells.map(\.status) == [.deadlock, .deadlock, .ok])
  #expect(result.cells[0].error == nil && result.cells[1].error == nil)
  #expect(
    waitingLines(try trace(of: result.cells[0])) == [
      "Task-1: Task 'a' [\"<module>@\(line(7, of: 0, in: result))\"]",
      "a: Task 'b' [\"a@\(line(2, of: 0, in: result))\"]",
      "b: Task 'a' [\"b@\(line(4, of: 0, in: result))\"]",
    ])
  let run = try trace(of: result.cells[1])
  #expect(
    waitingLines(run) == [
      "\(try name(of: "main", in: run)): Task 'a' [\"main@\(line(4, of: 1, in: result))\"]",
      "a: Task 'b' [\"a@\(line(2, of: 0, in: result))\"]",
      "b: Task 'a' [\"b@\(line(4, of: 0, in: result))\"]",
    ])
  #expect(result.cells[2].value == "'alive'")
}

@Test func aRunawayLoopStopsAtTheBudgetAndLeavesNothingBehind() throws {
  let result = try runNote(
    pythonNote([
      "import asyncio\nwhile True:\n    await asyncio.sleep(1)",
      "async def spin():\n    while True:\n        await asyncio.sleep(1)\nasyncio.run(spin())",
      "await asyncio.sleep(5)\nlen(asyncio.all_tasks())",
    ]), settings: RunSettings(budget: 30))
  #expect(result.cells.map(\.status) == [.budget, .budget, .ok])
  #expect(result.cells[0].message == "stopped after 30 s of virtual time (the time budget)")
  #expect(result.cells.map(\.clockSeconds) == [30, 30, 5])
  let runaway = try trace(of: result.cells[0])
  #expect(runaway.end == 30)
  #expect(runaway.waiting.map(\.what) == ["sleep(1)"])
  #expect(try task("Task-1", in: runaway).end == TaskEnd(time: 30, state: .cancelled, detail: nil))
  let spin = try trace(of: result.cells[1])
  #expect(try task(try name(of: "spin", in: spin), in: spin).end?.state == .cancelled)
  #expect(result.cells[2].value == "1")
  let next = try trace(of: result.cells[2])
  let cell = try name(of: "<module>", in: next)
  #expect(next.tasks.map(\.name) == [cell])
  #expect(
    eventLines(next) == [
      "\(cell) create", "\(cell) resume", "\(cell) suspend sleep(5)", "\(cell) resume", "\(cell) end 1",
    ])
}
