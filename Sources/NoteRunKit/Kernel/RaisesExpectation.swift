extension CellResult {
  /// The result judged against the cell's `raises=` and `match=`: the expected exception
  /// (one whose class or a base has that name, with a matching message) is an
  /// expected error; no exception at all is a missing one.
  /// `mayRaise` (Quarto `error: true`, MyST `raises-exception`) makes any exception
  /// expected and none fine.
  func checked(against options: CellOptions) -> CellResult {
    guard let expected = options.raises else {
      guard options.mayRaise, status == .error, error != nil else { return self }
      var result = self
      result.status = .expectedError
      return result
    }
    var result = self
    switch status {
    case .ok:
      result.status = .missingError
      result.message = "expected \(expected), but the cell raised nothing"
    case .error:
      guard let error else { return self }
      guard error.mro.contains(expected) else {
        result.message = "expected \(expected), got \(error.type)"
        return result
      }
      if let pattern = options.match {
        guard let regex = try? Regex(pattern) else {
          result.message = "match=\"\(pattern)\" is not a valid regular expression"
          return result
        }
        guard error.message.contains(regex) else {
          result.message = "\(error.type) raised, but its message does not match \"\(pattern)\""
          return result
        }
      }
      result.status = .expectedError
    default:
      break
    }
    return result
  }
}
