import Foundation
import Synchronization

/// What `noterun watch` does: renders the notes once, serves the output folder, and on each
/// save re-renders the notes that changed (or whose included files changed) and reloads the
/// pages open in a browser. Unchanged cells come from the cell cache, so a prose edit runs
/// nothing.
public final class PreviewSession: Sendable {
  public let paths: [String]
  /// Writes into the output folder; its layout follows the notes as they come and go.
  public let writer: SiteWriter
  private let roots: [URL]
  public let batch: NoteBatch
  private let server: PreviewServer
  private let log: @Sendable (String) -> Void
  private let state = Mutex(State())

  private struct State {
    var files: [NoteFile] = []
    /// By the note's standardized path.
    var outcomes: [String: NoteOutcome] = [:]
    var watcher: FileWatcher?
    /// Where the notes' pages are now.
    var layout: OutputLayout?
  }

  public init(
    paths: [String], output: URL, batch: NoteBatch, host: String = "127.0.0.1", port: UInt16 = 0,
    timings: Bool = false, log: @escaping @Sendable (String) -> Void
  ) {
    self.paths = paths
    self.roots = NoteFinder.roots(of: paths)
    self.writer = SiteWriter(
      layout: OutputLayout(output: output), renderer: PageRenderer(timings: timings),
      liveReloadScript: LiveReload.script)
    self.batch = batch
    self.server = PreviewServer(root: output.path, host: host, port: port, log: log)
    self.log = log
  }

  /// Starts the server and the watcher and renders everything; returns the URL to open.
  /// The server comes first, so a port in use fails before any kernel runs; pages already
  /// open are reloaded as the first render writes them.
  public func start() async throws -> String {
    let files = try NoteFinder.notes(in: paths)
    try OutputPlacement.check(output: writer.layout.output, notePaths: paths)
    try OutputPlacement.checkPages(
      of: files, in: OutputLayout(output: writer.layout.output, roots: roots, notes: files))
    try FileManager.default.createDirectory(at: writer.layout.output, withIntermediateDirectories: true)
    let port = try await server.start()
    // Watching starts before the first render, so a save made during it is not missed. The
    // output and the cell cache change on every render: they are not news.
    let ignored = [writer.layout.output.path] + [batch.runner.cache?.folder.path].compactMap { $0 }
    let watcher: FileWatcher
    do {
      watcher = try FileWatcher(
        folders: paths.filter(Self.isFolder), files: paths.filter { !Self.isFolder($0) }, ignoring: ignored)
    } catch {
      await server.stop()
      throw error
    }
    state.withLock { $0.watcher = watcher }
    let outcomes = await run(files)
    publish(Array(zip(files, outcomes)), all: files, removed: [])
    watcher.watch(files: includedFiles())
    let host = server.host.contains(":") ? "[\(server.host)]" : server.host
    return "http://\(host):\(port)/"
  }

  /// Re-renders on every batch of changes until `stop()`; returns once the last re-render is
  /// written.
  public func run() async {
    guard let watcher = state.withLock({ $0.watcher }) else { return }
    for await changed in watcher.changes {
      await rerender(changed: Set(changed))
    }
  }

  /// Stops watching and serving. A re-render under way finishes: `run()` returns after it.
  public func stop() async {
    state.withLock { $0.watcher }?.stop()
    await server.stop()
  }

  private func rerender(changed: Set<String>) async {
    let all: [NoteFile]
    do {
      all = try NoteFinder.notes(in: paths)
    } catch {
      log("✗ \(error)")
      return
    }
    let (known, previous) = state.withLock { state in
      (state.files.map { ($0, Self.key($0)) }, state.outcomes)
    }
    let includes = Self.includeMap(previous)
    let knownKeys = Set(known.map(\.1))
    let touchesFolder = changed.contains(where: Self.isFolder)
    var retried = Set<String>()
    let affected = all.filter { file in
      let key = Self.key(file)
      if touchesFolder || changed.contains(key) || !knownKeys.contains(key)
        || includes[key, default: []].contains(where: changed.contains)
      {
        return true
      }
      // A note that failed to parse may have failed for want of a file that just appeared
      // (an include): it is tried again on every change and shown only if its error changed.
      guard case .unreadable = previous[key] else { return false }
      retried.insert(key)
      return true
    }
    let current = Set(all.map(Self.key))
    let removed = known.filter { !current.contains($0.1) }.map(\.0)
    let outcomes = await run(affected)
    let changedOutcomes = zip(affected, outcomes).filter { file, outcome in
      guard retried.contains(Self.key(file)), case .unreadable(let error) = outcome,
        case .unreadable(let before) = previous[Self.key(file)]
      else { return true }
      return error != before
    }
    guard !changedOutcomes.isEmpty || !removed.isEmpty else { return }
    publish(changedOutcomes, all: all, removed: removed)
    state.withLock { $0.watcher }?.watch(files: includedFiles())
  }

