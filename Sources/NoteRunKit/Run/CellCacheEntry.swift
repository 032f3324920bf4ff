/// One cached cell result as stored on disk: its own schema, apart from `CellResult`, so a
/// renamed Swift property cannot silently change the format. The error and trace are
/// stored as the kernel sent them (its wire types). An entry of another `schema` is a
/// miss, never an error.
struct CellCacheEntry: Codable {
  /// Bump when the stored shape changes (kernel protocol changes included).
  static let schema = 100 + KernelProtocol.version

  var schema: Int
  /// The full key text; the entry stands only for exactly this key.
  var key: String
  /// Code lines of the cells up to this one when it ran, to move `file:line` references.
  var codeLines: [Int]
  var result: Result

  enum CodingKeys: String, CodingKey { case schema, key, codeLines, result }

  struct Result: Codable {
    var status: String
    var outputs: [Output]
    var value: String?
    var error: WireError?
    var trace: WireTrace?
    var freshKernel: Bool
    var message: String?
    var seconds: Double
    var clockSeconds: Double
    var droppedBytes: Int
    var unfinished: [KernelEvent.PendingTask]

    enum CodingKeys: String, CodingKey {
      case status, outputs, value, error, trace, freshKernel, message, seconds, clockSeconds, droppedBytes
      case unfinished
    }
  }

  struct Output: Codable {
    var stream: WireStream
    var text: String
    var task: String?

    enum CodingKeys: String, CodingKey { case stream, text, task }
  }

  init(key: String, codeLines: [Int], result: CellResult) {
    self.schema = Self.schema
    self.key = key
    self.codeLines = codeLines
    self.result = Result(
      status: result.status.rawValue,
      outputs: result.outputs.map { Output(stream: WireStream($0.stream), text: $0.text, task: $0.task) },
      value: result.value, error: result.error.map(WireError.init), trace: result.trace.map(WireTrace.init),
      freshKernel: result.freshKernel, message: result.message, seconds: result.seconds,
      clockSeconds: result.clockSeconds, droppedBytes: result.droppedBytes,
      unfinished: result.unfinishedTasks.map(KernelEvent.PendingTask.init))
  }

  /// The stored result for cell `cell`; nil when it holds something this noterun cannot show.
  func cellResult(cell: Int) -> CellResult? {
    guard let status = CellStatus(rawValue: result.status),
      result.seconds.isFinite, result.clockSeconds.isFinite, result.droppedBytes >= 0
    else { return nil }
    var trace: Trace?
    if let wire = result.trace {
      guard let decoded = try? wire.domain() else { return nil }
      trace = decoded
    }
    let unfinished = result.unfinished.compactMap(\.domain)
    guard unfinished.count == result.unfinished.count else { return nil }
    var cellResult = CellResult(
      cell: cell, status: status,
      outputs: result.outputs.map { OutputChunk(stream: $0.stream.domain, text: $0.text, task: $0.task) },
      value: result.value, error: result.error?.domain, trace: trace, freshKernel: result.freshKernel,
      message: result.message, seconds: result.seconds, clockSeconds: result.clockSeconds,
      droppedBytes: result.droppedBytes)
    cellResult.unfinishedTasks = unfinished
    return cellResult
  }
}
