import Foundation

/// A note's Python kernel: runs its cells one at a time, and replaces the process when a
/// cell kills or hangs it, so later cells still run, in a fresh kernel, marked as such.
/// Not thread-safe: one kernel belongs to one note being run.
public final class Kernel {
  public let interpreter: Interpreter
  /// The version the running kernel reported; nil until it started.
  public private(set) var python: String?
  private let start: KernelCommand.Start
  private let environment: [String: String]
  private let launch: KernelLaunch
  private var process: KernelProcess?
  private var launches = 0
  private var failedStart: KernelError?
  /// Why the last kernel was replaced, for the first cell that runs in its successor.
  private var restartNotice: String?

  static let startTimeout: Duration = .seconds(30)
  /// How long an interrupted cell has to stop before its kernel is killed. SIGINT is sent
  /// again halfway: the first can arrive before the kernel has started the cell, or be
  /// swallowed by the cell's own `except KeyboardInterrupt`.
  static let interruptGrace: Duration = .seconds(2)

  public init(
    interpreter: Interpreter, note: Note, seed: Int, environment: [String: String],
    launch: KernelLaunch = .forked
  ) {
    self.interpreter = interpreter
    self.start = .init(file: note.file, path: note.url.path, source: note.source, seed: seed)
    self.environment = environment
    self.launch = launch
  }

  /// Starts the warm parent that `.forked` kernels of `interpreter` come from, so its Python
  /// start overlaps whatever the caller does before the first kernel is needed.
  public static func warmUp(_ interpreter: Interpreter, environment: [String: String]) {
    guard let folder = try? KernelFiles.folder.get() else { return }
    _ = ForkServer.shared(for: interpreter, folder: folder.path, environment: environment)
  }

  deinit { shutdown() }

  /// Starts the kernel if it is not running; a failure is remembered, not retried.
  public func startIfNeeded() throws(KernelError) {
    if process != nil { return }
    if let failedStart { throw failedStart }
    do throws(KernelError) {
      process = try startProcess()
      launches += 1
    } catch {
      failedStart = error
      throw error
    }
  }

  /// After the note's last cell: the tasks still pending on its loop, in creation order.
  /// Empty when the kernel is gone or does not answer within `endTimeout` (it is stopped
  /// next anyway).
  public func unfinishedTasks() -> [UnfinishedTask] {
    guard let process, process.send(.end) else { return [] }
    let deadline = ContinuousClock.now + Self.endTimeout
    while true {
      switch process.next(before: deadline) {
      case .event(.ended(let ended)): return ended.pending.compactMap(\.domain)
      case .event: continue
      case .timedOut, .died: return []
      }
    }
  }

  static let endTimeout: Duration = .seconds(5)

  /// Stops the kernel and everything it started; a notice for the page when that took
  /// stopping processes its cells left running outside the kernel's process group.
  @discardableResult
  public func shutdown() -> String? {
    process?.kill()
    defer { process = nil }
    return process.flatMap { Self.straysNotice($0.strays) }
  }

  static func straysNotice(_ strays: [StrayProcesses.Stray]) -> String? {
    guard !strays.isEmpty else { return nil }
    let list = strays.map { "\($0.command.isEmpty ? "?" : $0.command) (pid \($0.pid))" }.joined(
      separator: ", ")
    return strays.count == 1
      ? "noterun stopped a process this note left running: \(list)"
      : "noterun stopped \(strays.count) processes this note left running: \(list)"
  }

  /// Runs one cell: stops it with SIGINT after `timeout` seconds, kills the kernel if it
  /// has not stopped `interruptGrace` later, and applies the cell's `raises=`.
  public func run(
    _ cell: Cell, timeout: Double, clock: ClockMode, budget: Double, traceLimit: Int
  ) -> CellResult {
    let began = ContinuousClock.now
    var result = CellResult(cell: cell.index, status: .ok)
    do {
      try startIfNeeded()
      result.freshKernel = launches > 1
      let done = execute(
        cell, timeout: timeout, clock: clock, budget: budget, traceLimit: traceLimit, into: &result)
      result = result.checked(against: cell.options, matched: done?.matched, matchError: done?.matchError)
      if result.freshKernel, let notice = restartNotice {
        result.message = result.message ?? notice
        restartNotice = nil
      }
    } catch {
      result.status = .kernelDied
      result.message = error.message
    }
    result.seconds = (ContinuousClock.now - began) / .seconds(1)
    return result
  }

  private func startProcess() throws(KernelError) -> KernelProcess {
    let folder = try KernelFiles.folder.get().path
    let server =
      launch == .forked ? ForkServer.shared(for: interpreter, folder: folder, environment: environment) : nil
    let script = try KernelFiles.script()
    let process = try KernelProcess(
      python: interpreter, script: script, environment: environment, server: server)
    _ = process.send(.start(start))
    switch process.next(before: .now + Self.startTimeout) {
    case .event(.ready(let ready)):
      do throws(KernelError) {
        try KernelProtocol.accept(ready, from: script)
      } catch {
        process.kill()
        throw error
      }
      python = ready.python
      return process
    case .died(let why):
      let report = process.crashReport().trimmingCharacters(in: .whitespacesAndNewlines)
      throw KernelError(
        "noterun: the Python kernel did not start (\(why))\(report.isEmpty ? "" : "\n" + report)")
    case .timedOut, .event:
      process.kill()
      throw KernelError("noterun: the Python kernel did not start within \(Self.startTimeout)")
    }
  }

