import Foundation

/// A note and what running it produced: what renderers and checkers consume.
public struct NoteResult: Sendable {
  public var note: Note
  /// One result per cell of `note.cells`, in order.
  public var cells: [CellResult]
  /// The Python version that ran the note ("3.11.7"), nil when no cell ran.
  public var python: String?
  /// Wall-clock seconds for the whole note.
  public var seconds: Double
  /// Why no kernel could run the note (no suitable Python, or it would not start).
  public var kernelError: String?
  /// How many of the first cells were taken from the cell cache instead of being run.
  public var cachedCells: Int

  public init(
    note: Note, cells: [CellResult], python: String?, seconds: Double, kernelError: String? = nil,
    cachedCells: Int = 0
  ) {
    self.note = note
    self.cells = cells
    self.python = python
    self.seconds = seconds
    self.kernelError = kernelError
    self.cachedCells = cachedCells
  }
}

extension NoteResult {
  /// The tasks left pending when the note ended, each by the cell that created it (the last
  /// cell that ran when that cell is not known).
  public var unfinishedTasksByCell: [Int: [UnfinishedTask]] {
    let tasks = cells.flatMap(\.unfinishedTasks)
    guard let last = cells.last(where: { !$0.unfinishedTasks.isEmpty })?.cell else { return [:] }
    let cellIndices = Set(note.cells.map(\.index))
    return Dictionary(grouping: tasks) { task in
      task.cell.flatMap { cellIndices.contains($0) ? $0 : nil } ?? last
    }
  }
}
