import Testing

@testable import NoteRunKit

/// Events at `times`, each a step of its own task.
private func steps(_ times: [Double]) -> [(time: Double, task: Int, startsStep: Bool)] {
  times.enumerated().map { ($0.element, $0.offset, true) }
}

@Test func roundStepsAreOneTwoOrFive() {
  #expect(TimeScale.roundStep(0.4) == 0.5)
  #expect(TimeScale.roundStep(0.5) == 0.5)
  #expect(TimeScale.roundStep(0.63) == 1)
  #expect(TimeScale.roundStep(1.2) == 2)
  #expect(abs(TimeScale.roundStep(0.013) - 0.02) < 1e-12)
  #expect(TimeScale.roundStep(300) == 500)
}

@Test func shortSpansTickInMilliseconds() {
  let scale = TimeScale(events: steps([0, 0.1]), range: 0...0.1, left: 100, width: 700)
  #expect(scale.ticks.first?.label == "0 ms")
  #expect(scale.ticks.last?.label == "100 ms")
  #expect(scale.ticks.map(\.x) == scale.ticks.map(\.x).sorted())
}

@Test func longSpansTickInWholeSeconds() {
  let scale = TimeScale(events: steps([0, 3600]), range: 0...3600, left: 0, width: 800)
  #expect(scale.ticks.map(\.label).prefix(3) == ["0 s", "500 s", "1000 s"])
}

@Test func theTimeAxisIsLinearWhateverHappensAtOneInstant() {
  // Nine steps at 0 and one at 1 s: x is time, and nothing else.
  let scale = TimeScale(
    events: steps([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]), range: 0...2, left: 100, width: 600)
  #expect(scale.eventX.prefix(9).allSatisfy { $0 == 100 })
  #expect(scale.eventX[9] == 400)
  #expect(scale.eventX[10] == 700)
  #expect(scale.x(1.5) == 550)
  let spacing = zip(scale.ticks, scale.ticks.dropFirst()).map { $1.x - $0.x }
  #expect(Set(spacing.map { ($0 * 1000).rounded() }).count == 1, "ticks evenly spaced: \(spacing)")
  #expect(scale.instants.map(\.steps.count) == [9, 1, 1])
}

@Test func theStepsAxisGivesEachLoopStepAColumnInOrder() {
  // Task 1 resumes, prints and suspends; then task 2 and task 3 resume at the same instant.
  let events: [(time: Double, task: Int, startsStep: Bool)] = [
    (0, 1, true), (0, 1, false), (0, 1, false), (0, 2, true), (0, 2, false), (5, 3, true),
  ]
  let scale = TimeScale(events: events, range: 0...5, axis: .steps, left: 0, width: 300)
  #expect(scale.eventX == scale.eventX.sorted())
  #expect(scale.eventX[0] == 0 && scale.eventX[3] == 100 && scale.eventX[5] == 200)
  // A step's own events spread inside its column, so its run from resume to await shows.
  #expect(scale.eventX[2] > scale.eventX[0] && scale.eventX[2] < 100)
  #expect(scale.x(0) == 0 && scale.x(0, after: true) == 200 && scale.x(5) == 200)
  #expect(scale.ticks.map(\.label) == ["0 s", "5 s"])
}

@Test func realClockEventsCloserThanAPixelShareAnInstant() {
  let scale = TimeScale(events: steps([0, 0.000_01, 1]), range: 0...1, left: 0, width: 500)
  #expect(scale.instants.map(\.count) == [2, 1])
}

@Test func aScaleWithoutTimeOrEventsIsEmptyButValid() {
  let scale = TimeScale(events: [], range: 0...0, left: 10, width: 500)
  #expect(scale.x(0) == 10)
  #expect(scale.ticks.map(\.label) == ["0 s"])
}
