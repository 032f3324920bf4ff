import Foundation
import Testing

@testable import NoteRunKit

/// Each resume as "task: kind what by=waker at=line [thrown]", the wake as the kernel
/// recorded it.
private func wakeLines(_ trace: Trace, of names: Set<String>? = nil) -> [String] {
  let name = trace.taskNames
  return trace.events.compactMap { event in
    guard event.kind == .resume, names?.contains(name(event.task)) ?? true else { return nil }
    guard let wake = event.wake else { return "\(name(event.task)): no wake" }
    var line = "\(name(event.task)): \(wake.kind.rawValue)"
    if let what = wake.what { line += " \(what)" }
    if let by = wake.by { line += " by=\(name(by))" }
    if let at = wake.at { line += " at=\(at)" }
    if let thrown = event.thrown { line += " [\(thrown)]" }
    return line
  }
}

/// The resume event the wake of `event` names as the waker's step.
private func wakerStep(of event: TraceEvent, in trace: Trace) throws -> TraceEvent {
  let step = try #require(event.wake?.step, "no waker step in \(event)")
  let waker = trace.events[step]
  #expect(waker.kind == .resume)
  #expect(waker.task == event.wake?.by)
  return waker
}

@Test func aQueuePutWakesTheConsumerFromTheProducersStep() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def producer(queue):
          for n in range(2):
              await asyncio.sleep(0.5)
              await queue.put(n)
      async def consumer(queue):
          while True:
              await queue.get()
      queue = asyncio.Queue()
      worker = asyncio.create_task(consumer(queue), name="consumer")
      await asyncio.create_task(producer(queue), name="producer")
      worker.cancel()
      await asyncio.sleep(0)
      """
    ]))
  let trace = try trace(of: result.cells[0])
  let put = line(4, of: 0, in: result)
  #expect(
    wakeLines(trace)
      == [
        "Task-1: start", "consumer: start", "producer: start", "producer: timer",
        "consumer: call Queue.put by=producer at=\(put)", "producer: timer",
        "consumer: call Queue.put by=producer at=\(put)", "Task-1: done Task 'producer' by=producer",
        "consumer: cancel by=Task-1 at=\(line(11, of: 0, in: result)) [CancelledError]", "Task-1: yield",
      ].map { $0.replacingOccurrences(of: "Task-1", with: trace.tasks[0].name) })
  #expect(trace.tasks[0].role == .cell)
  #expect(trace.tasks.dropFirst().allSatisfy { $0.role == nil })
  // Each arrow starts at the step of the producer that made the put.
  let consumer = try task("consumer", in: trace).id
  let woken = trace.events.filter { $0.task == consumer && $0.wake?.kind == .call }
  #expect(woken.count == 2)
  for event in woken {
    let step = try wakerStep(of: event, in: trace)
    #expect(step.time == event.time)
    #expect(step.wake?.kind == .timer)
  }
  // A sleep's frame is asyncio's: the view folds it; the note's frames are not marked.
  let sleep = try #require(trace.events.first { $0.what == "sleep(0.5)" }?.chain)
  #expect(sleep.map(\.library) == [nil, true])
}

@Test func eventLockConditionAndSemaphoreNameTheirWaker() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def hold(primitive):
          async with primitive:
              await asyncio.sleep(0.1)
      async def wait_event(event):
          await event.wait()
      async def wait_condition(condition):
          async with condition:
              await condition.wait()
      event, lock, condition, semaphore = (
          asyncio.Event(), asyncio.Lock(), asyncio.Condition(), asyncio.Semaphore(1))
      tasks = [
          asyncio.create_task(wait_event(event), name="event"),
          asyncio.create_task(hold(lock), name="lock-1"),
          asyncio.create_task(hold(lock), name="lock-2"),
          asyncio.create_task(wait_condition(condition), name="condition"),
          asyncio.create_task(hold(semaphore), name="semaphore-1"),
          asyncio.create_task(hold(semaphore), name="semaphore-2"),
      ]
      await asyncio.sleep(0.5)
      event.set()
      async with condition:
          condition.notify()
      await asyncio.gather(*tasks)
      """
    ]))
  let trace = try trace(of: result.cells[0])
  let cell = trace.tasks[0].name
  let release = line(2, of: 0, in: result)  // `async with` releases at its own line
  #expect(
    wakeLines(trace, of: ["event", "lock-2", "condition", "semaphore-2"]).filter {
      !$0.hasSuffix(": start") && !$0.hasSuffix(": timer")
    } == [
      "lock-2: call Lock.release by=lock-1 at=\(release)",
      "semaphore-2: call Semaphore.release by=semaphore-1 at=\(release)",
      "event: call Event.set by=\(cell) at=\(line(20, of: 0, in: result))",
      "condition: call Condition.notify by=\(cell) at=\(line(22, of: 0, in: result))",
    ])
  #expect(wakeLines(trace, of: [cell]).last == "\(cell): child gather by=semaphore-2")
}

