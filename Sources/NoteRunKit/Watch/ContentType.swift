/// The `Content-Type` the preview server sends for a file, by its extension.
enum ContentType {
  static func forFile(named name: String) -> String {
    let dot = name.lastIndex(of: ".").map { name.index(after: $0) }
    return switch dot.map({ name[$0...].lowercased() }) {
    case "html", "htm": "text/html; charset=utf-8"
    case "css": "text/css; charset=utf-8"
    case "js", "mjs": "text/javascript; charset=utf-8"
    case "json": "application/json"
    case "svg": "image/svg+xml"
    case "png": "image/png"
    case "jpg", "jpeg": "image/jpeg"
    case "gif": "image/gif"
    case "webp": "image/webp"
    case "ico": "image/x-icon"
    case "woff2": "font/woff2"
    case "txt", "md", "py": "text/plain; charset=utf-8"
    case "xml": "application/xml"
    default: "application/octet-stream"
    }
  }
}