  /// Parses and runs `files` on a thread of its own: kernels block.
  private func run(_ files: [NoteFile]) async -> [NoteOutcome] {
    guard !files.isEmpty else { return [] }
    let batch = self.batch
    return await withCheckedContinuation { continuation in
      Thread { continuation.resume(returning: batch.run(files)) }.start()
    }
  }

  /// Writes the pages of `outcomes` and reloads them, then removes the pages of `removed`
  /// notes, writes the index and reloads those: an open page need not wait for the index.
  /// A note that comes or goes can move another's page (`x.MD` beside `x.md`): a page that
  /// moved is written again from its last outcome and its old file removed.
  private func publish(_ fresh: [(NoteFile, NoteOutcome)], all: [NoteFile], removed: [NoteFile]) {
    var writer = self.writer
    writer.layout = OutputLayout(
      output: writer.layout.output, roots: roots, notes: all,
      keeping: SiteManifest.records(in: writer.layout.output))
    let (previousLayout, stored) = state.withLock { ($0.layout, $0.outcomes) }
    let freshKeys = Set(fresh.map { Self.key($0.0) })
    let moved = all.filter { file in
      guard let previousLayout, !freshKeys.contains(Self.key(file)), stored[Self.key(file)] != nil else {
        return false
      }
      return previousLayout.page(forNoteAt: file.url, root: file.root)
        != writer.layout.page(forNoteAt: file.url, root: file.root)
    }
    let outcomes = fresh + moved.compactMap { file in stored[Self.key(file)].map { (file, $0) } }
    var pages: [String] = []
    for (file, outcome) in outcomes {
      let began = ContinuousClock.now
      let check = outcome.check
      do {
        let page: URL
        switch outcome {
        case .ran(let result): page = try writer.write(result, check: check)
        case .unreadable(let error): page = try writer.write(problem: error, for: file)
        }
        pages.append(served(page))
      } catch {
        log("✗ \(error)")
      }
      log(Self.describe(outcome, check: check, writing: ContinuousClock.now - began))
    }
    if !pages.isEmpty { server.notifyReload(paths: pages) }
    var gone: [String] = []
    let livePages = Set(all.map { writer.layout.page(forNoteAt: $0.url, root: $0.root) })
    for file in removed + moved {
      guard let page = previousLayout?.page(forNoteAt: file.url, root: file.root), !livePages.contains(page),
        (try? OutputPlacement.requireInside(page, writer.layout.output)) != nil
      else { continue }
      try? FileManager.default.removeItem(at: page)
      gone.append(served(page))
    }
    for file in removed { log("− \(file.displayPath)  removed") }
    let current = state.withLock { state -> [(NoteFile, NoteOutcome)] in
      state.files = all
      state.layout = writer.layout
      for (file, outcome) in outcomes { state.outcomes[Self.key(file)] = outcome }
      let keep = Set(all.map(Self.key))
      state.outcomes = state.outcomes.filter { keep.contains($0.key) }
      return all.compactMap { file in state.outcomes[Self.key(file)].map { (file, $0) } }
    }
    do {
      try writer.writeIndex(current)
    } catch {
      log("✗ \(error)")
    }
    server.notifyReload(paths: gone + [served(writer.layout.index)])
  }

  /// A page's path below the output folder, as pages name themselves (`notes/my note.html`,
  /// not percent-encoded: the live-reload script compares decoded paths).
  private func served(_ page: URL) -> String {
    let output = writer.layout.output.standardizedFileURL.pathComponents
    return page.standardizedFileURL.pathComponents.dropFirst(output.count).joined(separator: "/")
  }

  private static func key(_ file: NoteFile) -> String {
    file.url.standardizedFileURL.path
  }

  /// Note → the files its cells include.
  private static func includeMap(_ outcomes: [String: NoteOutcome]) -> [String: Set<String>] {
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
    let map = state.withLock { Self.includeMap($0.outcomes) }
    return Array(Set(map.values.flatMap { $0 })).sorted()
  }

  private static func isFolder(_ path: String) -> Bool {
    var folder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
  }

  /// `↻ Notes/x.md  ran 3 of 8 cells (5 from cache)  8 passed  0.12 s`: the verdicts in
  /// `check`'s words.
  static func describe(_ outcome: NoteOutcome, check: NoteCheck, writing: Duration) -> String {
    switch outcome {
    case .unreadable(let error):
      return "✗ \(error)"
    case .ran(let result):
      let runnable = result.note.cells.filter(\.options.run).count
      let ran = max(0, runnable - result.cachedCells)
      let seconds = result.seconds + writing / .seconds(1)
      let counts = check.counts
      let mark = counts.failed == 0 && result.kernelError == nil ? "↻" : "✗"
      var line = "\(mark) \(result.note.file)  ran \(ran) of \(runnable) cells"
      if result.cachedCells > 0 && ran > 0 { line += " (\(result.cachedCells) from cache)" }
      if let kernelError = result.kernelError { line += "  \(kernelError)" }
      line += "  \(counts.tally)"
      return line + String(format: "  %.3f s", seconds)
    }
  }
}
