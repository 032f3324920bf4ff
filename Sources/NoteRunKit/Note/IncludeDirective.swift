import Foundation

/// `{{#include path}}` or `{{#include path:START:END}}` alone on a line of a cell (mdBook's
/// syntax): the line stands for lines of another file below the notes root.
struct IncludeDirective: Equatable {
  var path: String
  /// 1-based, inclusive. mdBook's forms: `:N` is line N only, `:N:` from N to the end,
  /// `::N` up to N, `:N:M` from N to M.
  var start = 1
  var end: Int?

  /// nil when the line is not an include; an error when it is one, written wrongly.
  init?(line: Substring, file: String, lineNumber: Int) throws(NoteError) {
    let text = line.trimmingBlanks
    guard text.hasPrefix("{{#include"), text.hasSuffix("}}") else { return nil }
    let inner = text.dropFirst("{{#include".count).dropLast(2)
    guard inner.isEmpty || inner.first == " " || inner.first == "\t" else { return nil }
    func fail(_ message: String) -> NoteError { NoteError(file: file, line: lineNumber, message: message) }
    let parts = inner.trimmingBlanks.split(separator: ":", omittingEmptySubsequences: false)
    guard let path = parts.first, !path.isEmpty else { throw fail("include without a file name") }
    self.path = String(path)
    func number(_ text: Substring) throws(NoteError) -> Int? {
      if text.isEmpty { return nil }
      guard let value = Int(text), value >= 1 else {
        throw fail(
          "include line range `\(parts.dropFirst().joined(separator: ":"))` must be line numbers from 1:"
            + " :N, :START:END, :START: or ::END")
      }
      return value
    }
    switch parts.count {
    case 1:
      break
    case 2:
      if let line = try number(parts[1]) { (start, end) = (line, line) }
    case 3:
      start = try number(parts[1]) ?? 1
      end = try number(parts[2])
      if let end, end < start { throw fail("include line range ends before it starts") }
    default:
      throw fail("include takes one line range, `path:START:END`")
    }
  }

  /// A file an include resolved to.
  struct Resolved {
    var url: URL
    /// The path as `file:line` messages show it: the note's display folder joined with the
    /// path as written.
    var displayPath: String
    var firstLine: Int
    var lines: [Substring]
  }

  /// Reads the included lines. The file must lie inside `root`, both as written and after
  /// resolving symbolic links.
  func resolve(noteURL: URL, noteDisplayPath: String, root: URL, line: Int) throws(NoteError) -> Resolved {
    func fail(_ message: String) -> NoteError {
      NoteError(file: noteDisplayPath, line: line, message: message)
    }
    guard !path.hasPrefix("/") && !path.hasPrefix("~") else {
      throw fail("include path `\(path)` must be relative to the note")
    }
    let url = URL(fileURLWithPath: path, relativeTo: noteURL.deletingLastPathComponent()).standardizedFileURL
    let rootPath = root.standardizedFileURL.path
    guard Self.isInside(url.path, rootPath) else {
      throw fail("include `\(path)` escapes the notes root \(rootPath)")
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw fail("included file `\(path)` not found")
    }
    guard !isDirectory.boolValue else { throw fail("include `\(path)` is a folder, not a file") }
    guard let realFile = Self.realPath(url.path), let realRoot = Self.realPath(rootPath),
      Self.isInside(realFile, realRoot)
    else {
      throw fail("include `\(path)` escapes the notes root \(rootPath) (through a symbolic link)")
    }
    let displayPath = Self.normalized((noteDisplayPath as NSString).deletingLastPathComponent + "/" + path)
    let text: String
    do {
      text = try NoteText.read(url, file: displayPath, what: "included file")
    } catch {
      throw fail(error.description)
    }
    let all = TextLines(text).lines
    let last = end ?? all.count
    guard start <= all.count || all.isEmpty && end == nil, last <= all.count else {
      throw fail("include asks for lines \(start)…\(last) but `\(path)` has \(all.count) lines")
    }
    return Resolved(
      url: url, displayPath: displayPath, firstLine: start,
      lines: start <= last ? Array(all[(start - 1)..<last]) : [])
  }

  private static func isInside(_ path: String, _ root: String) -> Bool {
    path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// `a/./b/../c` → `a/c`, lexically; a leading `/` stays.
  private static func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." {
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
      } else {
        parts.append(part)
      }
    }
    return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
  }
}
