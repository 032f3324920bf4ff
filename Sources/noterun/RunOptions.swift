import ArgumentParser
import Foundation
import NoteRunKit

/// How notes are found and run: shared by every verb that runs notes.
struct RunOptions: ParsableArguments {
  // Each default is printed once in --help: by ArgumentParser for a default value, in
  // the help text for an optional whose default is decided later.
  @Option(
    name: [.customShort("j", allowingJoined: true), .long],
    help: "Notes run in parallel (default: the number of cores).")
  var jobs: Int?

  @Option(help: "The Python interpreter (default: NOTERUN_PYTHON, front matter python:, python3).")
  var python: String?

  @Option(help: "Language of fences without an info string (python makes them cells).")
  var defaultLanguage: String?

  @Option(help: "Clock for cells: virtual or real (default: front matter clock:, virtual).")
  var clock: ClockMode?

  @Option(help: "Wall-clock seconds a cell may run (default: front matter timeout:, 30).")
  var timeout: Double?

  @Option(help: "Virtual seconds a cell may advance before it stops.")
  var timeBudget: Double = 3600

  @Option(help: "Folder of the cell cache, shared by render, check and watch.")
  var cacheDir: String = ".noterun-cache"

  @Flag(help: "Run every cell; neither read nor write the cell cache.")
  var noCache = false

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    // NaN passes `<= 0` and infinity or 1e308 overflow the kernel's nanoseconds: every
    // number is held to a finite, positive range here, at the edge.
    if let timeout, !RunSettings.timeoutRange.contains(timeout) {
      throw ValidationError(
        "--timeout must be a number of seconds above 0 and at most \(RunSettings.timeoutRange.upperBound)")
    }
    guard RunSettings.budgetRange.contains(timeBudget) else {
      throw ValidationError(
        "--time-budget must be a number of seconds above 0 and at most \(RunSettings.budgetRange.upperBound)")
    }
  }

  var runner: NoteRunner {
    NoteRunner(
      settings: RunSettings(python: python, timeout: timeout, clock: clock, budget: timeBudget),
      cache: noCache ? nil : CellCache(folder: URL(fileURLWithPath: cacheDir)))
  }

  var batch: NoteBatch {
    NoteBatch(
      runner: runner, defaultLanguage: defaultLanguage,
      jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
  }

  /// Fails with one line, before any note runs, when the interpreter every note would use
  /// (`--python` or NOTERUN_PYTHON, which override front matter) cannot be used.
  func requireInterpreter() throws {
    let environment = ProcessInfo.processInfo.environment
    guard python != nil || !(environment["NOTERUN_PYTHON"] ?? "").isEmpty else { return }
    do {
      _ = try Interpreter.resolve(requested: python, frontMatter: nil, environment: environment)
    } catch {
      Terminal.error(error.message)
      throw ExitCode(2)
    }
  }

  /// The notes under `paths`; a path that does not exist is a usage error.
  func noteFiles(_ paths: [String]) throws -> [NoteFile] {
    do {
      return try NoteFinder.notes(in: paths)
    } catch {
      Terminal.error(error.description)
      throw ExitCode(2)
    }
  }

  /// Refuses an output folder that overlaps the notes, before anything is written.
  func requireOutsideNotes(_ output: String, _ paths: [String]) throws {
    do {
      try OutputPlacement.check(output: URL(fileURLWithPath: output), notePaths: paths)
    } catch {
      Terminal.error(error.description)
      throw ExitCode(2)
    }
  }
}

extension ClockMode: ExpressibleByArgument {}
extension TraceExport.Format: ExpressibleByArgument {}
