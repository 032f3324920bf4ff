import Foundation

/// Where pages go: note path → page path, one page per note, never two notes on one page.
///
/// The output tree mirrors the notes below their base folder: the folder given, a file's
/// own folder, or with several paths the deepest folder holding them all (`A/x.md B/x.md` →
/// `A/x.html`, `B/x.html`). A `.md` extension (any case) becomes `.html`; any other is kept
/// (`a.txt` → `a.txt.html`), so `a.md` and `a.txt` get pages of their own and a page never
/// takes a source's name. Pages are told apart as a case-insensitive file system or a
/// browser would: notes whose pages differ only in case (`x.md`, `x.MD`) get `x.html`,
/// `x-2.html`, … in the byte order of their paths. The list of notes is `index.html`,
/// unless a note `index.md` at the top of the base claims that name as the site's home
/// page: then the list is `notes-index.html`. Pages already in the output folder of notes
/// not rendered now (`SiteManifest`) keep their names: a note of this run that would take
/// one is numbered instead. Links between pages are relative, so the folder can be opened
/// from disk, served, or moved.
public struct OutputLayout: Sendable, Hashable {
  public var output: URL
  /// The list of notes.
  public private(set) var index: URL
  /// The folder the output tree mirrors; nil: each note's own root.
  private var base: [String]?
  /// Standardized note path → page path components below `output`. Paths are told apart by
  /// their bytes, as the file system does: Swift's `==` on strings would merge two files
  /// whose names differ only in Unicode normalization (`é` composed or not).
  private var pages: [[UInt8]: [String]] = [:]
  /// The records of the pages of notes not rendered now that stay listed.
  public private(set) var kept: [PageRecord] = []

  static let indexName = "index.html"
  static let listNameBesideHome = "notes-index.html"

  /// `roots` are the folders the notes were found from (`NoteFinder.roots`); `notes` get
  /// their pages assigned here, collision-free, around the pages of `keeping` (the output
  /// folder's `SiteManifest.records`) whose notes are not among `notes`.
  public init(output: URL, roots: [URL] = [], notes: [NoteFile] = [], keeping: [PageRecord] = []) {
    self.output = output.standardizedFileURL
    let rootComponents = (roots.isEmpty ? notes.map(\.root) : roots).map(Self.components)
    let base = rootComponents.first.map { first in
      rootComponents.dropFirst().reduce(first) { common, next in
        Array(zip(common, next).prefix { $0 == $1 }.map(\.0))
      }
    }
    self.base = base
    let sorted = notes.map { Self.components($0.url) }.sorted {
      Self.key($0).lexicographicallyPrecedes(Self.key($1))
    }
    var seen = Set<[UInt8]>()
    let wanted = sorted.filter { seen.insert(Self.key($0)).inserted }.map {
      ($0, Self.rulePage($0, below: base ?? []))
    }
    let others = keeping.filter { seen.insert(Array($0.source.utf8)).inserted }
      .map { ($0, $0.page.map { $0.split(separator: "/").map(String.init) }) }
    let homeIsTaken =
      wanted.contains { Self.folded($0.1) == [Self.indexName] }
      || others.contains { $0.1.map(Self.folded) == [Self.indexName] }
    let listName = homeIsTaken ? Self.listNameBesideHome : Self.indexName
    index = self.output.appendingPathComponent(listName)
    var taken: Set<[String]> = [[listName]]
    for (record, page) in others {
      if let page {
        guard taken.insert(Self.folded(page)).inserted else { continue }
        pages[Array(record.source.utf8)] = page
      }
      kept.append(record)
    }
    for (note, page) in wanted {
      var candidate = page
      var number = 1
      while taken.contains(Self.folded(candidate)) {
        number += 1
        candidate = Self.numbered(page, number)
      }
      taken.insert(Self.folded(candidate))
      pages[Self.key(note)] = candidate
    }
  }

  /// The page of a note.
  public func page(for note: Note) -> URL {
    page(forNoteAt: note.url, root: note.root)
  }

  /// The page of the note at `url`: the one assigned to it, or for a note this layout was
  /// not given (the target of a link) the page the same rule would give it.
  public func page(forNoteAt url: URL, root: URL) -> URL {
    let components = Self.components(url)
    let relative =
      pages[Self.key(components)]
      ?? Self.rulePage(components, below: base ?? Self.components(root))
    return relative.reduce(output) { $0.appendingPathComponent($1) }
  }

  /// The page path the rule gives, before collisions are told apart.
  private static func rulePage(_ note: [String], below folder: [String]) -> [String] {
    var relative =
      note.starts(with: folder) && note.count > folder.count
      ? Array(note.dropFirst(folder.count)) : [note.last ?? ""]
    let name = relative.removeLast()
    let isMarkdown = name.count > 3 && name.lowercased().hasSuffix(".md")
    relative.append(isMarkdown ? name.dropLast(3) + ".html" : name + ".html")
    return relative
  }

  /// `a/x.html` → `a/x-2.html`.
  private static func numbered(_ page: [String], _ number: Int) -> [String] {
    var page = page
    let name = page.removeLast()
    page.append(name.dropLast(5) + "-\(number).html")
    return page
  }

  private static func key(_ components: [String]) -> [UInt8] {
    Array(("/" + components.joined(separator: "/")).utf8)
  }

  private static func folded(_ page: [String]) -> [String] {
    page.map { $0.lowercased() }
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
