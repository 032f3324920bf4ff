extension CellStatus {
  /// The badge's words: a status never rests on its colour alone.
  var label: String {
    switch self {
    case .ok: "ok"
    case .error: "error"
    case .expectedError: "expected error"
    case .missingError: "missing error"
    case .notRun: "not run"
    case .timedOut: "timed out"
    case .kernelDied: "kernel died"
    case .deadlock: "deadlock"
    case .budget: "time budget"
    case .invalidOptions: "invalid options"
    }
  }

  /// A shape for the badge that survives grey-scale printing and colour blindness.
  var symbol: String {
    switch self {
    case .ok, .expectedError: "✓"
    case .notRun: "○"
    case .error, .missingError, .timedOut, .kernelDied, .deadlock, .budget, .invalidOptions: "✗"
    }
  }
}
