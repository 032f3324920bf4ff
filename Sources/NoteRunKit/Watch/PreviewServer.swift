import FlyingSocks
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Serves the output folder over HTTP on a local address while `noterun watch` runs, and
/// tells open pages to reload (see `LiveReload`). Only files under the folder are served,
/// only to requests that name this server (`PreviewAccess`), with GET and HEAD.
///
/// HTTP/1.1 is spoken here on FlyingSocks' non-blocking sockets rather than through an HTTP
/// library: the preview needs two routes, and what it must guarantee is in the limits a
/// library would hide (see `Limits`, `HTTPConnection`).
public final class PreviewServer: Sendable {
  public struct Error: Swift.Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }

  /// What one client may cost. Browsers send heads of a few hundred bytes; a head over these
  /// limits is refused (414, 431) after reading no more than the limit.
  public struct Limits: Sendable {
    /// The longest request line (method, target, version).
    public var requestLine = 8 * 1024
    /// The longest request head, line and header fields together.
    public var head = 16 * 1024
    /// How long a client may take to send a whole request head, from the connection or the
    /// end of the previous response: a slow or idle connection is closed after it.
    public var headTimeout: Duration = .seconds(10)
    /// How long a client may take to accept each chunk (64 KiB) of a response or each
    /// live-reload message: a client that stops reading is closed after it.
    public var writeTimeout: Duration = .seconds(30)

    public init() {}
  }

  private enum State {
    case idle
    case starting
    case running(task: Task<Void, Never>)
    case stopped
  }

  public let root: String
  public let host: String
  public let port: UInt16
  public let limits: Limits
  private let log: @Sendable (String) -> Void
  private let state = Mutex(State.idle)
  private let clients = LiveReloadClients()

  /// `host` is an IPv4 or IPv6 address (or `localhost`); port 0 picks a free port. `log`
  /// hears of trouble the server rides out (running out of file descriptors).
  public init(
    root: String, host: String = "127.0.0.1", port: UInt16 = 0, limits: Limits = Limits(),
    log: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.root = root
    self.host = host
    self.port = port
    self.limits = limits
    self.log = log
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
    let folder: OutputFolder
    let listener: Socket
    let bound: UInt16
    let pool = SocketPool.make()
    do {
      folder = try OutputFolder(root)
      (listener, bound) = try Self.listen(host: host, port: port)
      try await pool.prepare()
    } catch {
      state.withLock { $0 = .stopped }
      throw error
    }
    let connection = HTTPConnection.Settings(
      folder: folder, access: PreviewAccess(host: host, port: bound), clients: clients, limits: limits)
    let log = log
    let task = Task(executorPreference: ServerThread.shared) {
      await withDiscardingTaskGroup { group in
        group.addTask { try? await pool.run() }
        await Self.accept(on: listener, pool: pool, log: log) { socket in
          group.addTask { await HTTPConnection(socket: socket, settings: connection).serve() }
        }
      }
      try? listener.close()
    }
    let isWanted = state.withLock { state in
      guard case .starting = state else { return false }
      state = .running(task: task)
      return true
    }
    guard isWanted else {
      task.cancel()
      await task.value
      throw Error(message: "the preview server was stopped while starting")
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
  /// closes the listening socket and every open connection, and waits for their tasks to end.
  /// A page that misses the goodbye sees its socket close, which it treats the same.
  public func stop() async {
    let previous = state.withLock { state in
      defer { state = .stopped }
      return state
    }
    guard case .running(let task) = previous else { return }
    clients.close()
    task.cancel()
    await task.value
  }

  /// Accepts connections until cancelled. A full descriptor table (EMFILE, ENFILE) or a lack
  /// of memory does not end the loop: the pending connection waits in the backlog while the
  /// loop pauses, then accepting resumes, as open connections end or time out.
  private static func accept(
    on listener: Socket, pool: some AsyncSocketPool, log: @Sendable (String) -> Void,
    _ serve: (AsyncSocket) -> Void
  ) async {
    var isShort = false
    while !Task.isCancelled {
      let descriptor = Glibc.accept(listener.file.rawValue, nil, nil)
      if descriptor >= 0 {
        isShort = false
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        if let socket = try? AsyncSocket(socket: Socket(file: .init(rawValue: descriptor)), pool: pool) {
          serve(socket)
        } else {
          close(descriptor)
        }
        continue
      }
      switch errno {
      case EAGAIN, EWOULDBLOCK:
        if (try? await pool.suspendSocket(listener, untilReadyFor: .read)) == nil {
          try? await Task.sleep(for: .milliseconds(10))
        }
      case EINTR, ECONNABORTED, EPROTO:
        continue
      default:
        if !isShort {
          log("preview server: cannot accept a connection (\(String(cString: strerror(errno)))); retrying")
          isShort = true
        }
        try? await Task.sleep(for: .milliseconds(100))
      }
    }
  }

  private static func listen(host: String, port: UInt16) throws -> (Socket, UInt16) {
    let literal = host == "localhost" ? "127.0.0.1" : host
    let address: any SocketAddress
    do {
      address =
        literal.contains(":")
        ? try sockaddr_in6.inet6(ip6: literal, port: port) : try sockaddr_in.inet(ip4: literal, port: port)
    } catch {
      throw Error(message: "not an IP address: \(host)")
    }
    do {
      let socket = try Socket(domain: Int32(type(of: address).family), type: .stream)
      _ = fcntl(socket.file.rawValue, F_SETFD, FD_CLOEXEC)
      do {
        try socket.setValue(true, for: .localAddressReuse)
        try socket.setFlags(.nonBlocking)
        try socket.bind(to: address)
        try socket.listen()
        switch try socket.sockname() {
        case .ip4(_, let bound), .ip6(_, let bound): return (socket, bound)
        case .unix: throw Error(message: "not an IP address: \(host)")
        }
      } catch {
        try? socket.close()
        throw error
      }
    } catch let error as Error {
      throw error
    } catch {
      throw Error(message: "cannot serve on \(host):\(port): \(error)")
    }
  }
}
