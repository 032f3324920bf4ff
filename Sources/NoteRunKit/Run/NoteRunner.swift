import Foundation

/// Runs a note's cells top to bottom in one kernel, as a notebook would: a failing cell
/// does not stop the ones after it.
public struct NoteRunner: Sendable {
  public var settings: RunSettings

  public init(settings: RunSettings = RunSettings()) {
    self.settings = settings
  }

  /// One result per cell. A note without a runnable cell starts no kernel; when the kernel
  /// cannot start, every runnable cell is `kernelDied` with the reason, also in
  /// `NoteResult.kernelError`.
  public func run(_ note: Note) -> NoteResult {
    let began = ContinuousClock.now
    var kernel: Kernel?
    var kernelError: KernelError?
    if note.cells.contains(where: \.options.run) {
      do {
        let interpreter = try Interpreter.resolve(
          requested: settings.python, frontMatter: note.frontMatter.python,
          environment: settings.environment)
        let started = Kernel(
          interpreter: interpreter, note: note, seed: settings.seed(for: note),
          environment: settings.environment)
        try started.startIfNeeded()
        kernel = started
      } catch {
        kernelError = error
      }
    }
    let results = note.cells.map { cell in
      guard cell.options.run else { return CellResult(cell: cell.index, status: .notRun) }
      guard let kernel else {
        return CellResult(cell: cell.index, status: .kernelDied, message: kernelError?.message)
      }
      return kernel.run(
        cell, timeout: settings.timeout(for: cell, in: note), clock: settings.clock(for: cell, in: note),
        budget: settings.budget, traceLimit: settings.traceLimit)
    }
    kernel?.shutdown()
    return NoteResult(
      note: note, cells: results, python: kernel?.python,
      seconds: (ContinuousClock.now - began) / .seconds(1),
      kernelError: kernelError?.message)
  }
}
