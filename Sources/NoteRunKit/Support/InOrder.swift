import Synchronization

/// Hands items numbered 0, 1, 2… to `deliver` in that order, whatever order they arrive
/// in: an item waits until every item before it has been delivered. Progress lines of
/// notes run in parallel are printed this way, so a run's output does not depend on
/// which note finished first. `deliver` runs under a lock, one item at a time.
public final class InOrder<Item: Sendable>: Sendable {
  private let state = Mutex<(next: Int, waiting: [Int: Item])>((0, [:]))
  private let deliver: @Sendable (Item) -> Void

  public init(_ deliver: @escaping @Sendable (Item) -> Void) {
    self.deliver = deliver
  }

  public func add(_ item: Item, at index: Int) {
    state.withLock { state in
      state.waiting[index] = item
      while let next = state.waiting.removeValue(forKey: state.next) {
        deliver(next)
        state.next += 1
      }
    }
  }
}
