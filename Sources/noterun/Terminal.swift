import ArgumentParser
import Foundation
import NoteRunKit

/// Where the verbs talk to the user: progress and errors on stderr, reports on stdout.
/// Writes go straight to the file descriptors: a reader that stops early (`| head`) ends
/// the output quietly instead of crashing the run, which still finishes and exits with
/// its own status.
enum Terminal {
  /// `message` may already start with "noterun: " (kernel errors do); it is not doubled.
  /// Made harmless: messages quote notes and cells.
  static func error(_ message: String) {
    write("noterun: \(TerminalEscaping.harmless(withoutPrefix(message)))\n", to: STDERR_FILENO)
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

  /// A line of progress; made harmless, as it may quote a note or an error.
  static func progress(_ line: String) {
    write(TerminalEscaping.harmless(line) + "\n", to: STDERR_FILENO)
  }

  /// A report or table; whoever built it made what it quotes harmless.
  static func output(_ text: String) {
    write(text, to: STDOUT_FILENO)
  }

  /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
  static var stdoutWantsColor: Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
  }

  /// An error as one line: a file-system error names its path and the system's reason,
  /// never an NSError dump.
  static func describe(_ error: any Error) -> String {
    let nsError = error as NSError
    guard nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain else {
      return "\(error)"
    }
    let path =
      nsError.userInfo[NSFilePathErrorKey] as? String ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path
    let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
    let code = Int32(underlying?.domain == NSPOSIXErrorDomain ? underlying!.code : nsError.code)
    let reason =
      underlying?.domain == NSPOSIXErrorDomain || nsError.domain == NSPOSIXErrorDomain
      ? String(cString: strerror(code)) : nsError.localizedDescription
    return path.map { "\($0): \(reason)" } ?? reason
  }

  /// `option PATH` must name a folder, or nothing yet: a file there is a usage error,
  /// reported before any note runs.
  static func requireFolder(_ path: String, option: String) throws {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
      return
    }
    error("\(option) \(path): not a folder")
    throw ExitCode(2)
  }

  /// `option PATH` must name a file, or nothing yet: a folder there is a usage error,
  /// reported before any note runs.
  static func requireFile(_ path: String, option: String) throws {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
      return
    }
    error("\(option) \(path): is a folder")
    throw ExitCode(2)
  }

  /// Stops writing to a descriptor whose reader has gone (EPIPE); SIGPIPE is ignored, so
  /// the write fails instead of killing the process.
  private static func write(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { buffer in
        Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
      }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return }
      offset += written
    }
  }
}
