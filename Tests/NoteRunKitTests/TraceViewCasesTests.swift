import Foundation
import Testing

@testable import NoteRunKit

/// What the table and the timeline say in the cases a learner is most easily misled by, on
/// traces the real kernel recorded (`Fixtures/traces/cancel.md`, `carried.md`, `deadlock.md`).

private func row(_ rows: [TraceTable.Row], _ task: String, _ event: String) throws -> TraceTable.Row {
  try #require(rows.first { $0.task == task && $0.event == event }, "no \(task) \(event) row")
}

private func lane(_ layout: TimelineLayout, _ name: String) throws -> TimelineLayout.Lane {
  try #require(layout.lanes.first { $0.label == name }, "no lane \(name)")
}

@Test func aCancelledSleepIsACancellationNotAResumeAfterItsTime() throws {
  let trace = try loadTraceFixture("cancel")
  let rows = TraceTable.rows(trace)
  let napper = rows.filter { $0.task == "napper" }
  #expect(napper.map(\.event) == ["create", "start", "await", "cancel", "cancelled"])
  let cancel = try row(rows, "napper", "cancel")
  #expect(cancel.what == "while awaiting sleep(1) after 0.100 s")
  #expect(cancel.wokenBy == "cancel() by cell at cancel.md:27")
  #expect(cancel.location == "cancel.md:11")
  let layout = TimelineLayout(trace)
  let wait = try #require(try lane(layout, "napper").spans.first { $0.kind == .suspended })
  #expect(wait.thrown == .cancelled)
  #expect(wait.title.hasPrefix("napper was cancelled while awaiting sleep(1), after 0.100 s"))
  #expect(!wait.title.contains("awaited sleep(1) for"))
  #expect(layout.arrows.contains { $0.cancels && $0.title.hasPrefix("napper woken by cancel() by cell") })
}

@Test func aTaskCancelledBeforeItsFirstStepNeverStarted() throws {
  let trace = try loadTraceFixture("cancel")
  let rows = TraceTable.rows(trace).filter { $0.task == "never" }
  #expect(rows.map(\.event) == ["create", "cancel", "cancelled"])
  #expect(rows[1].what == "before its first step")
  #expect(rows[1].wokenBy == "")
  let never = try lane(TimelineLayout(trace), "never")
  // Its coroutine never ran a line: no bar, only the cancellation.
  #expect(never.spans.isEmpty)
  #expect(
    never.marks.contains {
      $0.kind == .cancelled && $0.title == "never cancelled at 0.000 s: before its first step"
    })
  let steps = try lane(TimelineLayout(trace, axis: .steps), "never")
  #expect(steps.spans.map(\.title) == ["never was cancelled before its first step (at 0.000 s)"])
}

@Test func aTaskGroupFailureShowsTheFailingChildAndTheSiblingsItCancelled() throws {
  let trace = try loadTraceFixture("cancel")
  let rows = TraceTable.rows(trace)
  let failed = try row(rows, "fail", "failed")
  #expect(failed.what == "ValueError: boom")
  #expect(failed.location == "cancel.md:20")
  let sibling = try row(rows, "sibling", "cancel")
  #expect(sibling.what == "while awaiting sleep(1) after 0.200 s")
  #expect(sibling.wokenBy == "cancelled by TaskGroup because fail failed")
  #expect(try row(rows, "sibling", "cancelled").time == failed.time)
  // The arrow runs from the failing child's step to the sibling it cancelled.
  let layout = TimelineLayout(trace)
  let fail = try lane(layout, "fail")
  let arrow = try #require(layout.arrows.first { $0.title.hasPrefix("sibling woken by") })
  #expect(arrow.cancels)
  #expect(arrow.fromY == fail.centerY)
  let cancelled = try lane(layout, "sibling")
  #expect(arrow.toY == cancelled.centerY)
  #expect(
    fail.marks.contains { $0.kind == .failed && $0.title == "fail failed at 0.300 s: ValueError: boom" })
}

@Test func aShieldIsLabelledWithWhatItShields() throws {
  let trace = try loadTraceFixture("cancel")
  let rows = TraceTable.rows(trace)
  #expect(rows.contains { $0.task == "cell" && $0.event == "await" && $0.what == "shield(Task 'save')" })
  let resume = try #require(
    rows.first { $0.task == "cell" && $0.what.hasPrefix("shield(Task 'save') after") })
  #expect(resume.what == "shield(Task 'save') after 0.050 s")
  let layout = TimelineLayout(trace)
  let bar = try #require(try lane(layout, "cell").spans.first { $0.kind == .suspended })
  #expect(bar.title.hasPrefix("cell awaited shield(Task 'save') for 0.050 s"))
  #expect(!layout.lanes.flatMap(\.spans).contains { $0.label == "Future" })
}

