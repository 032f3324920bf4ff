import Foundation

/// How long each note took, by display path: written by one run, read by the next to
/// balance `--shard` (as pytest-split's durations file). A JSON object
/// `{"Notes/a.md": 1.25, …}` with sorted keys, so it diffs well if kept in git.
public struct NoteDurations: Sendable, Hashable {
  public var seconds: [String: Double]

  public init(seconds: [String: Double] = [:]) {
    self.seconds = seconds
  }

  /// The durations in `url`; none when the file does not exist yet. A file that is not
  /// such an object is an error naming it.
  public static func read(_ url: URL) throws -> NoteDurations {
    guard let data = FileManager.default.contents(atPath: url.path) else { return NoteDurations() }
    guard let seconds = try? JSONDecoder().decode([String: Double].self, from: data),
      seconds.values.allSatisfy({ $0.isFinite && $0 >= 0 })
    else {
      throw NoteDurationsError(path: url.path)
    }
    return NoteDurations(seconds: seconds)
  }

  /// These durations with those of `results` replacing or adding theirs; notes this run did
  /// not run (another shard's) keep theirs.
  public func updated(with results: [NoteResult]) -> NoteDurations {
    var merged = self
    for result in results { merged.seconds[result.note.file] = (result.seconds * 1000).rounded() / 1000 }
    return merged
  }

  public func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    try AtomicFile.write(try encoder.encode(seconds) + Data("\n".utf8), to: url)
  }
}

public struct NoteDurationsError: Error, Sendable, Hashable, CustomStringConvertible {
  public var path: String
  public var description: String {
    "\(path): not a durations file (a JSON object of note paths to seconds)"
  }
}
