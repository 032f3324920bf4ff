import Testing

@testable import NoteRunKit

@Test func roundStepsAreOneTwoOrFive() {
  #expect(TimeScale.roundStep(0.4) == 0.5)
  #expect(TimeScale.roundStep(0.5) == 0.5)
  #expect(TimeScale.roundStep(0.63) == 1)
  #expect(TimeScale.roundStep(1.2) == 2)
  #expect(abs(TimeScale.roundStep(0.013) - 0.02) < 1e-12)
  #expect(TimeScale.roundStep(300) == 500)
}

@Test func shortSpansTickInMilliseconds() {
  let scale = TimeScale(eventTimes: [0, 0.1], range: 0...0.1, left: 100, width: 700)
  #expect(scale.ticks.first?.label == "0 ms")
  #expect(scale.ticks.last?.label == "100 ms")
  #expect(scale.ticks.map(\.x) == scale.ticks.map(\.x).sorted())
}

@Test func longSpansTickInWholeSeconds() {
  let scale = TimeScale(eventTimes: [0, 3600], range: 0...3600, left: 0, width: 800)
  #expect(scale.ticks.map(\.label).prefix(3) == ["0 s", "500 s", "1000 s"])
}

@Test func eventsAtOneInstantAreSpreadInOrder() {
  let scale = TimeScale(eventTimes: [0, 0, 0, 2, 2], range: 0...2, left: 0, width: 600)
  #expect(scale.instants.map(\.count) == [3, 2])
  #expect(scale.eventX[1] - scale.eventX[0] == TimeScale.nominalStep)
  #expect(scale.eventX == scale.eventX.sorted())
  #expect(scale.x(2) == scale.eventX[3])
  #expect(scale.x(2, after: true) == scale.eventX[4] + scale.step)
  #expect(abs(scale.right - 600) < 1e-9)
}

@Test func realClockEventsCloserThanAPixelShareAnInstant() {
  let scale = TimeScale(eventTimes: [0, 0.000_01, 1], range: 0...1, left: 0, width: 500)
  #expect(scale.instants.map(\.count) == [2, 1])
}

@Test func aScaleWithoutTimeOrEventsIsEmptyButValid() {
  let scale = TimeScale(eventTimes: [], range: 0...0, left: 10, width: 500)
  #expect(scale.right == 10)
  #expect(scale.x(0) == 10)
  #expect(scale.ticks.map(\.label) == ["0 s"])
}
