import Foundation

/// Runs a note's cells top to bottom in one kernel, as a notebook would: a failing cell
/// does not stop the ones after it.
public struct NoteRunner: Sendable {
  public var settings: RunSettings
  /// Where results of unchanged cells are kept; nil runs everything.
  public var cache: CellCache?

  public init(settings: RunSettings = RunSettings(), cache: CellCache? = nil) {
    self.settings = settings
    self.cache = cache
  }

  /// One result per cell. A note without a runnable cell starts no kernel, nor does a note
  /// whose every cell is cached. When cell k is not cached, a fresh kernel replays the
  /// cells before it (their cached results are kept) and runs k and the rest: state built
  /// by earlier cells is never guessed. When the kernel cannot start, every runnable cell
  /// is `kernelDied` with the reason, also in `NoteResult.kernelError`.
  public func run(_ note: Note) -> NoteResult {
    let began = ContinuousClock.now
    func finish(_ cells: [CellResult], python: String?, error: String? = nil, cached: Int = 0) -> NoteResult {
      NoteResult(
        note: note, cells: cells, python: python, seconds: (ContinuousClock.now - began) / .seconds(1),
        kernelError: error, cachedCells: cached)
    }
    let notRun = note.cells.map(Self.notRun)
    guard note.cells.contains(where: \.runs) else { return finish(notRun, python: nil) }

    let interpreter: Interpreter
    do {
      interpreter = try Interpreter.resolve(
        requested: settings.python, frontMatter: note.frontMatter.python, environment: settings.environment)
    } catch {
      return failed(note, error.message, finish)
    }
    let skipped = note.cells.map { cell -> CellResult in
      var result = notRun[cell.index]
      result.skipReason = cell.runs ? Self.skipReason(cell, note, python: interpreter.version) : nil
      return result
    }
    let runs = note.cells.filter { $0.runs && skipped[$0.index].skipReason == nil }.map(\.index)
    guard !runs.isEmpty else { return finish(skipped, python: interpreter.version) }
    let keys = cache.map { _ in
      CellCache.keys(for: note, environment: environment(interpreter, note), last: runs.last)
    }
    let cached = note.cells.map { cell -> CellResult? in
      guard runs.contains(cell.index) else { return skipped[cell.index] }
      guard let cache, let keys else { return nil }
      return cache.result(for: keys[cell.index], in: note, cell: cell.index)
    }
    guard let firstMiss = cached.firstIndex(where: { $0 == nil }) else {
      return finish(cached.map { $0! }, python: interpreter.version, cached: runs.count)
    }

    let kernel = Kernel(
      interpreter: interpreter, note: note, seed: settings.seed(for: note), environment: settings.environment,
      launch: settings.kernelLaunch)
    do {
      try kernel.startIfNeeded()
    } catch {
      return failed(note, error.message, finish)
    }
    var results = note.cells.map { cell -> CellResult in
      guard runs.contains(cell.index) else { return skipped[cell.index] }
      let result = kernel.run(
        cell, timeout: settings.timeout(for: cell, in: note), clock: settings.clock(for: cell, in: note),
        budget: settings.budget, traceLimit: settings.traceLimit)
      if cell.index < firstMiss, let replayed = cached[cell.index] { return replayed }
      if let cache, let keys, Self.isReproducible(result), cell.index != runs.last {
        cache.store(result, for: keys[cell.index], in: note, cell: cell.index)
      }
      return result
    }
    if let last = runs.last {
      results[last].unfinishedTasks = kernel.unfinishedTasks()
      if let cache, let keys, Self.isReproducible(results[last]) {
        cache.store(results[last], for: keys[last], in: note, cell: last)
      }
    }
    // Said on the last cell that ran: which cell started a stray is not known.
    if let notice = kernel.shutdown(), let last = runs.max() {
      results[last].message = results[last].message.map { $0 + "; " + notice } ?? notice
    }
    return finish(results, python: kernel.python, cached: runs.count { $0 < firstMiss })
  }

  /// Why a cell is skipped under the Python `python` ("3.10.13"): the note's or the cell's
  /// `requires-python` does not admit it. nil when the cell runs.
  static func skipReason(_ cell: Cell, _ note: Note, python: String) -> String? {
    let requirements = [note.frontMatter.requiresPython, cell.options.requiresPython].compactMap { $0 }
    guard let unmet = requirements.first(where: { !$0.isSatisfied(by: python) }) else { return nil }
    return "requires Python \(unmet), this is \(python)"
  }

  /// Starts the warm parent of forked kernels for the interpreter that notes without a
  /// `python:` of their own use, so its start overlaps reading and parsing the notes.
  public func warmUp() {
    guard settings.kernelLaunch == .forked,
      let interpreter = try? Interpreter.resolve(
        requested: settings.python, frontMatter: nil, environment: settings.environment)
    else { return }
    Kernel.warmUp(interpreter, environment: settings.environment)
  }

  private func failed(
    _ note: Note, _ message: String, _ finish: ([CellResult], String?, String?, Int) -> NoteResult
  ) -> NoteResult {
    let cells = note.cells.map { cell in
      cell.runs ? CellResult(cell: cell.index, status: .kernelDied, message: message) : Self.notRun(cell)
    }
    return finish(cells, nil, message, 0)
  }

  /// The result of a cell the kernel does not run: `norun`, or options it cannot have.
  private static func notRun(_ cell: Cell) -> CellResult {
    guard let problem = cell.optionError else { return CellResult(cell: cell.index, status: .notRun) }
    return CellResult(cell: cell.index, status: .invalidOptions, message: problem.description)
  }

  /// Everything outside the cells that changes what they do.
  private func environment(_ interpreter: Interpreter, _ note: Note) -> String {
    let clock = settings.clock ?? note.frontMatter.clock ?? RunSettings.defaultClock
    let timeout = settings.timeout ?? note.frontMatter.timeout ?? RunSettings.defaultTimeout
    return "python \(interpreter.executable) \(interpreter.version) seed \(settings.seed(for: note)) "
      + "clock \(clock.rawValue) timeout \(timeout) budget \(settings.budget) traceLimit \(settings.traceLimit)"
  }

  /// Results that say more about the machine than about the code (a timeout under load, a
  /// kernel killed or restarted) are not kept.
  private static func isReproducible(_ result: CellResult) -> Bool {
    !result.freshKernel && result.status != .timedOut && result.status != .kernelDied
  }
}
