import Glibc

/// Processes a cell started that would outlive noterun: a child that called `setsid()` (a
/// daemon) leaves the kernel's process group, so the SIGKILL to that group at the end of a
/// note misses it. noterun is a child subreaper, so when the kernel dies such a process is
/// re-parented to noterun instead of init; the kernel is one too (its Python start-up), so
/// while a kernel lives, the orphans of its cells stay its own and another note's end cannot
/// touch them. After each kernel is killed, noterun's children in another session than its
/// own are therefore the dead kernel's strays: each is killed with its process group, and
/// reaped; their children, re-parented in turn, are found on the next round.
///
/// noterun's own children (kernels, a fork server, the interpreter probe) stay in its
/// session; a cell's process that leaves the kernel's group but not the session is not
/// found here. Only processes whose environment carries `marker` (every kernel's does, and
/// what a cell starts inherits it) are touched: a program that embeds noterun (its tests
/// start Chromium, whose crash handler is adopted the same way) keeps its own orphans. A
/// stray that already exited has no readable environment and is left unreaped.
enum StrayProcesses {
  /// `NOTERUN_OWNER=<noterun's pid>`, in the environment of every kernel.
  static let markerName = "NOTERUN_OWNER"
  static let owner = String(getpid())
  static let marker = "\(markerName)=\(owner)"

  struct Stray: Sendable, Hashable {
    var pid: pid_t
    var command: String
  }

  /// Makes noterun a child subreaper (Linux 3.4+); false where that is not possible.
  static let adoptsOrphans: Bool = {
    typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "prctl") else { return false }
    let setChildSubreaper: Int32 = 36  // PR_SET_CHILD_SUBREAPER
    return unsafeBitCast(symbol, to: Prctl.self)(setChildSubreaper, 1, 0, 0, 0) == 0
  }()

  /// Kills and reaps the strays; what they were, for the page.
  static func stop() -> [Stray] {
    let me = getpid()
    let session = getsid(0)
    var stopped: [Stray] = []
    // Each round kills one generation; a chain deeper than this is left to its own end.
    for _ in 0..<16 {
      let strays = children(of: me).filter { $0.session != session && $0.state != "Z" && isMarked($0.pid) }
      if strays.isEmpty { break }
      for stray in strays {
        stopped.append(Stray(pid: stray.pid, command: command(of: stray.pid)))
        if stray.group != getpgrp() { kill(-stray.group, SIGKILL) }
        kill(stray.pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(stray.pid, &status, 0) < 0 && errno == EINTR {}
      }
    }
    return stopped
  }

  /// For Ctrl-C, before the kernels are killed and noterun exits: every descendant of
  /// noterun in another session than its own, with its process group, killed at once (not
  /// reaped: noterun is about to exit).
  static func killAllNow() {
    let me = getpid()
    let session = getsid(0)
    let all = processes()
    var parents: Set<pid_t> = [me]
    var found = true
    while found {
      found = false
      for entry in all where !parents.contains(entry.pid) && parents.contains(entry.parent) {
        parents.insert(entry.pid)
        found = true
      }
    }
    for entry in all
    where entry.pid != me && parents.contains(entry.pid) && entry.session != session && isMarked(entry.pid) {
      if entry.group != getpgrp() { kill(-entry.group, SIGKILL) }
      kill(entry.pid, SIGKILL)
    }
  }

  private struct Entry {
    var pid: pid_t
    var parent: pid_t
    var state: Character
    var group: pid_t
    var session: pid_t
  }

  private static func children(of parent: pid_t) -> [Entry] {
    processes().filter { $0.parent == parent }
  }

  /// `/proc/PID/stat` of every process: the fields after the command, which is in
  /// parentheses and may hold any character, so the last `)` ends it.
  private static func processes() -> [Entry] {
    guard let folder = opendir("/proc") else { return [] }
    defer { closedir(folder) }
    var found: [Entry] = []
    while let entry = readdir(folder) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) {
        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard let pid = pid_t(name), let stat = read("/proc/\(pid)/stat"),
        let close = stat.lastIndex(of: ")")
      else { continue }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 4, let parent = pid_t(fields[1]), let group = pid_t(fields[2]),
        let session = pid_t(fields[3]), let state = fields[0].first
      else { continue }
      found.append(Entry(pid: pid, parent: parent, state: state, group: group, session: session))
    }
    return found
  }

  /// Whether `pid`'s environment holds `marker` (as one whole entry).
  private static func isMarked(_ pid: pid_t) -> Bool {
    guard let environment = read("/proc/\(pid)/environ", limit: 1 << 20) else { return false }
    return environment.split(separator: "\0").contains { $0 == marker }
  }

  private static func command(of pid: pid_t) -> String {
    let line = read("/proc/\(pid)/cmdline") ?? ""
    return line.split(separator: "\0").joined(separator: " ")
  }

  /// Up to `limit` bytes of a /proc file (read until its end: such files come in pieces).
  private static func read(_ path: String, limit: Int = 4096) -> String? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { Glibc.close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < limit {
      let count = Glibc.read(descriptor, &chunk, chunk.count)
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      bytes += chunk[..<count]
    }
    return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
  }
}
