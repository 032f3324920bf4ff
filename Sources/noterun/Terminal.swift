import Foundation
import NoteRunKit

/// Where the verbs talk to the user: progress and errors on stderr, reports on stdout.
enum Terminal {
  /// `message` may already start with "noterun: " (kernel errors do); it is not doubled.
  static func error(_ message: String) {
    FileHandle.standardError.write(Data("noterun: \(withoutPrefix(message))\n".utf8))
  }

  static func withoutPrefix(_ message: String) -> String {
    message.hasPrefix("noterun: ") ? String(message.dropFirst("noterun: ".count)) : message
  }

  /// What a note says that noterun ignores but the author probably meant otherwise.
  static func warnings(_ outcome: NoteOutcome) {
    guard case .ran(let result) = outcome else { return }
    for warning in result.note.frontMatter.warnings {
      progress("\(warning.file):\(warning.line): warning: \(warning.message)")
    }
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
