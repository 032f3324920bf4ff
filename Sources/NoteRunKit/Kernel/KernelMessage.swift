// The protocol between noterun and its Python kernel: one JSON object per line, commands
// on the kernel's command pipe, events on its event pipe. Mirrored by
// `python/_noterun_protocol.py`; change both together and bump `KernelProtocol.version`.
//
// These are wire types, apart from the domain types the rest of noterun uses (`CellResult`,
// `Trace`, …): every key is spelled out in a `CodingKeys`, so renaming a Swift property
// cannot change what goes over the pipe or into the cell cache. `KernelMessage+Domain.swift`
// maps between the two. The contract tests decode what a real kernel emits and encode it
// back, so a key that one side renames fails them.

enum KernelProtocol {
  /// Sent by the kernel in its `ready` event. A kernel speaking another version is refused
  /// with both versions named, never half-understood.
  static let version = 3

  /// Refuses a kernel that speaks another version, naming both.
  static func accept(_ ready: KernelEvent.Ready, from script: String) throws(KernelError) {
    guard ready.proto != version else { return }
    throw KernelError(
      "noterun: the Python kernel (\(script)) speaks protocol version \(ready.proto ?? 1), this noterun "
        + "speaks version \(version): they come from different builds of noterun")
  }
}

/// A command noterun sends to the kernel.
enum KernelCommand: Encodable, Sendable {
  /// Sent once after the kernel starts (and again to a restarted kernel).
  case start(Start)
  /// Run one cell; the kernel answers with `stream` events then one `done`.
  case run(Run)
  /// The note has no more cells; the kernel answers `ended` with the tasks never finished.
  case end

  struct Start: Encodable, Sendable {
    /// Display path: `__file__`, `sys.argv[0]`, and the file of traceback frames.
    var file: String
    /// Absolute path; its folder goes first on `sys.path`, as for a script.
    var path: String
    /// The note's text, registered in `linecache` so tracebacks show its lines.
    var source: String
    /// Seed for `random`.
    var seed: Int

    enum CodingKeys: String, CodingKey { case file, path, source, seed }
  }

  struct Run: Encodable, Sendable {
    var cell: Int
    /// The code, by origin, so every line maps back to `file:line`.
    var segments: [WireSegment]
    var clock: WireClock
    var trace: Bool
    /// Virtual seconds a cell may advance before it stops with status `budget`.
    var budget: Double
    /// Trace events kept in full per cell; the rest are summarised.
    var traceLimit: Int
    /// The exception class the cell is expected to raise (`raises=`), and the pattern its
    /// message must contain (`match=`, `re.search`), checked by the kernel inside the cell's
    /// time limit.
    var raises: String?
    var match: String?

    enum CodingKeys: String, CodingKey {
      case cell, segments, clock, trace, budget, traceLimit, raises, match
    }
  }

  private enum CodingKeys: String, CodingKey { case op }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .start(let start):
      try container.encode("start", forKey: .op)
      try start.encode(to: encoder)
    case .run(let run):
      try container.encode("run", forKey: .op)
      try run.encode(to: encoder)
    case .end:
      try container.encode("end", forKey: .op)
    }
  }
}

/// An event the kernel sends.
enum KernelEvent: Encodable, Sendable, Equatable {
  case ready(Ready)
  case stream(Stream)
  case done(Done)
  case ended(Ended)

  struct Ready: Codable, Sendable, Equatable {
    /// `platform.python_version()`, e.g. "3.11.7".
    var python: String
    /// The kernel's `KernelProtocol.version`; absent from kernels older than version 2.
    var proto: Int?

    enum CodingKeys: String, CodingKey {
      case python
      case proto = "protocol"
    }
  }

  struct Stream: Codable, Sendable, Equatable {
    var cell: Int
    var name: WireStream
    var text: String
    /// Name of the asyncio task that wrote it; nil outside any task and in the cell's own
    /// top-level-await task: that is the cell's own code.
    var task: String?

    enum CodingKeys: String, CodingKey { case cell, name, text, task }
  }

  struct Done: Codable, Sendable, Equatable {
    var cell: Int
    var status: Status
    /// repr of the trailing expression, when the cell ends with one that is not None.
    var value: String?
    var error: WireError?
    /// Seconds on the cell's clock (virtual or real) from start to end.
    var clockSeconds: Double
    var trace: WireTrace?
    /// Bytes of output beyond the per-cell cap that were dropped.
    var droppedBytes: Int
    /// With `match=`: whether the raised exception's message matched; nil when not checked.
    var matched: Bool?
    /// With `match=`: why the pattern could not be used (not a valid regular expression).
    var matchError: String?

    enum CodingKeys: String, CodingKey {
      case cell, status, value, error, clockSeconds, trace, droppedBytes, matched, matchError
    }
  }

  struct Ended: Codable, Sendable, Equatable {
    /// Tasks still pending when the note ended: they never finished.
    var pending: [PendingTask]

    enum CodingKeys: String, CodingKey { case pending }
  }

  struct PendingTask: Codable, Sendable, Equatable {
    var name: String
    var coroutine: String
    /// What it was doing: waiting on something, or never started.
    var state: String
    /// `note.md:LINE` where it was suspended or created.
    var location: String?
    /// The index of the cell that created it.
    var cell: Int?

