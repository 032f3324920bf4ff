import Foundation
import Synchronization

extension Array where Element: Sendable {
  /// Maps on `jobs` threads of our own, keeping the order of the input. Notes spend their
  /// time blocked on a kernel's pipe, so they get real threads rather than the cooperative
  /// pool (which has only as many threads as cores). `onEach` sees results as they finish.
  public func parallelMap<Result: Sendable>(
    jobs: Int, _ transform: @escaping @Sendable (Element) -> Result,
    onEach: @escaping @Sendable (Int, Result) -> Void = { _, _ in }
  ) -> [Result] {
    let items = self
    let next = Mutex(0)
    let results = Mutex([Result?](repeating: nil, count: items.count))
    let workers = Swift.max(1, Swift.min(jobs, items.count))
    let finished = DispatchSemaphore(value: 0)
    for _ in 0..<workers {
      let thread = Thread {
        while true {
          let index = next.withLock { value -> Int in
            defer { value += 1 }
            return value
          }
          guard index < items.count else { break }
          let result = transform(items[index])
          results.withLock { $0[index] = result }
          onEach(index, result)
        }
        finished.signal()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    for _ in 0..<workers { finished.wait() }
    return results.withLock { $0.map { $0! } }
  }
}
