import FlyingFox
import Foundation

/// Answers GET requests with files of an `OutputFolder`; `/` and `x/` mean their index.html.
struct OutputFolderHandler: HTTPHandler {
  let folder: OutputFolder

  func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
    let rawPath = request.target.path()
    switch folder.lookup(rawPath: rawPath) {
    case .file(let path, let name):
      // Read at once: the renderer replaces pages while the server runs.
      guard let contents = FileManager.default.contents(atPath: path) else { return Self.notFound }
      return HTTPResponse(
        statusCode: .ok,
        headers: [.contentType: ContentType.forFile(named: name), .cacheControl: "no-cache"],
        body: contents)
    case .folder:
      return HTTPResponse(statusCode: .found, headers: HTTPHeaders([.location: rawPath + "/"]))
    case .missing:
      return Self.notFound
    }
  }

  static let notFound = HTTPResponse(
    statusCode: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
    body: Data("Not found\n".utf8))
}
