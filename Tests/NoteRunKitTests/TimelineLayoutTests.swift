import Foundation
import Testing

@testable import NoteRunKit

/// Two tasks sleeping 1 s and 3 s under the virtual clock.
private func sleepers() -> Trace {
  let chain = [ChainFrame(function: "nap", origin: "n.md:3")]
  return Trace(
    clock: .virtual, end: 3,
    tasks: [
      TraceTask(
        id: 1, name: "short", coroutine: "nap", parent: nil, created: 0, origin: "n.md:5",
        end: TaskEnd(time: 1, state: .done, detail: "None")),
      TraceTask(
        id: 2, name: "long", coroutine: "nap", parent: nil, created: 0, origin: "n.md:6",
        end: TaskEnd(time: 3, state: .done, detail: "None")),
    ],
    events: [
      TraceEvent(time: 0, task: 1, kind: .create), TraceEvent(time: 0, task: 2, kind: .create),
      TraceEvent(time: 0, task: 1, kind: .suspend, what: "sleep(1)", chain: chain),
      TraceEvent(time: 0, task: 2, kind: .suspend, what: "sleep(3)", chain: chain),
      TraceEvent(time: 1, task: 1, kind: .resume), TraceEvent(time: 1, task: 1, kind: .end),
      TraceEvent(time: 3, task: 2, kind: .resume), TraceEvent(time: 3, task: 2, kind: .end),
    ])
}

@Test func lanesFollowCreationOrder() throws {
  let trace = try loadTraceFixture("queue")
  let layout = TimelineLayout(trace)
  // The cell's own task is labelled for the reader.
  #expect(layout.lanes.map(\.label) == ["cell", "consumer-1", "consumer-2", "producer"])
  #expect(layout.lanes.map(\.isMain) == [true, false, false, false])
  for (upper, lower) in zip(layout.lanes, layout.lanes.dropFirst()) {
    #expect(lower.y == upper.y + upper.height)
  }
  #expect(layout.lanes[1].title.contains("created at 0.000 s by cell, queue.md:26"))
}

@Test func suspensionBarsAreProportionalToTime() {
  let layout = TimelineLayout(sleepers())
  let short = try! #require(layout.lanes[0].spans.first { $0.kind == .suspended })
  let long = try! #require(layout.lanes[1].spans.first { $0.kind == .suspended })
  // The axis is linear: 3 s is exactly three times 1 s.
  #expect(abs(long.width / short.width - 3) < 1e-9)
  #expect(short.label == "sleep(1)")
  #expect(short.title.hasPrefix("short awaited sleep(1) for 1.000 s (0.000 → 1.000 s)"))
  #expect(layout.ticks.map(\.label) == ["0 s", "0.5 s", "1.0 s", "1.5 s", "2.0 s", "2.5 s", "3.0 s"])
  let tickSpacing = zip(layout.ticks, layout.ticks.dropFirst()).map { $1.x - $0.x }
  #expect(tickSpacing.allSatisfy { $0 > 70 })
}

@Test func workAtOneInstantStaysVisibleAndInOrderOnTheStepsAxis() throws {
  let trace = try loadTraceFixture("instant")
  let layout = TimelineLayout(trace, axis: .steps)
  #expect(layout.ticks.map(\.label) == ["0 s"])
  let ping = layout.lanes[1]
  let running = ping.spans.filter { $0.kind == .running }
  #expect(running.count == 4)
  #expect(running.allSatisfy { $0.width >= layout.metrics.minimumSpanWidth })
  #expect(zip(running, running.dropFirst()).allSatisfy { $0.x + $0.width <= $1.x })
  // ping and pong take turns: each pong step lies between two ping steps.
  let pong = layout.lanes[2].spans.filter { $0.kind == .running }
  for (index, step) in pong.prefix(3).enumerated() {
    #expect(running[index].x < step.x && step.x < running[index + 1].x)
  }
  #expect(layout.plotRight <= layout.metrics.width)
}

@Test func stepsTooCloseToDrawApartMerge() {
  var events = [TraceEvent(time: 0, task: 1, kind: .create)]
  for _ in 0..<5000 {
    events.append(TraceEvent(time: 0, task: 1, kind: .suspend, what: "sleep(0)"))
    events.append(TraceEvent(time: 0, task: 1, kind: .resume))
  }
  events.append(TraceEvent(time: 0, task: 1, kind: .end))
  let trace = Trace(
    clock: .virtual, end: 0,
    tasks: [
      TraceTask(
        id: 1, name: "spin", coroutine: "spin", parent: nil, created: 0, origin: nil,
        end: TaskEnd(time: 0, state: .done, detail: nil))
    ], events: events)
  let spans = TimelineLayout(trace).lanes[0].spans
  #expect(spans.count < 10)
  let dense = try! #require(spans.first { $0.kind == .dense })
  #expect(dense.title.contains("steps at 0.000 s, too close to draw apart"))
}

