import Foundation

/// Writes `check --update`'s new output blocks into a note file, only if the file is
/// still what was parsed and run.
public enum NoteUpdater {
  /// Rereads the note, refuses if it changed since it was parsed, and hands the updated
  /// bytes to `write` (which should write atomically: a temporary file in the same
  /// folder, then a rename) unless nothing changed. Returns what changed per block.
  public static func apply(_ result: NoteResult, write: (Data, URL) throws -> Void) throws -> [BlockChange] {
    let note = result.note
    let current: Data
    do {
      current = try RegularFile.read(note.url.path, upTo: NoteText.maximumSize + 1)
    } catch {
      throw NoteChangedOnDisk(file: note.file)
    }
    // Compared as UTF-8 bytes, not as Strings: Swift's String equality would take an
    // NFC and an NFD spelling of the same text for the same file.
    guard String(decoding: current, as: UTF8.self).utf8.elementsEqual(note.source.utf8) else {
      throw NoteChangedOnDisk(file: note.file)
    }
    let update = OutputBlockUpdater.update(current, note: note, results: result.cells)
    if update.content != current { try write(update.content, note.url) }
    return update.changes
  }
}

/// The note was edited between being read and being updated: the update would
/// overwrite the edit, so it is not made.
public struct NoteChangedOnDisk: Error, Sendable, Hashable, CustomStringConvertible {
  public var file: String

  public var description: String { "\(file) changed on disk since it was read; not updated" }
}
