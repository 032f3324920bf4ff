import Foundation
import Glibc
import Synchronization

/// One running Python kernel: a child process in its own process group, spoken to over a
/// command pipe (its fd 0) and an event pipe (its fd 1). Reads are blocking calls with a
/// deadline; nothing here uses threads.
public final class KernelProcess {
  enum Read {
    case event(KernelEvent)
    /// Nothing arrived before the deadline.
    case timedOut
    /// The kernel is gone (or talked nonsense and was killed): why, for a person.
    case died(String)
  }

  let pid: pid_t
  private let commands: Int32
  private let events: Int32
  /// Read end of the kernel's original stderr: Python's startup errors and the
  /// faulthandler report of a crash arrive here.
  private let crashes: Int32
  private var buffer: [UInt8] = []
  private var lineStart = 0
  private var scanned = 0
  private var termination: Termination?
  /// What `StrayProcesses` stopped after this kernel was killed.
  private(set) var strays: [StrayProcesses.Stray] = []
  private let decoder = JSONDecoder()
  private let encoder = JSONEncoder()

  /// Every kernel group alive in this process, for `killAll()`.
  private static let live = Mutex(LiveKernels())
  /// A write to a dead kernel must fail with EPIPE, not kill noterun.
  private static let brokenPipesIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

  /// Starts a kernel: forked by `server` when there is one and it answers, else spawned.
  init(python: Interpreter, script: String, environment: [String: String], server: ForkServer?)
    throws(KernelError)
  {
    Self.brokenPipesIgnored
    _ = StrayProcesses.adoptsOrphans
    let commandPipe = try ClosingPipe()
    let eventPipe = try ClosingPipe()
    let crashPipe = try ClosingPipe()
    let stdio = (commandPipe.read, eventPipe.write, crashPipe.write)
    let started: pid_t
    do throws(KernelError) {
      if let forked = server?.fork(stdio: stdio, timeout: Kernel.startTimeout) {
        try Self.adopt(forked)
        started = forked
      } else {
        started = try Self.tracked { () throws(KernelError) in
          try spawn(
            python.executable, arguments: ["-B", "-u", script], environment: Self.environment(environment),
            stdio: stdio)
        }
      }
    } catch {
      for pipe in [commandPipe, eventPipe, crashPipe] {
        close(pipe.read)
        close(pipe.write)
      }
      throw error
    }
    pid = started
    close(commandPipe.read)
    close(eventPipe.write)
    close(crashPipe.write)
    commands = commandPipe.write
    events = eventPipe.read
    crashes = crashPipe.read
    _ = fcntl(crashes, F_SETFL, fcntl(crashes, F_GETFL) | O_NONBLOCK)
  }

  /// The environment every kernel runs in: `environment` plus what makes runs repeatable.
  static func environment(_ environment: [String: String]) -> [String: String] {
    var environment = environment
    environment["PYTHONHASHSEED"] = "0"
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment["PYTHONIOENCODING"] = "utf-8"
    // Local time under the virtual clock (datetime.now(), time.localtime()) is then the
    // same on every machine.
    environment["TZ"] = "UTC"
    // What the kernel and its cells start is then known as this noterun's (StrayProcesses).
    environment[StrayProcesses.markerName] = StrayProcesses.owner
    return environment
  }

  /// Runs `start` (which starts a process in a group of its own) and records the group for
  /// `killAll()`, unless noterun is stopping.
  static func tracked(_ start: () throws(KernelError) -> pid_t) throws(KernelError) -> pid_t {
    try live.withLock { live throws(KernelError) in
      guard !live.stopped else { throw KernelError("noterun: stopped") }
      let pid = try start()
      live.groups.insert(pid)
      return pid
    }
  }

  static func untrack(_ pid: pid_t) {
    _ = live.withLock { live in live.groups.remove(pid) }
  }

  /// Records a kernel that a fork server made (it is already noterun's child): killed at
  /// once when noterun started stopping meanwhile.
  private static func adopt(_ pid: pid_t) throws(KernelError) {
    let stopped = live.withLock { live in
      if !live.stopped { live.groups.insert(pid) }
      return live.stopped
    }
    guard stopped else { return }
    Glibc.kill(-pid, SIGKILL)
    _ = Termination.reap(pid)
    throw KernelError("noterun: stopped")
  }

  deinit {
    kill()
    close(commands)
    close(events)
    close(crashes)
  }

