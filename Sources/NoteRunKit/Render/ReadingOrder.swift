import Foundation

/// The order a reader goes through the notes: the sidebar, previous / next and the index
/// follow it. A `SUMMARY.md` at a notes root (mdBook's format: a Markdown list of links to
/// notes, nested or not) decides when present; notes it does not link come after, in path
/// order. Without one, notes with a front-matter `order` come first, lowest first, then the
/// rest in path order (`00-…`, `01-…` sort as written).
struct ReadingOrder {
  static let summaryName = "SUMMARY.md"

  /// A note as the order sees it: pages of this run and pages kept from earlier runs alike.
  struct Place {
    /// The note's standardized absolute path.
    var source: String
    /// The note's path as shown, which path order sorts.
    var file: String
    var order: Double?

    init(_ note: Note) {
      source = note.url.standardizedFileURL.path
      file = note.file
      order = note.frontMatter.order
    }

    init(_ record: PageRecord) {
      source = record.source
      file = record.file
      order = record.order
    }
  }

  /// A note's position in the SUMMARY.md files, by its absolute path; empty without one.
  private let rank: [String: Int]

  /// Reads the SUMMARY.md of each of `roots` (the notes roots), in the order given.
  init(roots: [URL]) {
    var rank: [String: Int] = [:]
    var seen = Set<String>()
    for root in roots where seen.insert(root.standardizedFileURL.path).inserted {
      for path in Self.summaryLinks(root: root) ?? [] where rank[path] == nil { rank[path] = rank.count }
    }
    self.rank = rank
  }

  /// `items` in reading order, each placed by what `place` says of its note.
  func sorted<Item>(_ items: [Item], by place: (Item) -> Place) -> [Item] {
    let placed = items.map { (item: $0, place: place($0)) }.sorted { $0.place.file < $1.place.file }
    guard !rank.isEmpty else {
      let ordered = placed.compactMap { entry in entry.place.order.map { (entry, $0) } }
        .sorted { ($0.1, $0.0.place.file) < ($1.1, $1.0.place.file) }.map(\.0)
      return (ordered + placed.filter { $0.place.order == nil }).map(\.item)
    }
    let listed = placed.compactMap { entry in rank[entry.place.source].map { (entry, $0) } }
      .sorted { $0.1 < $1.1 }.map(\.0)
    return (listed + placed.filter { rank[$0.place.source] == nil }).map(\.item)
  }

  /// The notes SUMMARY.md links to, as absolute paths, in the order written; nil without one.
  static func summaryLinks(root: URL) -> [String]? {
    let url = root.appendingPathComponent(summaryName)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
    var links: [String] = []
    var rest = Substring(text)
    // `[title](path.md)`: the link targets of the list, read as written (no nesting rules).
    while let open = rest.range(of: "]("), let close = rest[open.upperBound...].firstIndex(of: ")") {
      let target = rest[open.upperBound..<close].split(separator: "#").first.map(String.init) ?? ""
      if target.hasSuffix(".md"), let decoded = target.removingPercentEncoding {
        links.append(root.appendingPathComponent(decoded).standardizedFileURL.path)
      }
      rest = rest[close...]
    }
    return links
  }
}
