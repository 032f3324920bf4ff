/// Shard K of N of a set of notes, for CI matrices: every note is in exactly one shard, and
/// the same inputs give the same shards on every machine.
///
/// Without durations, notes are dealt round-robin in path order (stable while the set of
/// notes is). With the durations of an earlier run, shards are balanced by them, so N
/// machines finish together: notes are taken longest first (ties in path order) and each
/// goes to the shard with the least total so far (ties to the lowest shard), the LPT rule,
/// within 4/3 of the best possible longest shard. A note without a recorded duration counts
/// as the median of the recorded ones. O(n log n + n·N).
public struct NoteShard: Sendable, Hashable {
  /// From 1.
  public var index: Int
  public var count: Int

  public init?(index: Int, count: Int) {
    guard count >= 1, (1...count).contains(index) else { return nil }
    self.index = index
    self.count = count
  }

  /// This shard's notes, in path order.
  public func select(_ files: [NoteFile], durations: NoteDurations? = nil) -> [NoteFile] {
    let sorted = files.sorted { $0.displayPath < $1.displayPath }
    guard let durations, !durations.seconds.isEmpty else {
      return sorted.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
    let known = durations.seconds.values.sorted()
    let typical = known[known.count / 2]
    let weighted = sorted.map { (file: $0, seconds: durations.seconds[$0.displayPath] ?? typical) }
    var totals = [Double](repeating: 0, count: count)
    var chosen: Set<String> = []
    for entry in weighted.enumerated().sorted(by: {
      $0.element.seconds != $1.element.seconds
        ? $0.element.seconds > $1.element.seconds : $0.offset < $1.offset
    }) {
      let shard = totals.indices.min { totals[$0] != totals[$1] ? totals[$0] < totals[$1] : $0 < $1 }!
      totals[shard] += entry.element.seconds
      if shard == index - 1 { chosen.insert(entry.element.file.displayPath) }
    }
    return sorted.filter { chosen.contains($0.displayPath) }
  }
}
