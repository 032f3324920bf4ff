/// A deadline for one step of serving a client (reading a request head, sending a chunk):
/// the step is cancelled when it passes, which makes a socket read or write suspended in
/// FlyingSocks' pool end with `CancellationError`.
struct DeadlinePassed: Error {}

func withDeadline<Value: Sendable>(
  _ duration: Duration, _ step: @escaping @Sendable () async throws -> Value
) async throws -> Value {
  try await withThrowingTaskGroup(of: Value?.self) { group in
    group.addTask { try await step() }
    group.addTask {
      try await Task.sleep(for: duration)
      return nil
    }
    defer { group.cancelAll() }
    guard let first = try await group.next(), let value = first else { throw DeadlinePassed() }
    return value
  }
}
