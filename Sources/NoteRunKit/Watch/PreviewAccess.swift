/// Who may talk to the preview server. A browser sends the name it resolved in `Host`, so a
/// web site that rebinds its own name to 127.0.0.1 (DNS rebinding) still sends its own name:
/// only the server's own names are served, `127.0.0.1`, `localhost`, `[::1]` and the
/// `--host` given, each with the port the server listens on. The live-reload socket, which a
/// page of any origin may open, is upgraded only for a page the server itself served: its
/// `Origin` is `http://` and one of those names.
struct PreviewAccess: Sendable {
  let hosts: Set<String>

  init(host: String, port: UInt16) {
    let given = host.contains(":") ? "[\(host.lowercased())]" : host.lowercased()
    hosts = Set(["127.0.0.1", "localhost", "[::1]", given].map { "\($0):\(port)" })
  }

  /// `Host` as sent; names are case-insensitive, a trailing dot (`localhost.`) is not ours.
  func allows(host: String) -> Bool {
    hosts.contains(host.lowercased())
  }

  func allows(origin: String) -> Bool {
    let lowered = origin.lowercased()
    return lowered.hasPrefix("http://") && hosts.contains(String(lowered.dropFirst("http://".count)))
  }
}
