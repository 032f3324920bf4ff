extension CellResult {
  /// The result judged against the cell's `raises=` and `match=`: the expected exception
  /// (one whose class or a base has that name, with a matching message) is an
  /// expected error; no exception at all is a missing one. Whether the message matches is
  /// the kernel's answer (`re.search(pattern, str(exc))`, as pytest.raises(match=) does,
  /// inside the cell's time limit): `matched`, or `matchError` for a pattern Python refuses.
  /// `check` words the verdict.
  /// `mayRaise` (Quarto `error: true`, MyST `raises-exception`) makes any exception
  /// expected and none fine.
  func checked(against options: CellOptions, matched: Bool?, matchError: String?) -> CellResult {
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
    case .error:
      guard let error else { return self }
      guard error.mro.contains(expected) else { return self }
      if options.match != nil {
        if let matchError {
          result.message = matchError
          return result
        }
        guard matched == true else { return self }
      }
      result.status = .expectedError
    default:
      break
    }
    return result
  }
}
