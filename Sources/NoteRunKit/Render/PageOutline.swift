/// Headings get stable ids and anchor links, and the page gets its "On this page" list of
/// headings and cells. Ids follow GitHub's rule (lower case, punctuation dropped, spaces as
/// `-`, `-1`, `-2` … for repeats), so a link written as `other.md#a-deadlock` in a note
/// lands on the heading "A deadlock" of that note's page.
///
/// Works on cmark-gfm's HTML in one pass over its bytes: headings are `<hN>…</hN>` with no
/// attributes (cmark never writes any), cells are the theme's `<section class="cell …"
/// id="…">`; everything else is copied through.
struct PageOutline {
  struct Entry {
    /// 1–6 for a heading, 0 for a cell.
    var level: Int
    var anchor: String
    /// Plain text of the heading, or the cell's anchor.
    var text: String
  }

  var html: String
  var entries: [Entry]

  /// `reserved`: ids already taken (the cells' anchors).
  init(body: String, reserved: Set<String>) {
    var used = reserved
    var entries: [Entry] = []
    let bytes = Array(body.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + bytes.count / 16)
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      guard byte == UInt8(ascii: "<") else {
        out.append(byte)
        index += 1
        continue
      }
      if index + 3 < count, bytes[index + 1] == UInt8(ascii: "h"), (49...54).contains(bytes[index + 2]),
        bytes[index + 3] == UInt8(ascii: ">")
      {
        let level = Int(bytes[index + 2] - 48)
        let close = Array("</h\(level)>".utf8)
        if let end = Self.find(close, in: bytes, from: index + 4) {
          let inner = String(decoding: bytes[(index + 4)..<end], as: UTF8.self)
          let text = Self.plainText(inner)
          let anchor = Self.unique(Self.slug(text), in: &used)
          entries.append(Entry(level: level, anchor: anchor, text: text))
          out += Array("<h\(level) id=\"\(anchor)\">".utf8)
          out += bytes[(index + 4)..<end]
          out += Array(
            "\(Self.anchorStart) href=\"#\(anchor)\" aria-label=\"Link to this section\">#</a>".utf8)
          out += close
          index = end + close.count
          continue
        }
      }
      if Self.startsWith(Self.cellStart, bytes, at: index),
        let idStart = Self.find(Self.idAttribute, in: bytes, from: index),
        let idEnd = bytes[(idStart + Self.idAttribute.count)...].firstIndex(of: UInt8(ascii: "\""))
      {
        let anchor = String(decoding: bytes[(idStart + Self.idAttribute.count)..<idEnd], as: UTF8.self)
        entries.append(Entry(level: 0, anchor: anchor, text: anchor))
      }
      out.append(byte)
      index += 1
    }
    self.html = String(decoding: out, as: UTF8.self)
    self.entries = entries
  }

  /// How the link that each heading ends with starts.
  static let anchorStart = "<a class=\"anchor\""
  private static let cellStart = Array("<section class=\"cell ".utf8)
  private static let idAttribute = Array(" id=\"".utf8)

  private static func startsWith(_ prefix: [UInt8], _ bytes: [UInt8], at index: Int) -> Bool {
    guard index + prefix.count <= bytes.count else { return false }
    for offset in 0..<prefix.count where bytes[index + offset] != prefix[offset] { return false }
    return true
  }

  private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
    var index = start
    while index + needle.count <= bytes.count {
      if bytes[index] == needle[0] && startsWith(needle, bytes, at: index) { return index }
      index += 1
    }
    return nil
  }

  /// The text of inline HTML: tags dropped, cmark's five entities decoded.
  static func plainText(_ html: String) -> String {
    var text = ""
    var inTag = false
    for character in html {
      if character == "<" {
        inTag = true
      } else if character == ">" {
        inTag = false
      } else if !inTag {
        text.append(character)
      }
    }
    return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }

  /// GitHub's heading id: lower case; letters, digits, `-` and `_` kept, spaces become `-`,
  /// the rest dropped.
  static func slug(_ text: String) -> String {
    var slug = ""
    for character in text.lowercased() {
      if character == " " {
        slug.append("-")
      } else if character == "-" || character == "_" || character.isLetter || character.isNumber {
        slug.append(character)
      }
    }
    return slug.isEmpty ? "section" : slug
  }

  private static func unique(_ slug: String, in used: inout Set<String>) -> String {
    var candidate = slug
    var number = 0
    while used.contains(candidate) {
      number += 1
      candidate = "\(slug)-\(number)"
    }
    used.insert(candidate)
    return candidate
  }
}