  private func execute(
    _ cell: Cell, timeout: Double, clock: ClockMode, budget: Double, traceLimit: Int,
    into result: inout CellResult
  ) -> KernelEvent.Done? {
    guard let process else { return nil }
    let command = KernelCommand.Run(
      cell: cell.index, segments: cell.segments.map(WireSegment.init), clock: WireClock(clock),
      trace: cell.options.trace, budget: budget, traceLimit: traceLimit, raises: cell.options.raises,
      match: cell.options.match)
    // A failed send means the kernel died between cells; reading says how.
    _ = process.send(.run(command))
    var deadline = ContinuousClock.now + .seconds(min(max(timeout, 0), 1e9))
    var interrupts = 0
    var interrupted: Bool { interrupts > 0 }
    let timedOut = "timed out after \(Self.format(timeout)) s"
    while true {
      switch process.next(before: deadline) {
      case .event(.stream(let stream)) where stream.cell == cell.index:
        result.append(OutputChunk(stream: stream.name.domain, text: stream.text, task: stream.task))
      case .event(.done(let done)) where done.cell == cell.index:
        result.apply(done, budget: budget)
        if interrupted || done.status == .interrupted {
          result.status = .timedOut
          result.message = timedOut
        }
        return done
      case .event:
        continue
      case .timedOut where interrupts < 2:
        process.interrupt()
        interrupts += 1
        deadline = .now + Self.interruptGrace / 2
      case .timedOut:
        process.kill()
        replaceProcess(after: cell, reason: "timed out")
        result.status = .timedOut
        result.message = "\(timedOut); the kernel did not stop when interrupted and was killed"
        if let notice = Self.straysNotice(process.strays) { result.message! += "; " + notice }
        return nil
      case .died(let why):
        let report = crashSummary(process.crashReport())
        if !report.isEmpty { result.append(OutputChunk(stream: .stderr, text: report)) }
        replaceProcess(after: cell, reason: "kernel died: \(why)")
        result.status = interrupted ? .timedOut : .kernelDied
        result.message = interrupted ? "\(timedOut); kernel died: \(why)" : "kernel died: \(why)"
        if let notice = Self.straysNotice(process.strays) { result.message! += "; " + notice }
        return nil
      }
    }
  }

  private func replaceProcess(after cell: Cell, reason: String) {
    process = nil
    restartNotice =
      "ran in a fresh kernel, restarted after \(start.file):\(cell.line) (\(reason)); names defined before are gone"
  }

  /// "1", "0.5": seconds as the user wrote them.
  static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
  }
}

/// Where a kernel process comes from. Both give a note the same process: its own pid and
/// process group, a clean namespace, no thread of its parent.
public enum KernelLaunch: Sendable, Hashable {
  /// Forked from a warm parent per interpreter (a few ms); spawned when that parent
  /// cannot run.
  case forked
  /// A fresh Python each time (its start and the kernel's imports, ~0.1 s).
  case spawned
}

extension CellResult {
  /// Adds output, joining it to the last chunk when stream and task are the same.
  mutating func append(_ chunk: OutputChunk) {
    if let last = outputs.last, last.stream == chunk.stream, last.task == chunk.task {
      outputs[outputs.count - 1].text += chunk.text
    } else {
      outputs.append(chunk)
    }
  }

  /// The trailing value's repr is capped like printed output (the kernel's 2 MiB): a 9 MiB
  /// repr would make pages and notes (`check --update`) nobody can read.
  static let valueCap = 2 * 1024 * 1024

  mutating func apply(_ done: KernelEvent.Done, budget: Double) {
    value = done.value
    droppedBytes = done.droppedBytes
    if let repr = done.value, repr.utf8.count > Self.valueCap {
      var kept = Substring(repr).utf8.prefix(Self.valueCap)
      while String(kept) == nil { kept = kept.dropLast() }
      value = String(kept)! + "…"
      droppedBytes += repr.utf8.count - kept.count
    }
    error = done.error?.domain
    do {
      trace = try done.trace?.domain()
    } catch {
      trace = nil
      message = "the trace was left out: the kernel sent a \(error.what) this noterun does not know"
    }
    clockSeconds = done.clockSeconds
    switch done.status {
    case .ok: status = .ok
    case .error: status = .error
    case .interrupted: status = .timedOut
    case .deadlock: status = .deadlock
    case .budget:
      status = .budget
      message = "stopped after \(Kernel.format(budget)) s of virtual time (the time budget)"
    }
  }
}
