// The protocol between noterun and its Python kernel: one JSON object per line, commands
// on the kernel's command pipe, events on its event pipe. Mirrored by
// `python/_noterun_protocol.py`; change both together.

/// A command noterun sends to the kernel.
enum KernelCommand: Encodable, Sendable {
  /// Sent once after the kernel starts (and again to a restarted kernel).
  case start(Start)
  /// Run one cell; the kernel answers with `stream` events then one `done`.
  case run(Run)

  struct Start: Encodable, Sendable {
    /// Display path: `__file__`, `sys.argv[0]`, and the file of traceback frames.
    var file: String
    /// Absolute path; its folder goes first on `sys.path`, as for a script.
    var path: String
    /// The note's text, registered in `linecache` so tracebacks show its lines.
    var source: String
    /// Seed for `random`.
    var seed: Int
  }

  struct Run: Encodable, Sendable {
    var cell: Int
    /// The code, by origin, so every line maps back to `file:line`.
    var segments: [SourceSegment]
    var clock: ClockMode
    var trace: Bool
    /// Virtual seconds a cell may advance before it stops with status `budget`.
    var budget: Double
    /// Trace events kept in full per cell; the rest are summarised.
    var traceLimit: Int
    /// The cell's `raises=` and `match=`: the kernel searches the pattern in the message of
    /// an exception of that class.
    var raises: String?
    var match: String?
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
    }
  }
}

/// An event the kernel sends.
enum KernelEvent: Decodable, Sendable {
  case ready(Ready)
  case stream(Stream)
  case done(Done)

  struct Ready: Decodable, Sendable {
    /// `platform.python_version()`, e.g. "3.11.7".
    var python: String
  }

  struct Stream: Decodable, Sendable {
    var cell: Int
    var name: OutputStream
    var text: String
    /// Name of the asyncio task that wrote it; nil outside any task and in the cell's own
    /// top-level-await task (`main`): that is the cell's own code.
    var task: String?
  }

  struct Done: Decodable, Sendable {
    var cell: Int
    var status: KernelStatus
    /// repr of the trailing expression, when the cell ends with one that is not None.
    var value: String?
    var error: CellError?
    /// Seconds on the cell's clock (virtual or real) from start to end.
    var clockSeconds: Double
    var trace: Trace?
    /// Bytes of output beyond the per-cell cap that were dropped.
    var droppedBytes: Int
    /// Whether `match` found something in the expected exception's message; nil when there
    /// was nothing to match.
    var matched: Bool?
    /// Why `match` could not be searched (Python refused the pattern).
    var matchError: String?
  }

  enum KernelStatus: String, Decodable, Sendable {
    case ok
    case error
    /// KeyboardInterrupt while running: noterun's timeout interrupted the cell.
    case interrupted
    /// Nothing could run again and the cell had not finished.
    case deadlock
    /// The cell used up its virtual-time budget.
    case budget
  }

  private enum CodingKeys: String, CodingKey { case event }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    switch try container.decode(String.self, forKey: .event) {
    case "ready": self = .ready(try Ready(from: decoder))
    case "stream": self = .stream(try Stream(from: decoder))
    case "done": self = .done(try Done(from: decoder))
    case let other:
      throw DecodingError.dataCorruptedError(
        forKey: .event, in: container, debugDescription: "unknown kernel event \(other)")
    }
  }
}
