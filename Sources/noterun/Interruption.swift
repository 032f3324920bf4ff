import Dispatch
import Foundation
import NoteRunKit

/// Ctrl-C (or SIGTERM) stops everything cleanly: every kernel's process group is killed and
/// no temporary file is left behind. Handled on a dispatch queue, not in a signal handler,
/// so the cleanup may lock and allocate. It ends with `_exit`: `exit` would run atexit
/// handlers and static destructors while the worker threads are still running notes.
enum Interruption {
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

  static func install() {
    // A reader that leaves early (`| head`) makes writes fail with EPIPE, which Terminal
    // handles, instead of killing the run midway.
    signal(SIGPIPE, SIG_IGN)
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        KernelProcess.killAll()
        AtomicFile.removeTemporaryFiles()
        FileHandle.standardError.write(Data("\nnoterun: interrupted\n".utf8))
        _exit(128 + signalNumber)
      }
      source.resume()
      sources.append(source)
    }
  }
}
