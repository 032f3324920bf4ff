import Foundation

/// The thread the preview server's tasks and deadlines run on. Swift's cooperative pool has
/// one thread per core, and `watch` holds them with blocking work (a render waits on its
/// kernels): on that pool the server answered no one while a note ran, and its deadlines
/// (`Task.sleep`, cancellation) fired late. One thread serves every preview server of the
/// process; its work per request is small and bounded (`PreviewServer.Limits`).
final class ServerThread: TaskExecutor, @unchecked Sendable {
  static let shared = ServerThread()

  struct Timer: Hashable, Sendable {
    fileprivate let id: UInt64
  }

  private let condition = NSCondition()
  /// Guarded by `condition`, as are the timers.
  private var jobs: [UnownedJob] = []
  private var timers: [UInt64: (deadline: Date, action: @Sendable () -> Void)] = [:]
  private var nextTimer: UInt64 = 0

  private init() {
    let thread = Thread { [self] in run() }
    thread.name = "noterun-preview"
    thread.start()
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    condition.lock()
    jobs.append(job)
    condition.signal()
    condition.unlock()
  }

  /// Runs `action` on this thread after `duration`, unless cancelled first.
  func after(_ duration: Duration, _ action: @escaping @Sendable () -> Void) -> Timer {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    condition.lock()
    defer { condition.unlock() }
    nextTimer += 1
    timers[nextTimer] = (Date(timeIntervalSinceNow: seconds), action)
    condition.signal()
    return Timer(id: nextTimer)
  }

  func cancel(_ timer: Timer) {
    condition.lock()
    timers[timer.id] = nil
    condition.unlock()
  }

  private func run() {
    while true {
      condition.lock()
      var due: [@Sendable () -> Void] = []
      while jobs.isEmpty && due.isEmpty {
        let now = Date()
        for (id, timer) in timers where timer.deadline <= now {
          due.append(timer.action)
          timers[id] = nil
        }
        guard jobs.isEmpty && due.isEmpty else { break }
        if let earliest = timers.values.map(\.deadline).min() {
          _ = condition.wait(until: earliest)
        } else {
          condition.wait()
        }
      }
      let batch = jobs
      jobs.removeAll(keepingCapacity: true)
      condition.unlock()
      for action in due { action() }
      for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }
  }
}
