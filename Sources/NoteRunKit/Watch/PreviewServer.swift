import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// Serves the output folder over HTTP on a local address while `noterun watch` runs, and
/// tells open pages to reload (see `LiveReload`). Only files under the folder are served.
public final class PreviewServer: Sendable {
  public struct Error: Swift.Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  private enum State {
    case idle
    case starting
    case running(server: HTTPServer, task: Task<Void, Never>)
    case stopped
  }

  public let root: String
  public let host: String
  public let port: UInt16
  private let state = Mutex(State.idle)
  private let clients = LiveReloadClients()

  /// `host` is an IPv4 or IPv6 address (or `localhost`); port 0 picks a free port.
  public init(root: String, host: String = "127.0.0.1", port: UInt16 = 0) {
    self.root = root
    self.host = host
    self.port = port
  }

  /// Listens and serves; returns the bound port. Throws when the folder does not exist or the
  /// address cannot be bound (e.g. the port is taken). A server starts once.
  public func start() async throws -> UInt16 {
    let isFirstStart = state.withLock { state in
      guard case .idle = state else { return false }
      state = .starting
      return true
    }
    guard isFirstStart else { throw Error(message: "the preview server was already started") }
    let server: HTTPServer
    do {
      server = HTTPServer(
        address: try Self.address(host: host, port: port), timeout: 15, logger: .disabled)
      await server.appendRoute(HTTPRoute("GET " + LiveReload.endpoint), to: .webSocket(clients))
      await server.appendRoute("GET *", to: OutputFolderHandler(folder: try OutputFolder(root)))
    } catch {
      state.withLock { $0 = .stopped }
      throw error
    }

    // `run()` throws at once when it cannot bind, but returns only when the server stops:
    // whichever of failing and listening comes first decides.
    let (outcomes, report) = AsyncStream.makeStream(of: Result<Void, any Swift.Error>.self)
    let task = Task {
      do { try await server.run() } catch { report.yield(.failure(error)) }
      report.finish()
    }
    let listening = Task {
      if (try? await server.waitUntilListening(timeout: 10)) != nil { report.yield(.success(())) }
    }
    var iterator = outcomes.makeAsyncIterator()
    let outcome = await iterator.next()
    listening.cancel()

    let isWanted = state.withLock { state in
      guard case .starting = state else { return false }
      state = .running(server: server, task: task)
      return true
    }
    guard case .success = outcome, isWanted, let bound = Self.port(of: await server.listeningAddress)
    else {
      if isWanted { state.withLock { $0 = .stopped } }
      clients.close()
      await server.stop()
      await task.value
      if case .failure(let error) = outcome {
        throw Error(message: "cannot serve on \(host):\(port): \(error.localizedDescription)")
      }
      throw Error(message: "cannot serve on \(host):\(port)")
    }
    return bound
  }

  /// Tells every open page that these files changed; each reloads when its own page is among
  /// them, or any file that is not a page (a stylesheet). Paths are relative to the root
  /// (`notes/intro.html`); a leading slash is ignored.
  public func notifyReload(paths: [String]) {
    clients.send(LiveReload.Message(reload: paths.map { String($0.drop { $0 == "/" }) }))
  }

  /// Says goodbye to the live-reload connections (pages then wait for a server to come back),
  /// closes the listening socket and every open connection, and waits for the server's tasks
  /// to end.
  public func stop() async {
    let previous = state.withLock { state in
      defer { state = .stopped }
      return state
    }
    guard case .running(let server, let task) = previous else { return }
    clients.close()
    // No grace period: on Linux, FlyingFox's accept loop does not notice its socket closing,
    // so a graceful stop always lasts its whole timeout. Cancelling ends every connection at
    // once; a page that misses the goodbye sees its socket close, which it treats the same.
    await server.stop(timeout: 0)
    await task.value
  }

  private static func port(of address: Socket.Address?) -> UInt16? {
    switch address {
    case .ip4(_, let port)?, .ip6(_, let port)?: port
    default: nil
    }
  }

  private static func address(host: String, port: UInt16) throws -> any SocketAddress {
    let literal = host == "localhost" ? "127.0.0.1" : host
    do {
      if literal.contains(":") { return try sockaddr_in6.inet6(ip6: literal, port: port) }
      return try sockaddr_in.inet(ip4: literal, port: port)
    } catch {
      throw Error(message: "not an IP address: \(host)")
    }
  }
}
