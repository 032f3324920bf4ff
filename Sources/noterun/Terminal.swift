import Foundation

/// Where the verbs talk to the user: progress and errors on stderr, reports on stdout.
enum Terminal {
  /// `message` may already start with "noterun: " (kernel errors do); it is not doubled.
  static func error(_ message: String) {
    FileHandle.standardError.write(Data("noterun: \(withoutPrefix(message))\n".utf8))
  }

  static func withoutPrefix(_ message: String) -> String {
    message.hasPrefix("noterun: ") ? String(message.dropFirst("noterun: ".count)) : message
  }

  static func progress(_ line: String) {
    FileHandle.standardError.write(Data("\(line)\n".utf8))
  }

  static func output(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
  static var stdoutWantsColor: Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
  }

  static var stderrWantsColor: Bool {
    isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
  }
}
