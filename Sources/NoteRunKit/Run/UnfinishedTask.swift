/// A task a cell started that was still pending on the note's loop when the note ended: it
/// never finished. A script's `asyncio.run` would cancel it silently; the page says so.
public struct UnfinishedTask: Sendable, Hashable {
  /// Python's name for it (`Task-3`, or the `name=` it was given).
  public var name: String
  /// Its coroutine's qualified name.
  public var coroutine: String
  /// It ran and is suspended; false: it was created and never ran.
  public var started: Bool
  /// `file:LINE` where its innermost code of the note waits, when it started.
  public var location: String?
  /// The index of the cell that created it.
  public var cell: Int?

  public init(name: String, coroutine: String, started: Bool, location: String? = nil, cell: Int? = nil) {
    self.name = name
    self.coroutine = coroutine
    self.started = started
    self.location = location
    self.cell = cell
  }

  /// "task 'waiter' (forever) is still waiting at note.md:12"
  public var description: String {
    let what = "task '\(name)' (\(coroutine))"
    guard started else { return "\(what) never started" }
    return location.map { "\(what) is still waiting at \($0)" } ?? "\(what) is still waiting"
  }
}