  /// SIGKILL to every kernel process group still alive, and no kernel starts after it: for
  /// noterun's Ctrl-C handler. Call it from ordinary code (a dispatch signal source, say),
  /// not from a raw signal handler.
  public static func killAll() {
    // First what the cells started outside the kernels' groups, while the kernels still
    // hold it: noterun exits right after this, before it could adopt and find it.
    StrayProcesses.killAllNow()
    live.withLock { live in
      live.stopped = true
      for pid in live.groups { Glibc.kill(-pid, SIGKILL) }
    }
  }

  /// Sends one command; false when the kernel is gone.
  func send(_ command: KernelCommand) -> Bool {
    guard termination == nil, var data = try? encoder.encode(command) else { return false }
    data.append(UInt8(ascii: "\n"))
    return data.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = write(commands, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += written
      }
      return true
    }
  }

  /// The next event, waiting until `deadline` at most.
  func next(before deadline: ContinuousClock.Instant) -> Read {
    while true {
      if let line = takeLine() {
        do {
          return .event(try decoder.decode(KernelEventLine.self, from: Data(line)).event)
        } catch {
          kill()
          return .died("it sent an unreadable message (\(Self.describe(error))): \(Self.excerpt(line))")
        }
      }
      if let termination { return .died(termination.description) }
      let remaining = deadline - .now
      if remaining <= .zero { return .timedOut }
      // Wake at least every 100 ms: a child the kernel forked may hold the event pipe open
      // after the kernel died, so end of file alone does not tell.
      let slice = min(remaining, .milliseconds(100))
      let milliseconds = Int32(
        slice.components.seconds * 1000 + slice.components.attoseconds / 1_000_000_000_000_000 + 1)
      if wait(for: events, milliseconds: milliseconds) {
        if !readEvents() { kill() }
      } else if hasExited() {
        while wait(for: events, milliseconds: 0) && readEvents() {}
        kill()
      }
    }
  }

  /// What a decoder found wrong, and where: `done.trace.events[3].kind: …`.
  static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return String(describing: error) }
    let (path, reason): ([any CodingKey], String) =
      switch error {
      case .keyNotFound(let key, let context): (context.codingPath + [key], "missing")
      case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        (context.codingPath, context.debugDescription)
      @unknown default: ([], "\(error)")
      }
    let place = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    return place.isEmpty ? reason : "\(place.drop { $0 == "." }): \(reason)"
  }

  /// The start of an offending line, for an error message.
  static func excerpt(_ line: ArraySlice<UInt8>, limit: Int = 200) -> String {
    let text = String(decoding: line.prefix(limit), as: UTF8.self)
    return line.count > limit ? text + "… (\(line.count) bytes)" : text
  }

  /// SIGINT to the kernel's group, as a Ctrl-C in a terminal would.
  func interrupt() {
    if termination == nil { Glibc.kill(-pid, SIGINT) }
  }

  /// SIGKILL to the kernel's group; reaps the kernel. How it ended (by this or before).
  @discardableResult
  func kill() -> Termination {
    if let termination { return termination }
    // The kernel is not reaped yet, so its pid, the group's id, cannot have been reused.
    Self.live.withLock { live in
      Glibc.kill(-pid, SIGKILL)
      live.groups.remove(pid)
    }
    let ended = Termination.reap(pid)
    termination = ended
    strays = StrayProcesses.stop()
    return ended
  }

  /// What the kernel wrote to its original stderr (read it once the kernel is dead).
  func crashReport() -> String {
    var report: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while report.count < 1 << 20 {
      let count = read(crashes, &chunk, chunk.count)
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      report += chunk[..<count]
    }
    return String(decoding: report, as: UTF8.self)
  }

  private func takeLine() -> ArraySlice<UInt8>? {
    guard let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
      scanned = buffer.count
      return nil
    }
    let line = buffer[lineStart..<newline]
    lineStart = newline + 1
    scanned = lineStart
    return line
  }

  /// Appends what the event pipe holds; false at end of file.
  private func readEvents() -> Bool {
    if lineStart > 0 && lineStart * 2 >= buffer.count {
      buffer.removeFirst(lineStart)
      scanned -= lineStart
      lineStart = 0
    }
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(events, &chunk, chunk.count)
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { return false }
      buffer += chunk[..<count]
      return true
    }
  }

  /// Whether the kernel has exited, without reaping it (that would free its pid).
  private func hasExited() -> Bool {
    var info = siginfo_t()
    return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_signo == SIGCHLD
  }
}

private struct LiveKernels {
  var groups: Set<pid_t> = []
  var stopped = false
}

/// Whether `fd` is readable (or at end of file) within `milliseconds`.
func wait(for fd: Int32, milliseconds: Int32) -> Bool {
  var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
  while true {
    let ready = poll(&descriptor, 1, milliseconds)
    if ready < 0 && errno == EINTR { continue }
    return ready > 0
  }
}
