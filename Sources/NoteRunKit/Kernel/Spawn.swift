import Glibc

/// glibc functions the Swift Glibc module does not import (they are GNU extensions).
private enum GNU {
  typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
  typealias AddCloseFrom =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

  static let pipe2: Pipe2 = unsafeBitCast(symbol("pipe2")!, to: Pipe2.self)
  /// glibc 2.34 and newer.
  static let addCloseFrom: AddCloseFrom? = symbol(
    "posix_spawn_file_actions_addclosefrom_np"
  ).map { unsafeBitCast($0, to: AddCloseFrom.self) }

  private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
    dlsym(dlopen(nil, RTLD_NOW), name)
  }
}

/// A pipe whose ends close on exec, made atomically: a kernel spawned at the same moment
/// on another thread never inherits it (that would hide this kernel's death from us).
struct ClosingPipe {
  let read: Int32
  let write: Int32

  init() throws(KernelError) {
    var fds: [Int32] = [-1, -1]
    guard GNU.pipe2(&fds, O_CLOEXEC) == 0 else {
      throw KernelError("noterun: cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    read = fds[0]
    write = fds[1]
  }
}

/// Starts `executable` with `stdio` as its descriptors 0, 1 and 2 and no other descriptor
/// open, in a process group of its own (so it and everything it starts can be stopped
/// together, and a Ctrl-C in the terminal reaches noterun only), with SIGINT, SIGPIPE and
/// friends at their defaults and no signal blocked, whatever noterun does with them.
func spawn(
  _ executable: String, arguments: [String], environment: [String: String],
  stdio: (Int32, Int32, Int32)
) throws(KernelError) -> pid_t {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_adddup2(&actions, stdio.0, 0)
  posix_spawn_file_actions_adddup2(&actions, stdio.1, 1)
  posix_spawn_file_actions_adddup2(&actions, stdio.2, 2)
  _ = GNU.addCloseFrom?(&actions, 3)

  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  posix_spawnattr_setflags(
    &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
  posix_spawnattr_setpgroup(&attributes, 0)
  var defaults = sigset_t()
  sigemptyset(&defaults)
  for signal in [SIGINT, SIGPIPE, SIGTERM, SIGQUIT, SIGHUP] { sigaddset(&defaults, signal) }
  posix_spawnattr_setsigdefault(&attributes, &defaults)
  var unblocked = sigset_t()
  sigemptyset(&unblocked)
  posix_spawnattr_setsigmask(&attributes, &unblocked)

  let argv = ([executable] + arguments).map { strdup($0) } + [nil]
  let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer {
    argv.forEach { free($0) }
    envp.forEach { free($0) }
  }
  var pid = pid_t()
  let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
  guard status == 0 else {
    throw KernelError("noterun: cannot run \(executable): \(String(cString: strerror(status)))")
  }
  return pid
}
