import Foundation
import Testing

@testable import NoteRunKit

/// A kernel forked from the warm parent against one spawned from scratch: what a note sees
/// and what it produces must not tell them apart.
@Suite struct KernelLaunchTests {
  /// What a cell can observe of its process, printed; pids are checked apart (they differ).
  static let probe = """
    import os, sys, signal, threading, random, json
    fds = sorted(int(fd) for fd in os.listdir('/proc/self/fd'))
    print(json.dumps({
        'pgid is pid': os.getpgid(0) == os.getpid(),
        'threads': sorted(t.name for t in threading.enumerate()),
        'argv': sys.argv, 'file': __file__, 'name': __name__,
        'names': sorted(n for n in globals() if n != '__builtins__'),
        'random': random.random(), 'hash': hash('noterun'),
        # The warm parent imported the kernel's script as a module; a spawned kernel ran it as __main__.
        'modules': sorted(m for m in sys.modules if m != '_noterun_kernel'),
        'fds': fds,
        'signals': [str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGPIPE, signal.SIGTERM, signal.SIGCHLD)],
        'blocked': sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])),
        'path': sys.path[0], 'cwd': os.getcwd(), 'umask': os.umask(0o22),
        'tz': os.environ.get('TZ'), 'seed': os.environ.get('PYTHONHASHSEED'),
    }, sort_keys=True))
    print(os.getppid(), os.getpid())
    """

  @Test func aForkedKernelSeesWhatASpawnedOneSees() throws {
    let note = try kernelTestNote([Self.probe])
    var seen: [KernelLaunch: [String]] = [:]
    for launch in [KernelLaunch.spawned, .forked] {
      let result = NoteRunner(settings: RunSettings(kernelLaunch: launch)).run(note)
      #expect(result.cells[0].status == .ok, "\(result.cells[0])")
      seen[launch] = result.cells[0].printed.split(separator: "\n").map(String.init)
    }
    let spawned = try #require(seen[.spawned]), forked = try #require(seen[.forked])
    #expect(spawned.count == 2 && forked.count == 2)
    #expect(spawned.first.map(masked) == forked.first.map(masked))
    // Both are children of this process (the forked one by adoption), with their own pid.
    let parent = "\(getpid())"
    #expect(spawned.last?.split(separator: " ").first.map(String.init) == parent)
    #expect(forked.last?.split(separator: " ").first.map(String.init) == parent)
    #expect(spawned.last != forked.last)
  }

  @Test func eachForkedKernelIsAFreshProcess() throws {
    let note = try kernelTestNote([
      "import os\nprint(os.getpid())\ntry:\n    leftover\nexcept NameError:\n    leftover = 1\n    print('clean')"
    ])
    let runs = (0..<3).map { _ in NoteRunner(settings: RunSettings(kernelLaunch: .forked)).run(note) }
    #expect(runs.allSatisfy { $0.cells[0].printed.hasSuffix("\nclean\n") })
    #expect(Set(runs.map(\.cells[0].printed)).count == 3)
  }

  @Test func everyNoteOfTheProjectGivesTheSameResultsForkedAndSpawned() throws {
    let notes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Notes")
    let files = try NoteFinder.notes(
      in: [notes.path], currentDirectory: notes.deletingLastPathComponent().path)
    #expect(files.count >= 8)
    for file in files {
      let note = try NoteParser.parse(
        file: file.url, root: file.root, displayPath: file.displayPath, defaultLanguage: nil)
      let results = try [KernelLaunch.spawned, .forked].map { launch in
        try NoteRunner(settings: RunSettings(kernelLaunch: launch)).run(note).cells.map(comparable)
      }
      #expect(results[0] == results[1], "\(file.displayPath)")
    }
  }
}

/// `text` with object addresses (`at 0x7f…`) masked: they differ between any two processes.
func masked(_ text: String) -> String {
  text.replacing(/0x[0-9a-f]{6,}/, with: "0x…")
}

/// A result as JSON (the cell cache's schema), without what differs between any two runs
/// of a note: its wall-clock duration and object addresses.
func comparable(_ result: CellResult) throws -> String {
  var result = result
  result.seconds = 0
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
  let stored = CellCacheEntry(key: "", codeLines: [], result: result).result
  return masked(String(decoding: try encoder.encode(stored), as: UTF8.self))
}
