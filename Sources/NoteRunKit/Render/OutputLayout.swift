import Foundation

/// Where pages go: the output tree mirrors the notes tree, `Notes/a/b.md` →
/// `output/a/b.html`, and `output/index.html` lists them. Links between pages are relative,
/// so the folder can be opened from disk, served, or moved.
public struct OutputLayout: Sendable, Hashable {
  public var output: URL

  public init(output: URL) {
    self.output = output.standardizedFileURL
  }

  public var index: URL { output.appendingPathComponent("index.html") }

  /// The page of a note: its path below its notes root, with the extension `.html`.
  public func page(for note: Note) -> URL {
    page(forNoteAt: note.url, root: note.root)
  }

  public func page(forNoteAt url: URL, root: URL) -> URL {
    let components = Self.components(url)
    let rootComponents = Self.components(root)
    let relative =
      components.starts(with: rootComponents) && components.count > rootComponents.count
      ? Array(components.dropFirst(rootComponents.count)) : [url.lastPathComponent]
    let page = relative.reduce(output) { $0.appendingPathComponent($1) }
    return page.deletingPathExtension().appendingPathExtension("html")
  }

  /// A percent-encoded relative link from the page at `page` to the file at `target`.
  public static func href(from page: URL, to target: URL) -> String {
    let from = components(page.deletingLastPathComponent())
    let to = components(target)
    var common = 0
    while common < from.count && common < to.count - 1 && from[common] == to[common] { common += 1 }
    let path = Array(repeating: "..", count: from.count - common) + to[common...]
    return path.map { $0.addingPercentEncoding(withAllowedCharacters: pathComponentAllowed) ?? $0 }
      .joined(separator: "/")
  }

  private static let pathComponentAllowed = CharacterSet.urlPathAllowed.subtracting(["/", ";"])

  private static func components(_ url: URL) -> [String] {
    url.standardizedFileURL.pathComponents.filter { $0 != "/" }
  }
}
