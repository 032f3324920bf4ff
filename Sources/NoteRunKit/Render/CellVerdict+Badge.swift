extension CellVerdict {
  /// A shape for the badge that survives grey-scale printing and colour blindness: a
  /// verdict never rests on its colour alone.
  var symbol: String {
    switch outcome {
    case .passed: "✓"
    case .failed: "✗"
    case .skipped: "○"
    }
  }
}
