import Glibc

/// How a child process ended, as a person reads it.
enum Termination: Sendable, Hashable, CustomStringConvertible {
  case exited(Int32)
  case signaled(Int32)

  /// Reaps `pid`, waiting for it to end.
  static func reap(_ pid: pid_t) -> Termination {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WTERMSIG are C macros Swift does not import.
    let signal = status & 0x7f
    return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
  }

  var description: String {
    switch self {
    case .exited(let code): "exited with status \(code)"
    case .signaled(let signal):
      if let name = Self.signalNames[signal] {
        "killed by signal \(signal) (\(name))"
      } else {
        "killed by signal \(signal)"
      }
    }
  }

  private static let signalNames: [Int32: String] = [
    SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
    SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
    SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
    SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
  ]
}
