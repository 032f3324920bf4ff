import Foundation
import Testing

@testable import NoteRunKit

@Test func anHourOfSleepTakesNoTimeAndEndsAtTheBudget() throws {
  let result = try runNote(pythonNote(["import asyncio\nawait asyncio.sleep(3600)\n'woke'"]))
  let cell = result.cells[0]
  #expect(cell.status == .ok)
  #expect(cell.value == "'woke'")
  #expect(cell.clockSeconds == 3600)
  #expect(try trace(of: cell).end == 3600)
}

@Test func aProgramTimingItselfPrintsTheVirtualFigure() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio, time
      async def main():
          await asyncio.gather(*(asyncio.sleep(1) for _ in range(3)))
      start = time.perf_counter()
      asyncio.run(main())
      print(f"took {time.perf_counter() - start:0.2f} seconds")
      """
    ]))
  #expect(result.cells[0].printed == "took 1.00 seconds\n")
  #expect(result.cells[0].clockSeconds == 1)
}

@Test func wallClockReadingsFollowTheVirtualClockInUTC() throws {
  let cells = [
    """
    import asyncio, datetime, time
    await asyncio.sleep(90)
    print(datetime.datetime.now(), datetime.date.today(), time.time(), time.strftime("%H:%M:%S"))
    print(time.localtime().tm_hour, time.monotonic() == asyncio.get_running_loop().time())
    """
  ]
  var tokyo = RunSettings()
  tokyo.environment["TZ"] = "Asia/Tokyo"
  let first = try runNote(pythonNote(cells), settings: tokyo)
  let second = try runNote(pythonNote(cells))
  #expect(first.cells[0].printed == "2024-01-01 00:01:30 2024-01-01 1704067290.0 00:01:30\n0 True\n")
  #expect(second.cells[0].printed == first.cells[0].printed)
}

@Test func timeSleepInACoroutineAdvancesTheClockAndIsFlagged() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio, time
      async def nap():
          time.sleep(1)
          await asyncio.sleep(0)
      await nap()
      """
    ]))
  let cell = result.cells[0]
  #expect(cell.clockSeconds == 1)
  let blocks = try trace(of: cell).events.filter { $0.kind == .block }
  #expect(blocks.map(\.seconds) == [1])
  #expect(blocks.map(\.origin) == [line(2, of: 0, in: result)])
  #expect(blocks.map(\.time) == [0])
}

@Test func realBlockingInACoroutineIsFlagged() throws {
  let result = try runNote(
    pythonNote(
      [
        """
        import asyncio, time
        async def sleepy():
            time.sleep(0.2)
            await asyncio.sleep(0)
        await sleepy()
        """,
        """
        async def busy():
            started = time.process_time()
            while time.process_time() - started < 0.2:
                pass
            await asyncio.sleep(0)
        await busy()
        """,
      ], info: [0: "clock=real"]))
  #expect(result.cells.map(\.status) == [.ok, .ok])
  let slept = try trace(of: result.cells[0]).events.filter { $0.kind == .block }
  #expect(slept.map(\.seconds) == [0.2])
  #expect(slept.map(\.origin) == [line(2, of: 0, in: result)])
  let busy = try trace(of: result.cells[1])
  let blocks = busy.events.filter { $0.kind == .block }
  #expect(blocks.count == 1)
  #expect((blocks.first?.seconds ?? 0) >= 0.2)
  #expect(blocks.first?.origin == line(4, of: 1, in: result))
  #expect(busy.clock == .virtual)
  #expect(result.cells[1].clockSeconds == 0)
}

@Test func threadWorkIsNotJumpedOver() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio, time
      async def alarm():
          await asyncio.sleep(100)
          return "alarm"
      work = asyncio.create_task(asyncio.to_thread(time.sleep, 0.3), name="work")
      done, pending = await asyncio.wait([work, asyncio.create_task(alarm())], return_when=asyncio.FIRST_COMPLETED)
      [task.get_name() for task in done]
      """
    ]))
  let cell = result.cells[0]
  #expect(cell.value == "['work']")
  // The clock advances by the real time the loop waited for the thread (its own steps
  // between waits cost no virtual time), and never jumps to the alarm.
  #expect(cell.clockSeconds > 0.25)
  #expect(cell.clockSeconds < 100)
  let suspensions = try trace(of: cell).events.filter { $0.kind == .suspend }.compactMap(\.what)
  #expect(suspensions.contains("to_thread(sleep)"))
}

@Test func aRealClockCellIsTracedInRealTime() throws {
  let result = try runNote(
    pythonNote(["import asyncio\nawait asyncio.sleep(0.05)\n'done'"], info: [0: "clock=real"]))
  let cell = result.cells[0]
  #expect(cell.value == "'done'")
  #expect(cell.clockSeconds >= 0.05)
  let trace = try trace(of: cell)
  #expect(trace.clock == .real)
  let resumed = try #require(trace.events.last { $0.kind == .resume })
  #expect(resumed.time >= 0.05)
  #expect(trace.end >= resumed.time)
  #expect(
    eventLines(trace) == [
      "Task-1 create", "Task-1 resume", "Task-1 suspend sleep(0.05)", "Task-1 resume", "Task-1 end 'done'",
    ])
}
