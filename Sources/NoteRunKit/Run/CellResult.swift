/// What running one cell produced.
public struct CellResult: Sendable, Hashable {
  public var cell: Int
  public var status: CellStatus
  /// stdout and stderr chunks in the order written.
  public var outputs: [OutputChunk]
  /// repr of the trailing expression, if any (Jupyter's Out[]).
  public var value: String?
  public var error: CellError?
  public var trace: Trace?
  /// The cell ran in a kernel restarted after an earlier cell killed or hung the last one.
  public var freshKernel: Bool
  /// Why the cell did not finish normally, for a human ("timed out after 30 s", …).
  public var message: String?
  /// Why a `notRun` cell was skipped when its options did not say `norun`
  /// ("requires Python >=3.11, this is 3.10.13").
  public var skipReason: String?
  /// Wall-clock seconds the cell took.
  public var seconds: Double
  /// Seconds on the cell's own clock (virtual unless `clock=real`).
  public var clockSeconds: Double
  public var droppedBytes: Int
  /// On the last cell that ran, which stands for the note's end: the tasks still pending
  /// when the note ended. Empty on every other cell.
  public var unfinishedTasks: [UnfinishedTask] = []

  public init(
    cell: Int, status: CellStatus, outputs: [OutputChunk] = [], value: String? = nil,
    error: CellError? = nil, trace: Trace? = nil, freshKernel: Bool = false, message: String? = nil,
    seconds: Double = 0, clockSeconds: Double = 0, droppedBytes: Int = 0
  ) {
    self.cell = cell
    self.status = status
    self.outputs = outputs
    self.value = value
    self.error = error
    self.trace = trace
    self.freshKernel = freshKernel
    self.message = message
    self.seconds = seconds
    self.clockSeconds = clockSeconds
    self.droppedBytes = droppedBytes
  }

  /// What an `output` block compares against: what a reader sees of the output in order,
  /// then of the value's repr, as a terminal shows it (colours removed, `\r` and `\b`
  /// overwriting), so expected output stays readable text.
  public var printed: String {
    var text = outputs.map(\.text).joined()
    if let value {
      if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
      text += value + "\n"
    }
    return TerminalScreen.readerText(text)
  }
}

public enum CellStatus: String, Sendable, Hashable {
  case ok
  /// Raised an exception it was not expected to raise (or not the expected one).
  case error
  /// Raised what its `raises=` option said.
  case expectedError = "expected-error"
  /// `raises=` was set but the cell finished without raising.
  case missingError = "missing-error"
  case notRun = "not-run"
  case timedOut = "timed-out"
  case kernelDied = "kernel-died"
  case deadlock
  case budget = "time-budget"
  /// Not run: an option of the cell is unknown or has a bad value.
  case invalidOptions = "invalid-options"
}

public enum OutputStream: String, Sendable, Hashable {
  case stdout
  case stderr
}

public struct OutputChunk: Sendable, Hashable {
  public var stream: OutputStream
  public var text: String
  /// The asyncio task that wrote it, when it was not the cell's own code.
  public var task: String?

  public init(stream: OutputStream, text: String, task: String? = nil) {
    self.stream = stream
    self.text = text
    self.task = task
  }
}

/// An exception raised by a cell.
public struct CellError: Sendable, Hashable {
  /// Class name, e.g. "NameError".
  public var type: String
  /// Names of the class and its bases, most derived first; `raises=` matches any.
  public var mro: [String]
  public var message: String
  /// The formatted traceback, frames reading `note.md:LINE`.
  public var traceback: String
  /// Where it was raised in the note (innermost frame in a note or included file).
  public var file: String?
  public var line: Int?

  public init(
    type: String, mro: [String], message: String, traceback: String, file: String?, line: Int?
  ) {
    self.type = type
    self.mro = mro
    self.message = message
    self.traceback = traceback
    self.file = file
    self.line = line
  }
}
