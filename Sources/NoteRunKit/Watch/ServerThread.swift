import Foundation

/// The thread the preview server's tasks run on. Swift's cooperative pool has one thread
/// per core, and `watch` holds them with blocking work (a render waits on its kernels): on
/// that pool the server answered no one while a note ran. One thread serves every preview
/// server of the process; its work per request is small and bounded (`PreviewServer.Limits`).
final class ServerThread: TaskExecutor, @unchecked Sendable {
  static let shared = ServerThread()

  private let condition = NSCondition()
  /// Guarded by `condition`.
  private var jobs: [UnownedJob] = []

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

  private func run() {
    while true {
      condition.lock()
      while jobs.isEmpty { condition.wait() }
      let batch = jobs
      jobs.removeAll(keepingCapacity: true)
      condition.unlock()
      for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }
  }
}
