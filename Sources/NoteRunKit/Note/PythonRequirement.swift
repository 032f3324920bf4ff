/// The Pythons a note or a cell needs, spelled as PEP 621's `requires-python`: a PEP 440
/// version specifier set such as `>=3.11`, `>=3.10, <3.13`, `==3.12.*` or `~=3.11`. Every
/// comma-separated clause must hold. Versions compare by release numbers padded with zeros
/// (`3.11` is `3.11.0`); a pre-release interpreter (`3.14.0a1`) counts as its release.
public struct PythonRequirement: Sendable, Hashable, CustomStringConvertible {
  /// As written, for messages.
  public let description: String
  private let clauses: [Clause]

  private struct Clause: Sendable, Hashable {
    enum Operator: String, CaseIterable {
      // Longest first, so `>=` is not read as `>`.
      case compatible = "~=", equal = "==", notEqual = "!=", atLeast = ">=", atMost = "<=",
        above = ">", below = "<"
    }
    var op: Operator
    var release: [Int]
    /// `==3.12.*` / `!=3.12.*`: compares only the given numbers.
    var wildcard: Bool
  }

  /// nil when `text` is not a specifier set this understands.
  public init?(_ text: String) {
    var clauses: [Clause] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let clause = part.trimmingCharacters(in: .whitespaces)
      guard let op = Clause.Operator.allCases.first(where: { clause.hasPrefix($0.rawValue) }) else {
        return nil
      }
      var version = clause.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)
      let wildcard = version.hasSuffix(".*")
      if wildcard {
        guard op == .equal || op == .notEqual else { return nil }
        version.removeLast(2)
      }
      let numbers = version.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
      guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
      guard op != .compatible || numbers.count >= 2 else { return nil }
      clauses.append(Clause(op: op, release: numbers.compactMap { $0 }, wildcard: wildcard))
    }
    self.description = text.trimmingCharacters(in: .whitespaces)
    self.clauses = clauses
  }

  /// Whether the interpreter `version` ("3.11.7", "3.14.0a1") meets every clause.
  public func isSatisfied(by version: String) -> Bool {
    let release = Self.release(of: version)
    return clauses.allSatisfy { clause in
      switch clause.op {
      case .equal: Self.equal(release, clause.release, prefix: clause.wildcard)
      case .notEqual: !Self.equal(release, clause.release, prefix: clause.wildcard)
      case .atLeast: Self.compare(release, clause.release) >= 0
      case .atMost: Self.compare(release, clause.release) <= 0
      case .above: Self.compare(release, clause.release) > 0
      case .below: Self.compare(release, clause.release) < 0
      case .compatible:
        Self.compare(release, clause.release) >= 0
          && Self.equal(release, Array(clause.release.dropLast()), prefix: true)
      }
    }
  }

  /// The leading numbers of each dot-separated part: "3.14.0a1" → [3, 14, 0].
  private static func release(of version: String) -> [Int] {
    var numbers: [Int] = []
    for part in version.split(separator: ".") {
      let digits = part.prefix { $0.isASCII && $0.isNumber }
      guard let number = Int(digits) else { break }
      numbers.append(number)
      if digits.count < part.count { break }
    }
    return numbers
  }

  private static func compare(_ a: [Int], _ b: [Int]) -> Int {
    for index in 0..<max(a.count, b.count) {
      let x = index < a.count ? a[index] : 0
      let y = index < b.count ? b[index] : 0
      if x != y { return x < y ? -1 : 1 }
    }
    return 0
  }

  private static func equal(_ version: [Int], _ wanted: [Int], prefix: Bool) -> Bool {
    guard prefix else { return compare(version, wanted) == 0 }
    return (0..<wanted.count).allSatisfy { index in
      (index < version.count ? version[index] : 0) == wanted[index]
    }
  }
}
