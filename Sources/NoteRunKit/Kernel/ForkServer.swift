import Glibc
import Synchronization

/// A warm Python parent that forks kernels (`python/_noterun_fork_server.py`): a kernel then
/// costs a fork, a few milliseconds, instead of a Python start plus the kernel's imports.
/// One per interpreter and environment, started on first use and kept for the life of
/// noterun (it exits when noterun does: its socket closes).
///
/// The process tree: noterun → server (its own process group); each kernel is forked by a
/// middle process that exits at once, so the kernel is adopted by noterun, a child
/// subreaper, and is noterun's child in its own process group exactly as a spawned kernel
/// is: noterun reaps it, reads how it ended and signals its group.
final class ForkServer: Sendable {
  private let pid: pid_t
  /// noterun's end of the server's seqpacket socket; nil once the server is found dead.
  private let socket: Mutex<Int32?>

  private struct Key: Hashable {
    var executable: String
    var environment: [String: String]
  }

  private static let servers = Mutex<[Key: ForkServer]>([:])
  /// The server for `python` in `environment`, started now if there is none; nil when it
  /// cannot run (the caller spawns kernels instead).
  static func shared(for python: Interpreter, folder: String, environment: [String: String]) -> ForkServer? {
    // Forked kernels must be adopted by noterun, not by init.
    guard StrayProcesses.adoptsOrphans else { return nil }
    let environment = KernelProcess.environment(environment)
    let key = Key(executable: python.executable, environment: environment)
    return servers.withLock { servers in
      // A server found dead is not replaced: kernels are spawned from then on.
      if let server = servers[key] { return server.isAlive ? server : nil }
      let server = ForkServer(python: python, folder: folder, environment: environment)
      servers[key] = server
      return server
    }
  }

  private init?(python: Interpreter, folder: String, environment: [String: String]) {
    var ends: [Int32] = [-1, -1]
    guard
      Glibc.socketpair(
        AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0
    else { return nil }
    let null = open("/dev/null", O_RDWR | O_CLOEXEC)
    defer {
      close(null)
      close(ends[1])
    }
    do throws(KernelError) {
      pid = try KernelProcess.tracked { () throws(KernelError) in
        try spawn(
          python.executable, arguments: ["-B", "-u", folder + "/_noterun_fork_server.py"],
          environment: environment, stdio: (ends[1], null, null))
      }
    } catch {
      close(ends[0])
      return nil
    }
    socket = Mutex(ends[0])
  }

  deinit {
    socket.withLock { socket in
      if let fd = socket { close(fd) }
    }
  }

  private var isAlive: Bool { socket.withLock { $0 != nil } }

  /// Forks a kernel whose fds 0, 1 and 2 are `stdio`; its pid, or nil when the server is
  /// gone or does not answer within `timeout` (the first answer waits for its imports).
  func fork(stdio: (Int32, Int32, Int32), timeout: Duration) -> pid_t? {
    socket.withLock { socket -> pid_t? in
      guard let fd = socket else { return nil }
      if Self.send(byte: UInt8(ascii: "k"), fds: [stdio.0, stdio.1, stdio.2], on: fd),
        let pid = Self.receivePid(on: fd, timeout: timeout)
      {
        return pid
      }
      close(fd)
      socket = nil
      KernelProcess.untrack(pid)
      Glibc.kill(-pid, SIGKILL)
      _ = Termination.reap(pid)
      return nil
    }
  }

  /// One byte with `fds` attached as SCM_RIGHTS.
  private static func send(byte: UInt8, fds: [Int32], on socket: Int32) -> Bool {
    // CMSG_LEN / CMSG_SPACE are C macros Swift does not import.
    let header = MemoryLayout<cmsghdr>.stride
    let length = header + fds.count * MemoryLayout<Int32>.size
    let space = (length + MemoryLayout<Int>.size - 1) & ~(MemoryLayout<Int>.size - 1)
    let control = UnsafeMutableRawPointer.allocate(
      byteCount: space, alignment: MemoryLayout<cmsghdr>.alignment)
    defer { control.deallocate() }
    control.initializeMemory(as: UInt8.self, repeating: 0, count: space)
    let cmsg = control.assumingMemoryBound(to: cmsghdr.self)
    cmsg.pointee.cmsg_len = length
    cmsg.pointee.cmsg_level = SOL_SOCKET
    cmsg.pointee.cmsg_type = Int32(SCM_RIGHTS)
    fds.withUnsafeBytes { (control + header).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    var payload = byte
    return withUnsafeMutablePointer(to: &payload) { payload in
      var vector = iovec(iov_base: payload, iov_len: 1)
      return withUnsafeMutablePointer(to: &vector) { vector in
        var message = msghdr()
        message.msg_iov = vector
        message.msg_iovlen = 1
        message.msg_control = control
        message.msg_controllen = space
        while true {
          let sent = sendmsg(socket, &message, Int32(MSG_NOSIGNAL))
          if sent < 0 && errno == EINTR { continue }
          return sent == 1
        }
      }
    }
  }

  private static func receivePid(on socket: Int32, timeout: Duration) -> pid_t? {
    let deadline = ContinuousClock.now + timeout
    var answer = [UInt8](repeating: 0, count: 32)
    while deadline > .now {
      guard wait(for: socket, milliseconds: 100) else { continue }
      let count = recv(socket, &answer, answer.count, 0)
      if count < 0 && errno == EINTR { continue }
      guard count > 0, let pid = pid_t(String(decoding: answer[..<count], as: UTF8.self)), pid > 0
      else { return nil }
      return pid
    }
    return nil
  }
}
