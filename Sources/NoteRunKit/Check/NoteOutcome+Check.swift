extension NoteOutcome {
  /// The note judged: its cells' verdicts, or the problem that kept it from running.
  public var check: NoteCheck {
    switch self {
    case .ran(let result): NoteCheck(result)
    case .unreadable(let error): NoteCheck(problem: error)
    }
  }
}
