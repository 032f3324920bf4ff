import FlyingSocks
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One client of the preview server: requests one after another on a kept-alive connection,
/// or, after a WebSocket upgrade on the live-reload endpoint, that socket. Every wait has a
/// deadline and every buffer a bound (`PreviewServer.Limits`), so a slow, idle, greedy or
/// silent client costs one task, one descriptor and at most about 80 KiB until it is cut off.
struct HTTPConnection: Sendable {
  /// What every connection of one server shares.
  struct Settings: Sendable {
    let folder: OutputFolder
    let access: PreviewAccess
    let clients: LiveReloadClients
    let limits: PreviewServer.Limits
  }

  let socket: AsyncSocket
  let settings: Settings
  private var folder: OutputFolder { settings.folder }
  private var access: PreviewAccess { settings.access }
  private var clients: LiveReloadClients { settings.clients }
  private var limits: PreviewServer.Limits { settings.limits }

  /// The files a response streams are read and sent this many bytes at a time.
  static let chunkSize = 64 * 1024

  func serve() async {
    defer { try? socket.close() }
    let input = ConnectionInput(socket: socket)
    while !Task.isCancelled {
      let head: ArraySlice<UInt8>
      do {
        head = try await socket.within(limits.headTimeout) {
          try await input.head(lineLimit: limits.requestLine, headLimit: limits.head)
        }
      } catch ConnectionInput.HeadFailure.lineTooLong {
        return await refuse(414, "URI Too Long", input: input)
      } catch ConnectionInput.HeadFailure.headTooLarge {
        return await refuse(431, "Request Header Fields Too Large", input: input)
      } catch {
        return  // closed, reset, or too slow: nothing useful to say
      }
      guard let request = try? HTTPRequestHead.parse(head) else {
        return await refuse(400, "Bad Request", input: input)
      }
      guard let host = request.fields["host"] else { return await refuse(400, "Bad Request", input: input) }
      guard access.allows(host: host) else { return await refuse(421, "Misdirected Request", input: input) }
      // The preview takes no request bodies; one that came anyway cannot be skipped safely.
      guard request.fields["transfer-encoding"] == nil, (request.fields["content-length"] ?? "0") == "0"
      else {
        return await refuse(400, "Bad Request", input: input)
      }
      if request.path == LiveReload.endpoint { return await upgrade(request, input: input) }
      guard request.method == "GET" || request.method == "HEAD" else {
        return await refuse(405, "Method Not Allowed", input: input, fields: ["Allow: GET, HEAD"])
      }
      let keepOpen = !request.wantsClose
      guard await respond(to: request, keepOpen: keepOpen), keepOpen else { return }
    }
  }

