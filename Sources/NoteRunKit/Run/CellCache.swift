import Foundation

/// Cell results kept between runs, so a prose edit re-renders without running anything
/// and an edit to cell k re-runs from cell k on. Shared by `render`, `check` and `watch`;
/// the folder can be kept between CI runs.
///
/// A cell's key covers everything that can change what it does: its code and options,
/// the included text, the interpreter and run settings, noterun's own kernel, and the keys
/// of every cell before it. Each entry stores its full key text and is used only when that text matches
/// exactly, so the file-name hash can never make a cached result stand for changed code.
/// Line numbers are not part of the key: moving a cell (a paragraph added above it) keeps
/// its result, whose `file:line` references are moved along (`relocated`).
public struct CellCache: Sendable {
  public let folder: URL

  public init(folder: URL) {
    self.folder = folder
  }

  /// The key of every cell of `note`, in order. `environment` describes the interpreter
  /// and the settings the note runs with. The last cell that runs (`last`) also stands for
  /// the note's end (the tasks left pending), so its key says so: deleting the cells after
  /// a cell changes its key.
  public static func keys(for note: Note, environment: String, last: Int?) -> [CellKey] {
    var keys: [CellKey] = []
    var previous = "none"
    for cell in note.cells {
      var text = "noterun-cell-cache \(CellCacheEntry.schema)\nkernel \(kernelDigest)\n\(environment)\n"
      text += "file \(note.file)\nafter \(previous)\n"
      if cell.index == last { text += "ends the note\n" }
      text += "options \(cell.options.cacheDescription)\n"
      for segment in cell.segments {
        let line = segment.file == note.file ? segment.line - cell.codeLine : segment.line
        text += "segment \(segment.file) \(line) \(segment.text.utf8.count)\n\(segment.text)\n"
      }
      let key = CellKey(text: text)
      keys.append(key)
      previous = key.digest
    }
    return keys
  }

  /// The kernel's Python files, hashed: results kept by another version of noterun (whose
  /// kernel may trace or report differently) are not used.
  static var kernelDigest: String { KernelFiles.digest }

  /// The cached result for cell `index` of `note`, moved to the cells' current lines.
  public func result(for key: CellKey, in note: Note, cell index: Int) -> CellResult? {
    guard let data = try? Data(contentsOf: entryURL(key)),
      let entry = try? JSONDecoder().decode(CellCacheEntry.self, from: data),
      entry.schema == CellCacheEntry.schema, entry.key == key.text, entry.codeLines.count == index + 1,
      let result = entry.cellResult(cell: index)
    else { return nil }
    let moves = (0...index).map { (old: entry.codeLines[$0], new: note.cells[$0].codeLine) }
    return result.relocated(in: note.file) { line in
      // Lines of cell j occupy [codeLine_j, codeLine_{j+1}); take the last cell at or above.
      guard let move = moves.last(where: { $0.old <= line }) else { return line }
      return line + move.new - move.old
    }
  }

  /// Keeps `result` for cell `index`. A cache that cannot be written is no reason to fail
  /// a run, so errors are ignored.
  public func store(_ result: CellResult, for key: CellKey, in note: Note, cell index: Int) {
    let entry = CellCacheEntry(
      key: key.text, codeLines: note.cells[0...index].map(\.codeLine), result: result)
    guard let data = try? JSONEncoder().encode(entry) else { return }
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try? AtomicFile.write(data, to: entryURL(key), durable: false)
  }

  private func entryURL(_ key: CellKey) -> URL {
    folder.appendingPathComponent(String(key.digest.prefix(2)))
      .appendingPathComponent("\(key.digest).json")
  }
}

/// What identifies one cell's run: `text` in full, `digest` to name it.
public struct CellKey: Sendable, Hashable {
  public let text: String
  public let digest: String

  init(text: String) {
    self.text = text
    self.digest = Self.hash128(text)
  }

  /// FNV-1a over the text with two different offsets, 128 bits in hex. Not cryptographic;
  /// it only names files: entries are matched on their full key text.
  private static func hash128(_ text: String) -> String {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325
    var b: UInt64 = 0x6c62_272e_07bb_0142
    for byte in text.utf8 {
      a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      b = b ^ (b >> 29)
    }
    return String(format: "%016llx%016llx", a, b)
  }
}

extension CellOptions {
  /// A canonical text of the options (sets sorted), for cache keys.
  var cacheDescription: String {
    [
      "run=\(run)", "raises=\(raises ?? "")", "match=\(match ?? "")",
      "timeout=\(timeout.map { "\($0)" } ?? "")", "clock=\(clock?.rawValue ?? "")",
      "hide=\(hide.map(\.rawValue).sorted().joined(separator: ","))", "trace=\(trace)",
    ].joined(separator: " ")
  }
}
