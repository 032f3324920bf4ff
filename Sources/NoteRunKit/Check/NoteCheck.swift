/// A checked note: a verdict per cell, or the problem that kept the note from being
/// checked at all.
public struct NoteCheck: Sendable, Hashable {
  public var file: String
  public var cells: [CellCheck]
  /// Why the note could not be checked (unreadable, invalid, no kernel); counts as one
  /// failure.
  public var problem: NoteError?
  public var seconds: Double
  /// Tasks still pending when the note ended, at the line of the cell that created each:
  /// said in the report, not counted as failures (the note's examples did what they said).
  public var unfinished: [Unfinished]

  public init(
    file: String, cells: [CellCheck], problem: NoteError? = nil, seconds: Double,
    unfinished: [Unfinished] = []
  ) {
    self.file = file
    self.cells = cells
    self.problem = problem
    self.seconds = seconds
    self.unfinished = unfinished
  }

  /// A task left pending, at the line of the cell that created it.
  public struct Unfinished: Sendable, Hashable {
    public var line: Int
    public var task: UnfinishedTask
  }

  /// Judges every cell of a note that ran; a cell without a result counts as not run.
  public init(_ result: NoteResult) {
    let results = Dictionary(result.cells.map { ($0.cell, $0) }, uniquingKeysWith: { first, _ in first })
    let file = result.note.file
    self.init(
      file: file,
      cells: result.note.cells.map { cell in
        CellCheck(
          cell: cell, result: results[cell.index] ?? CellResult(cell: cell.index, status: .notRun), file: file
        )
      },
      seconds: result.seconds,
      unfinished: result.unfinishedTasksByCell.sorted { $0.key < $1.key }.flatMap { cell, tasks in
        tasks.map { Unfinished(line: result.note.cells[cell].line, task: $0) }
      })
  }

  /// A note that could not be checked.
  public init(problem: NoteError, seconds: Double = 0) {
    self.init(file: problem.file, cells: [], problem: problem, seconds: seconds)
  }

  public var counts: CheckCounts { CheckCounts([self]) }

  /// The failures in file order: the note's problem first, then failed cells.
  public var failures: [(cell: CellCheck?, verdict: CellVerdict)] {
    let problem = problem.map { (cell: CellCheck?.none, verdict: CellVerdict(problem: $0)) }
    return (problem.map { [$0] } ?? [])
      + cells.compactMap { check in check.verdict.failed ? (check, check.verdict) : nil }
  }
}

extension CellVerdict {
  /// The failure a note-level problem counts as.
  init(problem: NoteError) {
    self.init(reason: .noteProblem(problem.message), line: problem.line)
  }
}