@Test func aTaskFromAnEarlierCellIsDrawnAsAlreadyWaiting() throws {
  let trace = try loadTraceFixture("carried")
  let rows = TraceTable.rows(trace)
  let sleeper = rows.filter { $0.task == "sleeper" }
  // No create or start: it was created, and began its sleep, a cell before.
  #expect(sleeper.map(\.event) == ["resume", "done"])
  #expect(sleeper[0].what == "sleep(5) after 5.0000 s (since an earlier cell)")
  #expect(sleeper[0].location == "carried.md:15")
  let layout = TimelineLayout(trace)
  let lane = try lane(layout, "sleeper")
  let first = try #require(lane.spans.first)
  #expect(first.carried)
  #expect(first.kind == .suspended)
  #expect(first.x == layout.plotLeft)
  // It has been asleep since 1 s before this cell began: 5 s in all.
  #expect(first.title.hasPrefix("sleeper awaited sleep(5) for 5.0000 s (-1.0000 → 4.0000 s)"))
  #expect(first.title.contains("already waiting when this cell began"))
  #expect(layout.legend.contains { $0.label == "waiting since an earlier cell" })
  #expect(!lane.isMain)
  #expect(layout.lanes.filter(\.isMain).map(\.label) == ["cell"])
}

@Test func readyTimeIsShownApartFromTheWait() throws {
  // `event.set()` makes the waiter ready at 0.0004 s; the cell's `time.sleep(2)` keeps it from
  // running until 2.0004 s.
  let trace = try loadTraceFixture("carried")
  let resume = try row(TraceTable.rows(trace), "waiter", "resume")
  #expect(resume.what == "Event.wait() after 0.0004 s, then ready 2.0000 s")
  #expect(resume.wokenBy == "Event.set by cell at carried.md:28")
  let layout = TimelineLayout(trace)
  let ready = try #require(try lane(layout, "waiter").spans.first { $0.kind == .ready })
  #expect(
    ready.title.hasPrefix(
      "waiter was ready for 2.0000 s, waiting for its turn on the loop (0.0004 → 2.0004 s)"))
  #expect(ready.title.contains("woken by: Event.set by cell at carried.md:28"))
  let perSecond = (layout.plotRight - layout.plotLeft) / trace.timeRange.upperBound
  #expect(abs(ready.width - 2 * perSecond) < 0.5)
  // On the loop-steps axis the wait itself is wide enough to show.
  let steps = try lane(TimelineLayout(trace, axis: .steps), "waiter").spans
  let wait = try #require(steps.first { $0.kind == .suspended })
  #expect(wait.title.hasPrefix("waiter awaited Event.wait() for 0.0004 s (0.0000 → 0.0004 s)"))
}

@Test func subMillisecondFiguresKeepTheirPrecisionEverywhere() throws {
  let trace = try loadTraceFixture("carried")
  let rows = TraceTable.rows(trace)
  #expect(rows.contains { $0.what == "sleep(0.0004) after 0.0004 s" && $0.time == "0.0004" })
  #expect(rows.contains { $0.task == "cell" && $0.event == "block" && $0.time == "0.0004" })
  // Too short to draw apart at this scale, a dense bar names its exact extent.
  let time = TimelineLayout(trace)
  #expect(
    try lane(time, "cell").spans.first?.title == "cell: 2 steps 0.0000 → 0.0004 s, too close to draw apart")
  let steps = TimelineLayout(trace, axis: .steps)
  #expect(
    try lane(steps, "cell").spans.contains { $0.title.hasPrefix("cell awaited sleep(0.0004) for 0.0004 s") })
  #expect(!TraceTable.text(trace).contains("after 0.000 s"))
}

@Test func theCleanupAfterADeadlockIsNotDrawnAsTheCellsRun() throws {
  let trace = try loadTraceFixture("deadlock")
  let stop = try #require(trace.stop)
  let cleanup = try #require(stop.event)
  #expect(trace.events[cleanup...].contains { $0.wake?.kind == .cancel })
  // Table: the run's events only, and a line that says what was left out.
  let rows = TraceTable.rows(trace).filter { $0.kind != .waiting }
  #expect(rows.count == cleanup)
  #expect(!rows.contains { $0.event == "cancel" || $0.event == "cancelled" })
  #expect(TraceTable.summary(trace).contains { $0.contains("cleanup events not listed") })
  // Timeline: no cancellation arrow or mark, the stuck tasks hatched past the end.
  let layout = TimelineLayout(trace)
  #expect(!layout.arrows.contains { $0.cancels })
  #expect(!layout.lanes.flatMap(\.marks).contains { $0.kind == .cancelled })
  #expect(layout.lanes.allSatisfy { $0.spans.last?.kind == .waiting })
  #expect(layout.notes.contains { $0.text.contains("(cleanup, not drawn)") })
}
