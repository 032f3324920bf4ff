/// A line diff of an expected-output block against what a cell printed, as unified-diff
/// hunks. Lines compare as `OutputMatcher` compares them, so a line with `...` that
/// matched shows as context, and so does a `...` line together with the lines it stood
/// for.
public struct UnifiedDiff: Sendable, Hashable, CustomStringConvertible {
  public struct Line: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
      case context
      case removed
      case added
    }
    public var kind: Kind
    /// The expected line for context and removed lines, the actual line for added ones.
    public var text: String

    /// The line as a unified diff writes it.
    public var marked: String {
      switch kind {
      case .context: " " + text
      case .removed: "-" + text
      case .added: "+" + text
      }
    }
  }

  public struct Hunk: Sendable, Hashable {
    /// 1-based first line on each side (the line before, for an empty range).
    public var expectedStart: Int
    public var expectedCount: Int
    public var actualStart: Int
    public var actualCount: Int
    public var lines: [Line]

    public var header: String {
      "@@ -\(Self.range(expectedStart, expectedCount)) +\(Self.range(actualStart, actualCount)) @@"
    }

    private static func range(_ start: Int, _ count: Int) -> String {
      count == 1 ? "\(start)" : "\(start),\(count)"
    }
  }

  public var expectedLabel: String
  public var actualLabel: String
  public var hunks: [Hunk]

  /// Above this many cells the alignment table (4 bytes each) is not built: the middle
  /// part that differs is shown as removed, then added.
  private static let alignmentLimit = 1_000_000

  public init(
    expected: String, actual: String, expectedLabel: String = "expected",
    actualLabel: String = "actual", context: Int = 3
  ) {
    self.expectedLabel = expectedLabel
    self.actualLabel = actualLabel
    let steps = Self.align(OutputMatcher.lines(expected), OutputMatcher.lines(actual))
    hunks = Self.hunks(steps, context: context)
  }

  public var isEmpty: Bool { hunks.isEmpty }

  public var description: String {
    guard !isEmpty else { return "" }
    let lines =
      ["--- \(expectedLabel)", "+++ \(actualLabel)"]
      + hunks.flatMap { [$0.header] + $0.lines.map(\.marked) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One line of the alignment and how many lines it covers on each side (a `...` line
  /// covers one expected line and any number of actual lines).
  private struct Step {
    var line: Line
    var expected: Int
    var actual: Int
  }

  /// A cheapest alignment: a removed, added or replaced line costs 1, a match or a `...`
  /// line standing for lines costs 0. Replacing costs no more than removing so that a
  /// `...` before a changed last line does not swallow it: the change shows as `-old
  /// +new`. Common ends are taken first, the middle by a table.
  private static func align(_ expected: [String], _ actual: [String]) -> [Step] {
    let patterns = expected.map(LinePattern.init)
    let actualBytes = actual.map { Array($0.utf8) }
    func matches(_ i: Int, _ j: Int) -> Bool {
      !patterns[i].isEllipsis && patterns[i].matches(actualBytes[j])
    }
    var low = 0
    while low < expected.count && low < actual.count && matches(low, low) { low += 1 }
    var expectedHigh = expected.count
    var actualHigh = actual.count
    while expectedHigh > low && actualHigh > low && matches(expectedHigh - 1, actualHigh - 1) {
      expectedHigh -= 1
      actualHigh -= 1
    }
    let head = expected[..<low].map { Step(line: Line(kind: .context, text: $0), expected: 1, actual: 1) }
    let tail = expected[expectedHigh...].map {
      Step(line: Line(kind: .context, text: $0), expected: 1, actual: 1)
    }
    let rows = expectedHigh - low
    let columns = actualHigh - low
    guard (rows + 1) * (columns + 1) <= alignmentLimit else {
      let removed = expected[low..<expectedHigh].map {
        Step(line: Line(kind: .removed, text: $0), expected: 1, actual: 0)
      }
      let added = actual[low..<actualHigh].map {
        Step(line: Line(kind: .added, text: $0), expected: 0, actual: 1)
      }
      return head + removed + added + tail
    }
    // cost[i * width + j]: cheapest alignment of expected[low + i...] with actual[low + j...].
    let width = columns + 1
    var cost = [Int32](repeating: 0, count: (rows + 1) * width)
    for j in stride(from: columns - 1, through: 0, by: -1) { cost[rows * width + j] = Int32(columns - j) }
    for i in stride(from: rows - 1, through: 0, by: -1) {
      let isEllipsis = patterns[low + i].isEllipsis
      cost[i * width + columns] = cost[(i + 1) * width + columns] + (isEllipsis ? 0 : 1)
      for j in stride(from: columns - 1, through: 0, by: -1) {
        let skip = cost[(i + 1) * width + j]
        let take = cost[i * width + j + 1]
        if isEllipsis {
          cost[i * width + j] = min(skip, take)
        } else {
          let diagonal = cost[(i + 1) * width + j + 1] + (matches(low + i, low + j) ? 0 : 1)
          cost[i * width + j] = min(min(skip, take) + 1, diagonal)
        }
      }
    }
    var middle: [Step] = []
    var i = 0
    var j = 0
    while i < rows || j < columns {
      let here = cost[i * width + j]
      if i < rows && patterns[low + i].isEllipsis {
        var covered = 0
        while cost[i * width + j] != cost[(i + 1) * width + j] {
          j += 1
          covered += 1
        }
        middle.append(Step(line: Line(kind: .context, text: expected[low + i]), expected: 1, actual: covered))
        i += 1
      } else if i < rows && j < columns && matches(low + i, low + j) && here == cost[(i + 1) * width + j + 1]
      {
        middle.append(Step(line: Line(kind: .context, text: expected[low + i]), expected: 1, actual: 1))
        i += 1
        j += 1
      } else if i < rows && j < columns && here == cost[(i + 1) * width + j + 1] + 1 {
        middle.append(Step(line: Line(kind: .removed, text: expected[low + i]), expected: 1, actual: 0))
        middle.append(Step(line: Line(kind: .added, text: actual[low + j]), expected: 0, actual: 1))
        i += 1
        j += 1
      } else if i < rows && here == cost[(i + 1) * width + j] + 1 {
        middle.append(Step(line: Line(kind: .removed, text: expected[low + i]), expected: 1, actual: 0))
        i += 1
      } else {
        middle.append(Step(line: Line(kind: .added, text: actual[low + j]), expected: 0, actual: 1))
        j += 1
      }
    }
    return head + removedBeforeAdded(middle) + tail
  }

  /// Each run of changes as a unified diff shows it: its removed lines, then its added ones.
  private static func removedBeforeAdded(_ steps: [Step]) -> [Step] {
    var ordered: [Step] = []
    var added: [Step] = []
    for step in steps {
      switch step.line.kind {
      case .removed: ordered.append(step)
      case .added: added.append(step)
      case .context:
        ordered += added + [step]
        added = []
      }
    }
    return ordered + added
  }

  private static func hunks(_ steps: [Step], context: Int) -> [Hunk] {
    let changes = steps.indices.filter { steps[$0].line.kind != .context }
    guard var first = changes.first else { return [] }
    var groups: [ClosedRange<Int>] = []
    var last = first
    for change in changes.dropFirst() {
      if change - last - 1 > 2 * context {
        groups.append(first...last)
        first = change
      }
      last = change
    }
    groups.append(first...last)
    var expectedBefore = [0]
    var actualBefore = [0]
    for step in steps {
      expectedBefore.append(expectedBefore.last! + step.expected)
      actualBefore.append(actualBefore.last! + step.actual)
    }
    return groups.map { group in
      let start = max(0, group.lowerBound - context)
      let end = min(steps.count, group.upperBound + 1 + context)
      let expectedCount = expectedBefore[end] - expectedBefore[start]
      let actualCount = actualBefore[end] - actualBefore[start]
      return Hunk(
        expectedStart: expectedBefore[start] + (expectedCount == 0 ? 0 : 1),
        expectedCount: expectedCount,
        actualStart: actualBefore[start] + (actualCount == 0 ? 0 : 1),
        actualCount: actualCount,
        lines: steps[start..<end].map(\.line))
    }
  }
}
