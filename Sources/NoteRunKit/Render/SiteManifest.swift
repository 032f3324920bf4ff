import Foundation

/// What the output folder holds: a record of every note noterun listed there, in
/// `.noterun-pages.json` beside the pages, written atomically with the index. The next
/// render into that folder reads it, so `render one.md -o out` keeps the notes rendered there
/// before in the index and never gives its note a page another note has.
///
/// A record is kept while its note and its page still exist; one that cannot be trusted
/// (another schema, a page path that would leave the folder) is dropped, never an error: the
/// file is noterun's own memory, not input.
public enum SiteManifest {
  public static let fileName = ".noterun-pages.json"
  static let schema = 1
  /// Far above a record's size times any notes folder's count.
  static let maxSize = 64 << 20

  private struct Contents: Codable {
    var schema: Int
    var pages: [PageRecord]
  }

  /// The records of the notes whose note and page are still there.
  public static func records(in output: URL) -> [PageRecord] {
    let path = output.appendingPathComponent(fileName).path
    guard let data = try? RegularFile.read(path, upTo: maxSize),
      let contents = try? JSONDecoder().decode(Contents.self, from: data), contents.schema == schema
    else { return [] }
    return contents.pages.filter { record in
      guard record.source.hasPrefix("/"), exists(record.source) else { return false }
      guard let page = record.page else { return true }
      return isSafe(page) && exists(output.appendingPathComponent(page).path)
    }
  }

  /// Writes `records`, in the order of their pages' paths, so equal runs give equal bytes.
  static func write(_ records: [PageRecord], in output: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let sorted = records.sorted { ($0.page ?? "", $0.source) < ($1.page ?? "", $1.source) }
    let data = try encoder.encode(Contents(schema: schema, pages: sorted))
    try AtomicFile.write(data + Data("\n".utf8), to: output.appendingPathComponent(fileName))
  }

  private static func exists(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
  }

  /// A relative path of plain names, ending in `.html`: nothing a record could use to reach
  /// outside the output folder.
  static func isSafe(_ page: String) -> Bool {
    let parts = page.split(separator: "/", omittingEmptySubsequences: false)
    return page.hasSuffix(".html") && !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." }
  }
}
