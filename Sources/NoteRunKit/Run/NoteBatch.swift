import Foundation

/// A note found on disk and what became of it.
public enum NoteOutcome: Sendable {
  case ran(NoteResult)
  /// The note could not be read or parsed.
  case unreadable(NoteError)

  public var file: String {
    switch self {
    case .ran(let result): result.note.file
    case .unreadable(let error): error.file
    }
  }
}

/// Parses and runs many notes, `jobs` at a time; one kernel per note, so a note that kills
/// its kernel affects no other.
public struct NoteBatch: Sendable {
  public var runner: NoteRunner
  /// `--default-language`: untagged fences are cells when it is python.
  public var defaultLanguage: String?
  public var jobs: Int

  public init(runner: NoteRunner, defaultLanguage: String? = nil, jobs: Int) {
    self.runner = runner
    self.defaultLanguage = defaultLanguage
    self.jobs = jobs
  }

  /// Outcomes in the order of `files`; `onEach` sees each, with its index in `files`, as
  /// it finishes.
  public func run(
    _ files: [NoteFile], onEach: @escaping @Sendable (Int, NoteOutcome) -> Void = { _, _ in }
  ) -> [NoteOutcome] {
    runner.warmUp()
    return files.parallelMap(jobs: jobs, { run($0) }, onEach: onEach)
  }

  public func run(_ file: NoteFile) -> NoteOutcome {
    do {
      let note = try NoteParser.parse(
        file: file.url, root: file.root, displayPath: file.displayPath, defaultLanguage: defaultLanguage)
      return .ran(runner.run(note))
    } catch {
      return .unreadable(error)
    }
  }
}
