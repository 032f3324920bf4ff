/// "Did you mean …?" for a misspelt option or front-matter key: the known name closest in
/// edit distance (Levenshtein, case and `_`/`-` ignored), when it is close enough to be a
/// typo — at most 1 edit for names up to 4 characters, 2 for longer ones. O(n·m) per
/// candidate, on names a few characters long.
enum NameSuggestion {
  static func closest(to name: String, among known: some Sequence<String>) -> String? {
    let typed = normalized(name)
    var best: (name: String, distance: Int)?
    for candidate in known {
      let distance = editDistance(typed, normalized(candidate))
      let allowed = min(typed.count, candidate.count) <= 4 ? 1 : 2
      if distance <= allowed, distance < best?.distance ?? .max { best = (candidate, distance) }
    }
    return best?.name
  }

  private static func normalized(_ name: String) -> [Character] {
    Array(name.lowercased().map { $0 == "_" ? "-" : $0 })
  }

  private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
