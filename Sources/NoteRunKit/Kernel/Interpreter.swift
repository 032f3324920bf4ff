import Glibc
import Synchronization

/// The Python that runs a note's kernel.
public struct Interpreter: Sendable, Hashable {
  /// The real binary, as the interpreter reports `sys.executable`: spawning it directly
  /// skips a pyenv shim's 0.1 s on every kernel start.
  public var executable: String
  /// `platform.python_version()`, e.g. "3.11.7".
  public var version: String

  public init(executable: String, version: String) {
    self.executable = executable
    self.version = version
  }

  /// The first of: `requested` (the command line's `--python`), `NOTERUN_PYTHON`, the note's
  /// front matter `python:`, `python3`; a name is looked up on PATH. Each found program is
  /// asked once per process for its real binary and version (once per machine while its
  /// file is unchanged: `InterpreterMemo`); 3.10 or newer is required.
  public static func resolve(
    requested: String?, frontMatter: String?, environment: [String: String]
  ) throws(KernelError) -> Interpreter {
    let name =
      [requested, environment["NOTERUN_PYTHON"], frontMatter].compactMap { $0 }.first { !$0.isEmpty }
      ?? "python3"
    guard let program = locate(name, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
    else {
      let looked = name.contains("/") ? "" : "looked in PATH; "
      throw KernelError("noterun: \(name) not found (\(looked)set --python or NOTERUN_PYTHON)")
    }
    return try probed.withLock { probed throws(KernelError) in
      if let known = probed[program] { return try known.get() }
      let memo = InterpreterMemo(environment: environment)
      let result = Result { () throws(KernelError) in
        if let remembered = memo?.interpreter(for: program) { return remembered }
        let interpreter = try probe(program, environment: environment)
        memo?.remember(interpreter, for: program)
        return interpreter
      }
      probed[program] = result
      return try result.get()
    }
  }

  private static let probed = Mutex<[String: Result<Interpreter, KernelError>]>([:])

  private static func locate(_ name: String, path: String) -> String? {
    let candidates =
      name.contains("/")
      ? [name]
      : path.split(separator: ":", omittingEmptySubsequences: false).map {
        "\($0.isEmpty ? "." : $0)/\(name)"
      }
    return candidates.first { candidate in
      var info = stat()
      return stat(candidate, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(candidate, X_OK) == 0
    }
  }

  private static func probe(_ program: String, environment: [String: String]) throws(KernelError)
    -> Interpreter
  {
    let output = try ClosingPipe()
    let null = open("/dev/null", O_RDWR | O_CLOEXEC)
    defer { close(null) }
    let pid: pid_t
    do throws(KernelError) {
      pid = try spawn(
        program,
        // -S: the answer needs no site-packages, and `site` is most of a Python start.
        arguments: [
          "-S", "-c", "import sys,platform;print(sys.executable);print(platform.python_version())",
        ],
        environment: environment, stdio: (null, output.write, null))
    } catch {
      close(output.read)
      close(output.write)
      throw error
    }
    close(output.write)
    var text: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    let deadline = ContinuousClock.now + .seconds(10)
    while deadline > .now {
      guard wait(for: output.read, milliseconds: 100) else { continue }
      let count = read(output.read, &chunk, chunk.count)
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      text += chunk[..<count]
    }
    close(output.read)
    kill(-pid, SIGKILL)
    let ended = Termination.reap(pid)
    let lines = String(decoding: text, as: UTF8.self).split(separator: "\n").map(String.init)
    guard ended == .exited(0), lines.count == 2 else {
      throw KernelError(
        "noterun: \(program) did not run as Python (\(ended)); set --python or NOTERUN_PYTHON")
    }
    let interpreter = Interpreter(executable: lines[0].isEmpty ? program : lines[0], version: lines[1])
    let parts = interpreter.version.split(separator: ".").compactMap { Int($0) }
    guard parts.count >= 2, (parts[0], parts[1]) >= (3, 10) else {
      throw KernelError(
        "noterun: \(program) is Python \(interpreter.version); noterun needs 3.10 or newer (set --python or NOTERUN_PYTHON)"
      )
    }
    return interpreter
  }
}