@Test func tasksStillWaitingReachPastTheEnd() throws {
  let layout = TimelineLayout(try loadTraceFixture("deadlock"))
  #expect(layout.waitingRight > layout.plotRight)
  for lane in layout.lanes {
    let last = try #require(lane.spans.last)
    #expect(last.kind == .waiting)
    #expect(last.x + last.width == layout.waitingRight)
    #expect(lane.lifeline.upperBound == layout.waitingRight)
  }
  let stuck = layout.lanes[1].spans.last!
  #expect(stuck.label == "Lock.acquire()")
  #expect(stuck.title.contains("worker-a deadlocked for Lock.acquire(), since 0.100 s"))
  #expect(layout.legend.map(\.label).contains("deadlocked"))
  #expect(layout.summary.contains("3 deadlocked"))
}

@Test func fiftyTasksGetMinimumLanesAndATallerDrawing() throws {
  let layout = TimelineLayout(try loadTraceFixture("fanout"))
  #expect(layout.lanes.count == 51)
  #expect(layout.laneHeight == layout.metrics.laneHeights.lowerBound)
  #expect(layout.height >= layout.lanesTop + 51 * layout.laneHeight)
  #expect(layout.lanes.allSatisfy { $0.link == nil })
  for lane in layout.lanes {
    for span in lane.spans {
      #expect(span.x >= layout.plotLeft && span.x + span.width <= layout.metrics.width)
    }
  }
  let failed = layout.lanes.first { $0.label == "worker-13" }!.marks.first { $0.kind == .failed }
  #expect(failed?.title == "worker-13 failed at 0.580 s: ValueError: bad input 13")
  #expect(
    layout.legend.map(\.sample) == [
      .span(.running), .span(.suspended), .span(.dense), .mark(.print), .mark(.stderr), .mark(.done),
      .mark(.failed), .mark(.cancelled), .thrown, .cancelArrow, .burst,
    ])
}

@Test func threeTasksGetRoomyLanesLinkedToTheirCreator() throws {
  let layout = TimelineLayout(try loadTraceFixture("gather"))
  #expect(layout.laneHeight == layout.metrics.laneHeights.upperBound)
  let main = layout.lanes[0]
  for lane in layout.lanes.dropFirst() {
    let link = try #require(lane.link)
    #expect(link.fromY == main.centerY && link.toY == lane.centerY)
  }
  let block = try #require(layout.lanes[3].marks.first { $0.kind == .block })
  #expect(
    block.title
      == "\(layout.lanes[3].label) blocked the event loop for 0.200 s of real time, gather.md:13 (at 0.000 s)"
  )
  let print = try #require(layout.lanes[1].marks.first { $0.kind == .print })
  #expect(print.title == "\(layout.lanes[1].label) printed at 0.000 s:\nstart a\n")
}

@Test func longNamesAreElidedInTheGutter() {
  var trace = sleepers()
  trace.tasks[0].name = String(repeating: "very-long-task-name-", count: 5)
  let label = TimelineLayout(trace).lanes[0].label
  #expect(label.hasSuffix("…"))
  #expect(label.count < 25)
}

@Test func omittedEventsAreNoted() throws {
  let layout = TimelineLayout(try loadTraceFixture("omitted"))
  #expect(layout.notes.map(\.text) == ["… 39,983 more events: spinner sleep(0) ×19,990"])
  #expect(layout.lanes.allSatisfy { $0.spans.last?.kind == .unrecorded })
}

@Test func lanesStopAtTheLimitWithANote() {
  var metrics = TimelineLayout.Metrics()
  metrics.maxLanes = 1
  let layout = TimelineLayout(sleepers(), metrics: metrics)
  #expect(layout.lanes.count == 1)
  #expect(layout.notes.map(\.text) == ["… 1 more tasks not drawn: the table lists their events"])
}

@Test func aTraceWithoutTasksStillLaysOut() {
  let layout = TimelineLayout(Trace(clock: .real, end: 0, tasks: [], events: []))
  #expect(layout.lanes.isEmpty)
  #expect(layout.height > layout.lanesTop)
}

@Test func theLegendWrapsToTheWidth() throws {
  var metrics = TimelineLayout.Metrics()
  metrics.width = 500
  let layout = TimelineLayout(try loadTraceFixture("fanout"), metrics: metrics)
  let lines = Set(layout.legend.map(\.y)).sorted()
  #expect(lines.count > 1)
  #expect(lines[0] > layout.lanes.last!.y + layout.laneHeight)
  for item in layout.legend {
    let width = 16 + Double(item.label.count) * layout.legendFontSize * metrics.characterWidth
    #expect(item.x + width <= metrics.width - metrics.rightMargin)
  }
  #expect(layout.height > lines.last!)
}

@Test func aTaskCreatedPastTheLimitIsUnrecordedFromItsCreation() {
  var trace = sleepers()
  trace.events = Array(trace.events.prefix(5))
  trace.omitted = OmittedEvents(events: 3, sites: [])
  trace.tasks.append(
    TraceTask(
      id: 3, name: "late", coroutine: "nap", parent: 1, created: 2, origin: nil,
      end: TaskEnd(time: 2.5, state: .cancelled, detail: nil)))
  let layout = TimelineLayout(trace)
  let late = layout.lanes[2]
  #expect(late.spans.map(\.kind) == [.unrecorded])
  #expect(late.spans[0].x > layout.lanes[0].spans.last!.x)
  #expect(late.spans[0].title.contains("2.000 → 2.500 s"))
  #expect(late.marks.map(\.kind) == [.cancelled])
}
