import Foundation
import Testing

@testable import NoteRunKit

/// The wire trace's optional fields for wakes, readiness, cancellation, carried-over tasks and
/// stops: what the kernel writes decodes into them, and a trace written before they existed
/// still decodes.
@Test func aTraceWithWakesReadyTimesAndAStopDecodes() throws {
  let json = """
    {"clock": "virtual", "end": 1.5,
     "tasks": [{"id": 1, "name": "Task-1", "coroutine": "<module>", "created": 0, "role": "cell"},
               {"id": 2, "name": "w", "coroutine": "w", "created": 0,
                "carried": {"since": -2.0, "what": "Event.wait()",
                            "chain": [{"function": "w", "origin": "Notes/t.md:3"},
                                      {"function": "Event.wait", "origin": "locks.py:213",
                                       "library": true}]}}],
     "events": [{"time": 0, "task": 1, "kind": "resume", "wake": {"kind": "start"}},
                {"time": 0.5, "task": 2, "kind": "resume", "ready": 0.25,
                 "wake": {"kind": "call", "by": 1, "at": "Notes/t.md:9", "what": "Event.set",
                          "step": 0},
                 "thrown": "CancelledError"}],
     "waiting": [{"task": 2, "what": "Event.wait()", "chain": [], "since": -2.0}],
     "stop": {"status": "deadlock", "time": 1.5, "event": 1}}
    """
  let trace = try JSONDecoder().decode(WireTrace.self, from: Data(json.utf8)).domain()
  #expect(trace.tasks[0].role == .cell)
  #expect(trace.tasks[1].carried?.since == -2.0)
  #expect(trace.tasks[1].carried?.chain.map(\.library) == [nil, true])
  #expect(trace.events[0].wake == Wake(kind: .start))
  #expect(trace.events[1].ready == 0.25)
  #expect(trace.events[1].wake == Wake(kind: .call, by: 1, at: "Notes/t.md:9", what: "Event.set", step: 0))
  #expect(trace.events[1].thrown == "CancelledError")
  #expect(trace.waiting[0].since == -2.0)
  #expect(trace.stop == TraceStop(status: .deadlock, time: 1.5, event: 1))

  let old = """
    {"clock": "real", "end": 0, "tasks": [], "events": [{"time": 0, "task": 1, "kind": "resume"}],
     "waiting": []}
    """
  let plain = try JSONDecoder().decode(WireTrace.self, from: Data(old.utf8)).domain()
  #expect(plain.stop == nil)
  #expect(plain.events[0].wake == nil && plain.events[0].ready == nil)
}

@Test func whereIsTheInnermostFrameOutsideTheLibraryWhenNoneIsInTheNote() {
  let chain = [
    ChainFrame(function: "<module>", origin: "cell.md:4"),
    ChainFrame(function: "sleep", origin: "tasks.py:649", library: true),
  ]
  #expect(Trace.location(in: chain, noteFile: nil)?.origin == "cell.md:4")
  #expect(Trace.location(in: chain, noteFile: "other.md")?.origin == "cell.md:4")
  #expect(Trace.location(in: [chain[1]], noteFile: nil)?.origin == "tasks.py:649")
}
