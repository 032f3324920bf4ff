import Foundation

/// Live reload for `noterun watch`: pages include `script`, which keeps a WebSocket open to
/// `endpoint`; `PreviewServer.notifyReload(paths:)` sends every open page the list of
/// changed paths, and each page reloads when its own path is in it (or any path that is not a
/// page, such as a stylesheet), restoring its scroll position afterwards.
///
/// A WebSocket rather than Server-Sent Events: browsers allow only six HTTP/1.1 connections
/// per host, and an event stream holds one for as long as its tab is open.
public enum LiveReload {
  public static let endpoint = "/__noterun/livereload"

  /// The JavaScript (not wrapped in `<script>`) that a page includes in watch mode.
  public static let script = EmbeddedFiles.text("Watch/livereload.js")

  /// What the server sends: `{"reload":["notes/intro.html"]}`, paths relative to the output
  /// folder without a leading slash.
  struct Message: Codable, Equatable {
    var reload: [String]
  }
}
