import Foundation
import Synchronization

/// What `noterun watch` does: renders the notes once, serves the output folder, and on each
/// save re-renders the notes that changed (or whose included files changed) and reloads the
/// pages open in a browser. Unchanged cells come from the cell cache, so a prose edit runs
/// nothing.
public final class PreviewSession: Sendable {
  public let paths: [String]
  public let writer: SiteWriter
  public let batch: NoteBatch
  private let server: PreviewServer
  private let log: @Sendable (String) -> Void
  private let state = Mutex(State())

  private struct State {
    var files: [NoteFile] = []
    var outcomes: [String: NoteOutcome] = [:]
    var watcher: FileWatcher?
  }

  public init(
    paths: [String], output: URL, batch: NoteBatch, host: String = "127.0.0.1", port: UInt16 = 0,
    log: @escaping @Sendable (String) -> Void
  ) {
    self.paths = paths
    self.writer = SiteWriter(layout: OutputLayout(output: output), liveReloadScript: LiveReload.script)
    self.batch = batch
    self.server = PreviewServer(root: output.path, host: host, port: port)
    self.log = log
  }

  /// Renders everything, starts the server and the watcher; returns the URL to open.
  public func start() async throws -> String {
    let files = try NoteFinder.notes(in: paths)
    try FileManager.default.createDirectory(at: writer.layout.output, withIntermediateDirectories: true)
    await render(files, all: files)
    let port = try await server.start()
    let folders = paths.filter { isFolder($0) }
    let singleFiles = paths.filter { !isFolder($0) }
    let watcher = try FileWatcher(
      folders: folders, files: singleFiles + includedFiles(), ignoring: [writer.layout.output.path])
    state.withLock { $0.watcher = watcher }
    return "http://\(server.host):\(port)/"
  }

  /// Re-renders on every batch of changes until `stop()`.
  public func run() async {
    guard let watcher = state.withLock({ $0.watcher }) else { return }
    for await changed in watcher.changes {
      await rerender(changed: Set(changed))
    }
  }

  public func stop() async {
    state.withLock { $0.watcher }?.stop()
    await server.stop()
  }

  private func rerender(changed: Set<String>) async {
    guard let all = try? NoteFinder.notes(in: paths) else { return }
    let (known, includes) = state.withLock { state in
      (Set(state.files.map(\.url.standardizedFileURL.path)), includeMap(state.outcomes))
    }
    let touchesFolder = changed.contains { isFolder($0) }
    let affected = all.filter { file in
      let path = file.url.standardizedFileURL.path
      return touchesFolder || changed.contains(path) || !known.contains(path)
        || includes[path, default: []].contains(where: changed.contains)
    }
    let removed = known.subtracting(all.map(\.url.standardizedFileURL.path))
    guard !affected.isEmpty || !removed.isEmpty else { return }
    await render(affected, all: all)
    state.withLock { $0.watcher }?.watch(files: includedFiles())
  }

  /// Runs `files` on threads of their own (kernels block), writes their pages and the index,
  /// and tells open pages to reload.
  private func render(_ files: [NoteFile], all: [NoteFile]) async {
    let batch = self.batch
    let outcomes = await withCheckedContinuation { continuation in
      Thread { continuation.resume(returning: batch.run(files)) }.start()
    }
    var pages: [String] = []
    for (file, outcome) in zip(files, outcomes) {
      let began = ContinuousClock.now
      do {
        let page: URL
        switch outcome {
        case .ran(let result): page = try writer.write(result)
        case .unreadable(let error): page = try writer.write(problem: error, for: file)
        }
        pages.append(OutputLayout.href(from: writer.layout.index, to: page))
      } catch {
        log("✗ \(error)")
      }
      log(Self.describe(outcome, writing: ContinuousClock.now - began))
    }
    let current = state.withLock { state -> [NoteOutcome] in
      let keep = Set(all.map(\.url.standardizedFileURL.path))
      state.files = all
      for (file, outcome) in zip(files, outcomes) {
        state.outcomes[file.url.standardizedFileURL.path] = outcome
      }
      state.outcomes = state.outcomes.filter { keep.contains($0.key) }
      return all.compactMap { state.outcomes[$0.url.standardizedFileURL.path] }
    }
    do {
      try writer.writeIndex(current)
    } catch {
      log("✗ \(error)")
    }
    server.notifyReload(paths: pages + ["index.html"])
  }

  /// Included file → the notes that include it.
  private func includeMap(_ outcomes: [String: NoteOutcome]) -> [String: Set<String>] {
    var map: [String: Set<String>] = [:]
    for (notePath, outcome) in outcomes {
      guard case .ran(let result) = outcome else { continue }
      for url in result.note.cells.flatMap(\.includes) {
        map[notePath, default: []].insert(url.standardizedFileURL.path)
      }
    }
    return map
  }

  private func includedFiles() -> [String] {
    let map = state.withLock { includeMap($0.outcomes) }
    return Array(Set(map.values.flatMap { $0 })).sorted()
  }

  private func isFolder(_ path: String) -> Bool {
    var folder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
  }

  /// `↻ Notes/x.md  ran 3 of 8 cells (5 from cache)  0.12 s`
  static func describe(_ outcome: NoteOutcome, writing: Duration) -> String {
    switch outcome {
    case .unreadable(let error):
      return "✗ \(error)"
    case .ran(let result):
      let runnable = result.note.cells.filter(\.options.run).count
      let ran = max(0, runnable - result.cachedCells)
      let seconds = result.seconds + writing / .seconds(1)
      let mark = result.failures.isEmpty && result.kernelError == nil ? "↻" : "✗"
      var line = "\(mark) \(result.note.file)  ran \(ran) of \(runnable) cells"
      if result.cachedCells > 0 && ran > 0 { line += " (\(result.cachedCells) from cache)" }
      if let kernelError = result.kernelError { line += "  \(kernelError)" }
      if !result.failures.isEmpty { line += "  \(result.failures.count) failed" }
      return line + String(format: "  %.3f s", seconds)
    }
  }
}
