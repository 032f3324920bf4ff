import Testing

@testable import NoteRunKit

@Test func deadlockTableReadsAsText() throws {
  let text = TraceTable.text(try loadTraceFixture("deadlock"))
  #expect(
    text == """
       time  task      event   what                      woken by  where
      0.000  cell      create  <module>()                          deadlock.md:6
      0.000  cell      start                                       deadlock.md:6
      0.000  worker-a  create  worker() by cell                    deadlock.md:21
      0.000  worker-b  create  worker() by cell                    deadlock.md:21
      0.000  cell      await   gather(2)                           deadlock.md:20
      0.000  worker-a  start                                       deadlock.md:21
      0.000  worker-a  print   worker-a holds lock 1               deadlock.md:13
      0.000  worker-a  await   sleep(0.1)                          deadlock.md:14
      0.000  worker-b  start                                       deadlock.md:21
      0.000  worker-b  print   worker-b holds lock 2               deadlock.md:13
      0.000  worker-b  await   sleep(0.1)                          deadlock.md:14
      0.100  worker-a  resume  sleep(0.1) after 0.100 s  timer     deadlock.md:14
      0.100  worker-a  await   Lock.acquire()                      deadlock.md:15
      0.100  worker-b  resume  sleep(0.1) after 0.100 s  timer     deadlock.md:14
      0.100  worker-b  await   Lock.acquire()                      deadlock.md:15
      after the deadlock at 0.100 s the kernel cancelled the stuck tasks: 6 cleanup events not listed
      deadlocked when the cell ended at 0.100 s:
        Task 'cell' awaits gather(2) at deadlock.md:20 in main ← <module> deadlock.md:23
        Task 'worker-a' awaits Lock.acquire() at deadlock.md:15 in worker
        Task 'worker-b' awaits Lock.acquire() at deadlock.md:15 in worker

      """)
}

@Test func rowsCarryEveryEventThenTheWaitingTasks() throws {
  let trace = try loadTraceFixture("gather")
  let rows = TraceTable.rows(trace)
  #expect(rows.count == trace.events.count)
  #expect(
    rows.first { $0.kind == .block }
      == TraceTable.Row(
        kind: .block, time: "0.000", task: trace.tasks[3].name, event: "block",
        what: "held the event loop 0.200 s", location: "gather.md:13"))
  #expect(
    rows.contains {
      $0.task == trace.tasks[1].name && $0.event == "resume" && $0.what == "sleep(1.0) after 1.000 s"
    })
  #expect(rows.contains { $0.event == "done" && $0.what == "'c'" && $0.time == "3.200" })
  #expect(rows.contains { $0.event == "print" && $0.what == "['a', 'b', 'c'] in 3.2 s" })
  let cancelled = TraceTable.rows(try loadTraceFixture("queue")).filter { $0.event == "cancelled" }
  #expect(cancelled.map(\.what) == ["", ""])

  let waiting = TraceTable.rows(try loadTraceFixture("deadlock")).filter { $0.kind == .waiting }
  #expect(
    waiting.last
      == TraceTable.Row(
        kind: .waiting, time: "0.100", task: "worker-b", event: "deadlock", what: "Lock.acquire()",
        wokenBy: "",
        location: "deadlock.md:15 in worker",
        libraryFrames: "Lock.acquire locks.py:114 ← _ContextManagerMixin.__aenter__ locks.py:15"))
}

@Test func omittedEventsCloseTheTable() throws {
  let trace = try loadTraceFixture("omitted")
  let rows = TraceTable.rows(trace).filter { $0.kind == .omitted }
  #expect(rows.map(\.what) == ["39,983 more events", "sleep(0)"])
  #expect(rows.last?.event == "await ×19,990")
  let lines = TraceTable.text(trace).split(separator: "\n")
  #expect(lines.last == "… 39,983 more events: spinner sleep(0) ×19,990")
}

@Test func omittedSitesBeyondFiveAreCounted() {
  let sites = (1...7).map { OmittedSite(task: $0, what: "sleep(0)", count: 10) }
  let trace = Trace(
    clock: .virtual, end: 0, tasks: [], events: [], omitted: OmittedEvents(events: 70, sites: sites))
  #expect(
    TraceTable.summary(trace) == [
      "… 70 more events: #1 sleep(0) ×10, #2 sleep(0) ×10, "
        + "#3 sleep(0) ×10, #4 sleep(0) ×10, #5 sleep(0) ×10, and 2 more sites"
    ])
}

@Test func callersFollowTheNoteLineOfAWaitingTask() {
  let chain = [
    ChainFrame(function: "b", origin: "x.md:30"), ChainFrame(function: "helper", origin: "x.md:12"),
    ChainFrame(function: "Event.wait", origin: "locks.py:212"),
  ]
  let trace = Trace(
    clock: .virtual, end: 2,
    tasks: [
      TraceTask(id: 7, name: "b", coroutine: "b", parent: nil, created: 0, origin: "x.md:40", end: nil)
    ],
    events: [], waiting: [WaitingTask(task: 7, what: "Event.wait()", chain: chain)])
  #expect(
    TraceTable.summary(trace) == [
      "still waiting when the cell ended at 2.000 s:",
      "  Task 'b' awaits Event.wait() at x.md:12 in helper ← b x.md:30",
    ])
}

@Test func realClockTimesShowMicroseconds() {
  let trace = Trace(
    clock: .real, end: 0.0042,
    tasks: [TraceTask(id: 1, name: "t", coroutine: "t", parent: nil, created: 0, origin: nil, end: nil)],
    events: [
      TraceEvent(time: 0.000_125, task: 1, kind: .print, text: "two\nlines\n", stream: .stderr)
    ])
  let row = TraceTable.rows(trace)[0]
  #expect(row.time == "0.000125")
  #expect(row.event == "stderr")
  #expect(row.what == "two ⏎ lines")
}

@Test func countsAreGroupedInThousands() {
  #expect(TraceFormat.count(0) == "0")
  #expect(TraceFormat.count(999) == "999")
  #expect(TraceFormat.count(1000) == "1,000")
  #expect(TraceFormat.count(995_000) == "995,000")
  #expect(TraceFormat.count(-1_234_567) == "-1,234,567")
}

@Test func fixedDecimalsRoundHalfAwayAndNeverShowMinusZero() {
  #expect(TraceFormat.fixed(3.2, decimals: 3) == "3.200")
  #expect(TraceFormat.fixed(0, decimals: 3) == "0.000")
  #expect(TraceFormat.fixed(0.000_125, decimals: 6) == "0.000125")
  #expect(TraceFormat.fixed(1e-7, decimals: 6) == "0.000000")
  #expect(TraceFormat.fixed(123_456.789, decimals: 2) == "123456.79")
  #expect(TraceFormat.fixed(-2.5, decimals: 1) == "-2.5")
  #expect(TraceFormat.fixed(-0.0004, decimals: 3) == "0.000")
  #expect(TraceFormat.fixed(7, decimals: 0) == "7")
  #expect(TraceFormat.fixed(0.25, decimals: 1) == "0.3")
}
