import Foundation
import Testing

@testable import NoteRunKit

/// The kernel's protocol held against a real kernel: every line it sends must decode into
/// the wire types and encode back to the same JSON, so a key renamed or dropped on either
/// side (a Swift property, a Python dict key) fails here rather than in a user's run.
@Suite struct KernelContractTests {
  /// Cells that make the kernel use every event and every field of the protocol.
  static let cells = [
    "print('out')\nimport sys\nprint('err', file=sys.stderr)\n1 + 1",
    "def f():\n    raise ValueError('bad')\nf()",
    """
    import asyncio, time
    async def worker(n):
        print(f'worker {n}')
        if n == 2:
            time.sleep(0.15)
        await asyncio.sleep(n)
        return n
    async def failing():
        raise KeyError('k')
    t = asyncio.create_task(failing(), name='failing')
    await asyncio.gather(*(asyncio.create_task(worker(n), name=f'w{n}') for n in (1, 2)))
    """,
    "for _ in range(40):\n    await asyncio.sleep(0)",
    "await asyncio.Event().wait()",
    "while True:\n    await asyncio.sleep(1)",
  ]

  @Test func everyLineTheKernelSendsRoundTripsThroughTheWireTypes() throws {
    let kernel = try RawKernel(folder: Self.kernelFolder())
    var lines = [try kernel.start()]
    for (index, code) in Self.cells.enumerated() {
      lines += try kernel.run(cell: index, code: code, budget: 5, traceLimit: index == 3 ? 20 : 5000)
    }
    lines += try kernel.run(
      cell: Self.cells.count, code: "raise KeyError('gone away')", budget: 5, traceLimit: 5000,
      raises: "KeyError", match: "gone")
    lines += try kernel.run(
      cell: Self.cells.count + 1, code: "lingering = asyncio.create_task(asyncio.sleep(9))", budget: 5,
      traceLimit: 5000)
    lines.append(try kernel.end())
    var seen: Set<String> = []
    for line in lines {
      let event = try JSONDecoder().decode(KernelEventLine.self, from: Data(line.utf8)).event
      let back = try JSONEncoder().encode(event)
      #expect(try Self.normalized(Data(line.utf8)) == Self.normalized(back), "\(line.prefix(300))")
      seen.formUnion(Self.describe(event).split(separator: "|").map(String.init))
    }
    // The cells above must keep exercising what this test is about.
    #expect(
      seen.isSuperset(of: [
        "ready", "stream stdout", "stream stderr", "done ok value", "done error", "done trace omitted",
        "done trace waiting", "done deadlock", "done budget", "trace create", "trace suspend", "trace resume",
        "trace print", "trace block", "trace end", "matched", "ended pending",
      ]), "\(seen.sorted())")
  }

  @Test func aKernelOfAnotherVersionIsRefusedNamingBoth() throws {
    let folder = try Self.kernelFolder()
    let protocolFile = folder.appendingPathComponent("_noterun_protocol.py")
    let source = try String(contentsOf: protocolFile, encoding: .utf8)
    let older = source.replacingOccurrences(
      of: "VERSION = \(KernelProtocol.version)\n", with: "VERSION = \(KernelProtocol.version - 1)\n")
    #expect(older != source)
    try older.write(to: protocolFile, atomically: true, encoding: .utf8)
    let line = try RawKernel(folder: folder).start()
    guard case .ready(let ready) = try JSONDecoder().decode(KernelEventLine.self, from: Data(line.utf8)).event
    else {
      Issue.record("expected a ready event, got \(line)")
      return
    }
    #expect(throws: KernelError.self) { try KernelProtocol.accept(ready, from: "k.py") }
    do {
      try KernelProtocol.accept(ready, from: "k.py")
    } catch {
      #expect(
        error.message
          == "noterun: the Python kernel (k.py) speaks protocol version \(KernelProtocol.version - 1), this "
          + "noterun speaks version \(KernelProtocol.version): they come from different builds of noterun")
      #expect(!error.message.contains("\n"))
    }
  }

  @Test func anUnreadableLineIsReportedWithTheReasonAndTheLine() {
    let line = Array(#"{"event":"done","cell":0,"status":"ok","clockSeconds":0,"droppedBytes":"x"}"#.utf8)
    var reason = ""
    do {
      _ = try JSONDecoder().decode(KernelEventLine.self, from: Data(line))
    } catch {
      reason = KernelProcess.describe(error)
    }
    #expect(reason.hasPrefix("droppedBytes: "))
    let long = Array(repeating: UInt8(ascii: "x"), count: 1000)
    #expect(KernelProcess.excerpt(long[...]) == String(repeating: "x", count: 200) + "… (1000 bytes)")
  }

  @Test func theCacheKeepsItsOwnSchemaAndMissesOnAnyOther() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-cache-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let note = try kernelTestNote(["print('hi')"])
    let cache = CellCache(folder: folder)
    let key = CellCache.keys(for: note, environment: "test", last: nil)[0]
    let result = CellResult(cell: 0, status: .ok, outputs: [OutputChunk(stream: .stdout, text: "hi\n")])
    cache.store(result, for: key, in: note, cell: 0)
    #expect(cache.result(for: key, in: note, cell: 0) == result)

    let entries = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
    let file = try #require(entries.compactMap { $0 as? URL }.first { $0.pathExtension == "json" })
    let stored = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    #expect(stored["schema"] as? Int == CellCacheEntry.schema)
    for foreign in [
      ["schema": CellCacheEntry.schema - 1], ["schema": "1"], ["result": ["status": "exploded"]],
      ["result": ["trace": ["clock": "sundial"]]],
    ] as [[String: Any]] {
      let changed = stored.merging(foreign) { _, new in new }
      try JSONSerialization.data(withJSONObject: changed).write(to: file)
      #expect(cache.result(for: key, in: note, cell: 0) == nil)
    }
    try Data("not json".utf8).write(to: file)
    #expect(cache.result(for: key, in: note, cell: 0) == nil)
  }

  /// A private copy of the kernel's Python files.
  static func kernelFolder() throws -> URL {
    let source = URL(fileURLWithPath: try KernelFiles.script()).deletingLastPathComponent()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "noterun-kernel-copy-\(UUID())")
    try FileManager.default.copyItem(at: source, to: folder)
    return folder
  }

  /// A JSON object with its null members removed: Python sends `"value": null` where Swift
  /// leaves the key out.
  static func normalized(_ data: Data) throws -> NSDictionary {
    func strip(_ value: Any) -> Any {
      if let object = value as? [String: Any] {
        return object.filter { !($0.value is NSNull) }.mapValues(strip)
      }
      if let array = value as? [Any] { return array.map(strip) }
      return value
    }
    return try #require(strip(JSONSerialization.jsonObject(with: data)) as? NSDictionary)
  }

  /// What an event exercises, names joined by "|".
  static func describe(_ event: KernelEvent) -> String {
    switch event {
    case .ready: return "ready"
    case .stream(let stream): return "stream \(stream.name.rawValue)"
    case .ended(let ended): return ended.pending.isEmpty ? "ended" : "ended pending"
    case .done(let done):
      var parts = ["done \(done.status.rawValue)"]
      if done.value != nil { parts[0] += " value" }
      if done.matched == true { parts.append("matched") }
      if let trace = done.trace {
        if trace.omitted != nil { parts.append("done trace omitted") }
        if !trace.waiting.isEmpty { parts.append("done trace waiting") }
        parts += trace.events.map { "trace \($0.kind)" }
      }
      return parts.joined(separator: "|")
    }
  }
}

