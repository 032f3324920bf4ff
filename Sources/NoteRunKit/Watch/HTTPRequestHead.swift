import Foundation

/// A request's line and headers as the preview server reads them (RFC 9112): a method, an
/// origin-form target (`/path?query`), HTTP/1.0 or 1.1, and header fields by lower-case
/// name. Anything else is refused, not guessed at: obsolete line folding, whitespace before
/// a colon, a second `Host`.
struct HTTPRequestHead: Sendable, Equatable {
  var method: String
  var target: String
  var version: String
  /// Lower-case names; repeated fields joined with ", " (RFC 9110 §5.3).
  var fields: [String: String]

  /// The path of the target, still percent-encoded, without its query.
  var path: String { String(target.prefix { $0 != "?" }) }

  /// Whether the client asked to close, or speaks HTTP/1.0 (which closes by default).
  var wantsClose: Bool {
    let tokens = Self.tokens(fields["connection"])
    return version == "HTTP/1.0" ? !tokens.contains("keep-alive") : tokens.contains("close")
  }

  /// The comma-separated tokens of a field, lower-cased.
  static func tokens(_ value: String?) -> [String] {
    (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
  }

  struct Malformed: Error, Sendable {}

  /// Parses a head without its final blank line.
  static func parse(_ bytes: ArraySlice<UInt8>) throws(Malformed) -> HTTPRequestHead {
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      line.last == 0x0D ? line.dropLast() : line
    }
    guard let first = lines.first else { throw Malformed() }
    let parts = first.split(separator: 0x20, omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
      parts[1].first == UInt8(ascii: "/"), parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
    else { throw Malformed() }
    let version = String(decoding: parts[2], as: UTF8.self)
    guard version == "HTTP/1.1" || version == "HTTP/1.0" else { throw Malformed() }
    var fields: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
        line[..<colon].allSatisfy(isTokenByte), !line[colon...].contains(where: { $0 < 0x20 && $0 != 0x09 })
      else { throw Malformed() }
      let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
      let value = String(decoding: line[line.index(after: colon)...], as: UTF8.self)
        .trimmingCharacters(in: [" ", "\t"])
      if let previous = fields[name] {
        guard name != "host" else { throw Malformed() }
        fields[name] = previous + ", " + value
      } else {
        fields[name] = value
      }
    }
    return HTTPRequestHead(
      method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
      version: version, fields: fields)
  }

  /// RFC 9110 §5.6.2 `tchar`.
  private static func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "A")...UInt8(ascii: "Z"):
      true
    default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
  }
}
