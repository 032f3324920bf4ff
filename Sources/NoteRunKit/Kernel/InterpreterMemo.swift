import Foundation
import Glibc

/// What earlier runs learned by probing interpreters, so a run does not pay a Python start
/// (~50 ms, more with `site`) to ask again. One line per program:
/// `program TAB real path TAB mtime TAB size TAB executable TAB version`, in
/// `$XDG_CACHE_HOME/noterun/interpreters` (default `~/.cache`).
///
/// An answer is kept only when the program is the interpreter itself (its real path is
/// the real path of the `sys.executable` it reported): a shim or wrapper script answers
/// according to more than its own file (pyenv reads `.python-version` files and variables),
/// so it is probed on every run. An answer is used only while the program's real path
/// still has the recorded modification time and size, so an upgraded Python is probed
/// again. A torn or foreign file is only a miss.
struct InterpreterMemo {
  let file: URL

  init?(environment: [String: String]) {
    let base =
      environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
      ?? environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 + "/.cache" : nil }
    guard let base else { return nil }
    file = URL(fileURLWithPath: base).appendingPathComponent("noterun/interpreters")
  }

  /// The remembered interpreter for `program`, if its file has not changed since.
  func interpreter(for program: String) -> Interpreter? {
    guard let identity = Self.identity(of: program),
      let text = try? String(contentsOf: file, encoding: .utf8)
    else { return nil }
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == 6, fields[0] == program, Array(fields[1...3]) == identity else { continue }
      return Interpreter(executable: fields[4], version: fields[5])
    }
    return nil
  }

  /// Remembers `interpreter` as what `program` is, when `program` is the interpreter itself.
  func remember(_ interpreter: Interpreter, for program: String) {
    guard let identity = Self.identity(of: program), identity[0] == Self.realpath(interpreter.executable),
      ![program, interpreter.executable, interpreter.version].contains(where: {
        $0.contains(where: \.isNewline)
      })
    else { return }
    let entry = ([program] + identity + [interpreter.executable, interpreter.version]).joined(separator: "\t")
    let kept = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").filter {
      !$0.hasPrefix(program + "\t")
    }
    try? FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? AtomicFile.write(
      (kept.suffix(63) + [Substring(entry)]).joined(separator: "\n") + "\n", to: file, durable: false)
  }

  /// Real path, modification time and size of `program`'s file.
  private static func identity(of program: String) -> [String]? {
    guard let real = realpath(program) else { return nil }
    var info = stat()
    guard stat(real, &info) == 0 else { return nil }
    return [real, "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)", "\(info.st_size)"]
  }

  private static func realpath(_ path: String) -> String? {
    guard let resolved = Glibc.realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