  /// Sends a file, a redirect to a folder's slash, or 404. False when the connection must end.
  private func respond(to request: HTTPRequestHead, keepOpen: Bool) async -> Bool {
    let connection = keepOpen ? "keep-alive" : "close"
    switch folder.lookup(rawPath: request.path) {
    case .file(let path, let name):
      // Opened now and sent from the open file: a page the renderer replaces meanwhile
      // (by a rename) reaches this client whole, old or new.
      let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
      var status = stat()
      guard descriptor >= 0 else { return await send(status: 404, "Not Found", request, keepOpen: keepOpen) }
      defer { close(descriptor) }
      guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
        return await send(status: 404, "Not Found", request, keepOpen: keepOpen)
      }
      let size = Int(status.st_size)
      let head =
        "HTTP/1.1 200 OK\r\nContent-Type: \(ContentType.forFile(named: name))\r\nContent-Length: \(size)\r\n"
        + "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: \(connection)\r\n\r\n"
      guard (try? await write(Data(head.utf8))) != nil else { return false }
      guard request.method == "GET" else { return true }
      var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
      var sent = 0
      while sent < size {
        let count = read(descriptor, &chunk, min(chunk.count, size - sent))
        // A file cut short under us cannot make up its announced length: end the connection.
        guard count > 0, (try? await write(Data(chunk[..<count]))) != nil else { return false }
        sent += count
      }
      return true
    case .folder:
      return await send(
        status: 302, "Found", request, keepOpen: keepOpen, fields: ["Location: \(request.path)/"])
    case .missing:
      return await send(status: 404, "Not Found", request, keepOpen: keepOpen)
    }
  }

  /// A short plain-text answer naming its status; HEAD gets its head only.
  private func send(
    status: Int, _ reason: String, _ request: HTTPRequestHead, keepOpen: Bool, fields: [String] = []
  ) async -> Bool {
    let response = Self.plain(
      status, reason, fields: fields, close: !keepOpen, body: request.method != "HEAD")
    return (try? await write(response)) != nil
  }

  /// Answers with an error and closes. The client may still be sending (a huge header): its
  /// bytes are read and dropped for a moment after the answer, so that closing does not
  /// reset the connection before the client has read why.
  private func refuse(_ status: Int, _ reason: String, input: ConnectionInput, fields: [String] = []) async {
    guard (try? await write(Self.plain(status, reason, fields: fields, close: true, body: true))) != nil
    else { return }
    shutdown(socket.socket.file.rawValue, Int32(SHUT_WR))
    _ = try? await socket.within(.seconds(1)) {
      for _ in 0..<64 { _ = try await input.bytes(4096) }
    }
  }

  private static func plain(_ status: Int, _ reason: String, fields: [String], close: Bool, body: Bool)
    -> Data
  {
    let head = [
      "HTTP/1.1 \(status) \(reason)", "Content-Type: text/plain; charset=utf-8",
      "Content-Length: \(reason.utf8.count + 1)", "Connection: \(close ? "close" : "keep-alive")",
    ]
    return Data(((head + fields).joined(separator: "\r\n") + "\r\n\r\n" + (body ? reason + "\n" : "")).utf8)
  }

  /// The live-reload socket (RFC 6455): only a same-origin page may open it.
  private func upgrade(_ request: HTTPRequestHead, input: ConnectionInput) async {
    guard request.method == "GET",
      HTTPRequestHead.tokens(request.fields["upgrade"]).contains("websocket"),
      HTTPRequestHead.tokens(request.fields["connection"]).contains("upgrade")
    else { return await refuse(426, "Upgrade Required", input: input, fields: ["Upgrade: websocket"]) }
    guard request.fields["sec-websocket-version"] == "13",
      let accept = WebSocketFrame.accept(key: request.fields["sec-websocket-key"] ?? "")
    else { return await refuse(400, "Bad Request", input: input) }
    guard let origin = request.fields["origin"], access.allows(origin: origin) else {
      return await refuse(403, "Forbidden", input: input)
    }
    // Registered before the 101 goes out: a reload sent after the handshake reaches it.
    guard let (frames, queue) = clients.register() else {
      return await refuse(503, "Service Unavailable", input: input)
    }
    defer { queue.finish() }
    let head =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Accept: \(accept)\r\n\r\n"
    guard (try? await write(Data(head.utf8))) != nil else { return }
    await withTaskGroup(of: Bool.self) { group in
      // The page sends only pings, pongs and a close; anything else is read and dropped.
      group.addTask {
        do {
          while true {
            let frame = try await WebSocketFrame.read(from: input, limit: 4096)
            if frame.opcode == WebSocketFrame.close {
              queue.yield(.closing(1000))
              break
            }
            if frame.opcode == WebSocketFrame.ping {
              queue.yield(WebSocketFrame(opcode: WebSocketFrame.pong, payload: frame.payload))
            }
          }
        } catch let refused as WebSocketFrame.Refused {
          queue.yield(.closing(refused.code))
        } catch {}
        queue.finish()
        return false
      }
      // The only writer of the socket: broadcasts, pongs, and the closing frame last.
      group.addTask {
        for await frame in frames {
          guard (try? await write(frame.encoded)) != nil, frame.opcode != WebSocketFrame.close else { break }
        }
        return true
      }
      while let writerEnded = await group.next() {
        if writerEnded { group.cancelAll() }
      }
    }
  }

  /// Writes within the write deadline: a client that stops reading is cut off, not waited on.
  private func write(_ data: Data) async throws {
    try await socket.within(limits.writeTimeout) { try await socket.write(data) }
  }
}