    enum CodingKeys: String, CodingKey {
      case name, coroutine, state, cell
      case location = "where"
    }
  }

  enum Status: String, Codable, Sendable {
    case ok
    case error
    /// KeyboardInterrupt while running: noterun's timeout interrupted the cell.
    case interrupted
    /// Nothing could run again and the cell had not finished.
    case deadlock
    /// The cell used up its virtual-time budget.
    case budget
  }

  fileprivate enum CodingKeys: String, CodingKey { case event }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .ready(let ready):
      try container.encode("ready", forKey: .event)
      try ready.encode(to: encoder)
    case .stream(let stream):
      try container.encode("stream", forKey: .event)
      try stream.encode(to: encoder)
    case .done(let done):
      try container.encode("done", forKey: .event)
      try done.encode(to: encoder)
    case .ended(let ended):
      try container.encode("ended", forKey: .event)
      try ended.encode(to: encoder)
    }
  }
}

/// One line from the kernel, decoded. A struct around the event because Swift 6.3 crashes
/// (a destroy of the never-initialised `self`) in an enum's `init(from:)` that assigns
/// `self` in a switch once the enum has this many payload cases.
struct KernelEventLine: Decodable {
  var event: KernelEvent

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: KernelEvent.CodingKeys.self)
    switch try container.decode(String.self, forKey: .event) {
    case "ready": event = .ready(try KernelEvent.Ready(from: decoder))
    case "stream": event = .stream(try KernelEvent.Stream(from: decoder))
    case "done": event = .done(try KernelEvent.Done(from: decoder))
    case "ended": event = .ended(try KernelEvent.Ended(from: decoder))
    case let other:
      throw DecodingError.dataCorruptedError(
        forKey: .event, in: container, debugDescription: "unknown kernel event \(other)")
    }
  }
}

enum WireClock: String, Codable, Sendable {
  case virtual
  case real
}

enum WireStream: String, Codable, Sendable {
  case stdout
  case stderr
}

/// Lines of code from one file: the note, or a file it includes.
struct WireSegment: Codable, Sendable, Equatable {
  var file: String
  var line: Int
  var text: String

  enum CodingKeys: String, CodingKey { case file, line, text }
}

/// An exception a cell raised.
struct WireError: Codable, Sendable, Equatable {
  var type: String
  var mro: [String]
  var message: String
  var traceback: String
  var file: String?
  var line: Int?

  enum CodingKeys: String, CodingKey { case type, mro, message, traceback, file, line }
}

/// A cell's suspension trace as the tracer (`_noterun_trace.py`) builds it.
struct WireTrace: Codable, Sendable, Equatable {
  var clock: WireClock
  var end: Double
  var tasks: [Task]
  var events: [Event]
  var omitted: Omitted?
  var waiting: [Waiting]
  var stop: Stop?

  enum CodingKeys: String, CodingKey { case clock, end, tasks, events, omitted, waiting, stop }

  struct Stop: Codable, Sendable, Equatable {
    var status: String
    var time: Double
    var event: Int?

    enum CodingKeys: String, CodingKey { case status, time, event }
  }

  struct Task: Codable, Sendable, Equatable {
    var id: Int
    var name: String
    var coroutine: String
    var parent: Int?
    var created: Double
    var origin: String?
    var end: End?
    var role: String?
    var carried: Carried?

    enum CodingKeys: String, CodingKey {
      case id, name, coroutine, parent, created, origin, end, role, carried
    }
  }

  struct Carried: Codable, Sendable, Equatable {
    var since: Double?
    var what: String
    var chain: [Frame]

    enum CodingKeys: String, CodingKey { case since, what, chain }
  }

  struct End: Codable, Sendable, Equatable {
    var time: Double
    var state: String
    var detail: String?

    enum CodingKeys: String, CodingKey { case time, state, detail }
  }

  struct Event: Codable, Sendable, Equatable {
    var time: Double
    var task: Int
    var kind: String
    var what: String?
    var chain: [Frame]?
    var text: String?
    var stream: WireStream?
    var seconds: Double?
    var origin: String?
    var ready: Double?
    var wake: Wake?
    var thrown: String?

    enum CodingKeys: String, CodingKey {
      case time, task, kind, what, chain, text, stream, seconds, origin, ready, wake, thrown
    }
  }

  struct Wake: Codable, Sendable, Equatable {
    var kind: String
    var by: Int?
    var at: String?
    var what: String?
    var step: Int?

    enum CodingKeys: String, CodingKey { case kind, by, at, what, step }
  }

  struct Frame: Codable, Sendable, Equatable {
    var function: String
    var origin: String
    var library: Bool?

    enum CodingKeys: String, CodingKey { case function, origin, library }
  }

  struct Omitted: Codable, Sendable, Equatable {
    var events: Int
    var sites: [Site]
    var tasks: Int?

    enum CodingKeys: String, CodingKey { case events, sites, tasks }
  }

  struct Site: Codable, Sendable, Equatable {
    var task: Int
    var what: String
    var count: Int

    enum CodingKeys: String, CodingKey { case task, what, count }
  }

  struct Waiting: Codable, Sendable, Equatable {
    var task: Int
    var what: String
    var chain: [Frame]
    var since: Double?

    enum CodingKeys: String, CodingKey { case task, what, chain, since }
  }
}
