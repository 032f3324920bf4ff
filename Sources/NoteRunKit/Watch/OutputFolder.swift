import Foundation
import Glibc

/// What the preview server may send: regular files under one folder, named by a request path.
/// Anything else is simply not there: `..` in any spelling (`%2e%2e`), encoded slashes,
/// empty segments (`//etc`), and paths that leave the folder through a symbolic link.
struct OutputFolder: Sendable {
  enum Lookup: Equatable {
    /// `path` is the file to read, links resolved; `name` is the name the request used,
    /// which decides the content type.
    case file(path: String, name: String)
    /// A folder asked for without its trailing slash: its relative links need one.
    case folder
    case missing
  }

  /// The folder with its symbolic links resolved, so that containment is a prefix test on
  /// resolved paths.
  let root: String

  init(_ path: String) throws {
    guard let resolved = Self.resolve(path) else {
      throw PreviewServer.Error(message: "cannot serve \(path): \(String(cString: strerror(errno)))")
    }
    root = resolved
  }

  /// Finds what a request's path names. `rawPath` is the path as it came in the request line,
  /// still percent-encoded, so that an encoded `/` cannot pass for a separator.
  func lookup(rawPath: String) -> Lookup {
    guard rawPath.hasPrefix("/") else { return .missing }
    let segments = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    var names: [String] = []
    for (index, segment) in segments.enumerated() {
      guard let name = String(segment).removingPercentEncoding else { return .missing }
      if name.isEmpty {
        guard index == segments.count - 1 else { return .missing }
        names.append("index.html")
      } else {
        guard name != ".", name != "..", !name.contains(where: { "/\\\0".contains($0) })
        else { return .missing }
        names.append(name)
      }
    }
    let requested = ([root] + names).joined(separator: "/")
    guard let resolved = Self.resolve(requested),
      resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    else { return .missing }
    var status = stat()
    guard stat(resolved, &status) == 0 else { return .missing }
    switch status.st_mode & S_IFMT {
    case S_IFREG: return .file(path: resolved, name: names.last ?? "index.html")
    case S_IFDIR where !rawPath.hasSuffix("/"): return .folder
    default: return .missing
    }
  }

  private static func resolve(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