@Test func cancellationAndFailuresReadAsSuch() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def nap(seconds):
          await asyncio.sleep(seconds)
      async def fail():
          await asyncio.sleep(0.2)
          raise ValueError("boom")
      napper = asyncio.create_task(nap(1), name="napper")
      never = asyncio.create_task(nap(1), name="never")
      never.cancel()
      await asyncio.sleep(0.1)
      napper.cancel()
      try:
          async with asyncio.TaskGroup() as group:
              group.create_task(nap(1), name="sibling")
              group.create_task(fail(), name="fail")
      except ExceptionGroup:
          pass
      try:
          await asyncio.create_task(fail(), name="awaited")
      except ValueError:
          pass
      """
    ]))
  let trace = try trace(of: result.cells[0])
  let cell = trace.tasks[0].name
  let lines = wakeLines(trace)
  // Cancelled before its first step: its only step is the cancellation.
  #expect(lines.filter { $0.hasPrefix("never:") } == ["never: start [CancelledError]"])
  #expect(try task("never", in: trace).end?.state == .cancelled)
  // A cancelled sleep is not a timer firing.
  #expect(
    lines.filter { $0.hasPrefix("napper:") } == [
      "napper: start", "napper: cancel by=\(cell) at=\(line(10, of: 0, in: result)) [CancelledError]",
    ])
  // The TaskGroup cancels the sibling because `fail` failed; the failure reaches the cell.
  #expect(lines.contains("sibling: cancel TaskGroup by=fail [CancelledError]"))
  #expect(lines.contains("\(cell): done Task 'awaited' by=awaited [ValueError: boom]"))
}

@Test func executorsShieldsAndCallbacksAreWakes() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      def work():
          return 1
      async def inner():
          await asyncio.sleep(1)
      loop = asyncio.get_running_loop()
      await asyncio.to_thread(work)
      await loop.run_in_executor(None, work)
      await asyncio.shield(asyncio.create_task(inner(), name="inner"))
      future = loop.create_future()
      loop.call_later(0.1, future.set_result, 3)
      await future
      """
    ]))
  let trace = try trace(of: result.cells[0])
  let cell = trace.tasks[0].name
  #expect(
    wakeLines(trace, of: [cell]) == [
      "\(cell): start", "\(cell): executor to_thread(work)", "\(cell): executor run_in_executor(work)",
      "\(cell): done shield by=inner", "\(cell): callback Future.set_result",
    ])
  #expect(trace.events.contains { $0.what == "shield(Task 'inner')" })
}

