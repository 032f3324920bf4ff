import Foundation
import Synchronization
import Testing

@testable import NoteRunKit

@Test func parallelMapKeepsOrderAndReportsEachResult() {
  let seen = Mutex(Set<Int>())
  let squares = Array(0..<200).parallelMap(
    jobs: 7, { $0 * $0 },
    onEach: { index, _ in
      _ = seen.withLock { $0.insert(index) }
    })
  #expect(squares == (0..<200).map { $0 * $0 })
  #expect(seen.withLock { $0.count } == 200)
}

@Test func parallelMapOfNothingIsEmpty() {
  #expect([Int]().parallelMap(jobs: 4) { $0 }.isEmpty)
}