/// The kernel started by hand, with its pipes read line by line as raw text.
private final class RawKernel {
  let process = Process()
  let commands = Pipe()
  let events = Pipe()
  private var pending = Data()

  init(folder: URL) throws {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-B", "-u", folder.appendingPathComponent("_noterun_kernel.py").path]
    var environment = ProcessInfo.processInfo.environment
    environment["PYTHONHASHSEED"] = "0"
    environment["TZ"] = "UTC"
    process.environment = environment
    process.standardInput = commands
    process.standardOutput = events
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  deinit {
    try? commands.fileHandleForWriting.close()
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }

  func start() throws -> String {
    let folder = FileManager.default.temporaryDirectory
    try send(
      .start(.init(file: "x.md", path: folder.appendingPathComponent("x.md").path, source: "", seed: 0)))
    return try line()
  }

  /// The lines the kernel sends for one cell, its `done` last.
  func run(
    cell: Int, code: String, budget: Double, traceLimit: Int, raises: String? = nil, match: String? = nil
  ) throws -> [String] {
    let segment = WireSegment(file: "x.md", line: 1, text: code.hasSuffix("\n") ? code : code + "\n")
    try send(
      .run(
        .init(
          cell: cell, segments: [segment], clock: .virtual, trace: true, budget: budget,
          traceLimit: traceLimit,
          raises: raises, match: match)))
    var lines: [String] = []
    while true {
      let line = try line()
      lines.append(line)
      if line.contains(#""event":"done""#) { return lines }
    }
  }

  /// The kernel's answer to the end of the note.
  func end() throws -> String {
    try send(.end)
    return try line()
  }

  private func send(_ command: KernelCommand) throws {
    try commands.fileHandleForWriting.write(contentsOf: JSONEncoder().encode(command) + Data("\n".utf8))
  }

  private func line() throws -> String {
    while true {
      if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
        let line = pending[pending.startIndex..<newline]
        pending = Data(pending[(newline + 1)...])
        return String(decoding: line, as: UTF8.self)
      }
      let chunk = events.fileHandleForReading.availableData
      guard !chunk.isEmpty else { throw KernelError("the kernel closed its event pipe") }
      pending += chunk
    }
  }
}
