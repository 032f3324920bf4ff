/// Escaping for text and attribute values: every byte of user text that reaches a page goes
/// through here (or through a Mustache `{{…}}` tag, which escapes the same five characters).
public enum HTMLEscape {
  /// Replaces `&`, `<`, `>`, `"` and `'`, so the result is safe both between tags and inside
  /// a quoted attribute value.
  public static func escape(_ text: String) -> String {
    var result = ""
    result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