@Test func readyIsWhenATaskCouldRunNotWhenItDid() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio, time
      event = asyncio.Event()
      async def waiter():
          await event.wait()
      task = asyncio.create_task(waiter(), name="waiter")
      await asyncio.sleep(0)
      event.set()
      time.sleep(2)
      await task
      """
    ]))
  let trace = try trace(of: result.cells[0])
  let waiter = try task("waiter", in: trace).id
  let resume = try #require(trace.events.last { $0.task == waiter && $0.kind == .resume })
  #expect(resume.wake?.kind == .call)
  #expect(resume.ready == 0)
  #expect(resume.time == 2)
}

@Test func aTaskFromAnEarlierCellWasAlreadyWaiting() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      async def nap():
          await asyncio.sleep(5)
      sleeper = asyncio.create_task(nap(), name="sleeper")
      await asyncio.sleep(1)
      """,
      "await sleeper",
      "sum(range(3))",
    ]))
  let trace = try trace(of: result.cells[1])
  let sleeper = try task("sleeper", in: trace)
  #expect(sleeper.created == 0)
  #expect(sleeper.carried?.since == -1)
  #expect(sleeper.carried?.what == "sleep(5)")
  #expect(sleeper.carried?.chain.first?.origin == line(2, of: 0, in: result))
  #expect(!trace.events.contains { $0.kind == .create && $0.task == sleeper.id })
  #expect(trace.tasks.filter { $0.carried != nil }.map(\.name) == ["sleeper"])
  #expect(trace.tasks.filter { $0.role == .cell }.count == 1)
  // A cell without asyncio tasks has no trace at all.
  #expect(result.cells[2].status == .ok)
  #expect(result.cells[2].trace == nil)
}

@Test func aDeadlockMarksItsCleanupAndIsNotReportedAgain() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      stuck = asyncio.create_task(asyncio.Event().wait(), name="stuck")
      await asyncio.Event().wait()
      """,
      "await asyncio.Event().wait()",
    ]))
  #expect(result.cells.map(\.status) == [.deadlock, .deadlock])
  let first = try trace(of: result.cells[0])
  let stop = try #require(first.stop)
  #expect(stop.status == .deadlock)
  #expect(stop.time == 0)
  #expect(first.waiting.map { first.taskNames($0.task) } == [first.tasks[0].name, "stuck"])
  #expect(first.waiting.allSatisfy { $0.since == 0 })
  // After the stop, the kernel cancels the cell's task: that is cleanup, not the cell's run.
  let cleanup = try #require(stop.event)
  #expect(first.events[..<cleanup].allSatisfy { $0.wake?.kind != .cancel })
  #expect(first.events[cleanup...].contains { $0.wake?.kind == .cancel })
  // The next cell's deadlock lists its own task, not `stuck` again.
  let second = try trace(of: result.cells[1])
  #expect(second.waiting.map { second.taskNames($0.task) } == [second.tasks[0].name])
  #expect(second.tasks.map(\.name) == [second.tasks[0].name])
}

@Test func aWakeTheTracerCannotDescribeIsALoopWakeNotAnError() throws {
  // A future-like object with only what asyncio's Task needs (no `cancelled()`): the
  // tracer cannot tell how it completed, and says "the loop" rather than break the wake-up.
  let result = try runNote(
    pythonNote([
      """
      import asyncio
      class Later:
          _asyncio_future_blocking = False
          def __init__(self, loop):
              self._loop, self._callbacks = loop, []
          def get_loop(self):
              return self._loop
          def add_done_callback(self, fn, *, context=None):
              self._callbacks.append((fn, context))
          def result(self):
              return 42
          def finish(self):
              for fn, context in self._callbacks:
                  self._loop.call_soon(fn, self, context=context)
          def __await__(self):
              self._asyncio_future_blocking = True
              yield self
              return self.result()
      later = Later(asyncio.get_running_loop())
      asyncio.get_running_loop().call_later(1, later.finish)
      print(await later)
      """
    ]))
  #expect(result.cells[0].status == .ok, "\(result.cells[0].message ?? "")")
  #expect(result.cells[0].outputs.map(\.text).joined() == "42\n")
  let trace = try trace(of: result.cells[0])
  #expect(wakeLines(trace) == ["\(trace.tasks[0].name): start", "\(trace.tasks[0].name): loop"])
  #expect(trace.events.last { $0.kind == .resume }?.time == 1)
}
