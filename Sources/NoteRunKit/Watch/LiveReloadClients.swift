import FlyingFox
import Foundation
import Synchronization

/// The open live-reload connections, for `PreviewServer` to broadcast to.
final class LiveReloadClients: WSMessageHandler {
  private struct State {
    var clients: [UUID: AsyncStream<WSMessage>.Continuation] = [:]
    var isClosed = false
  }

  private let state = Mutex(State())

  func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
    let (messages, continuation) = AsyncStream.makeStream(of: WSMessage.self)
    let id = UUID()
    // Ends when the page goes away (FlyingFox stops reading `messages`) or on `close()`.
    continuation.onTermination = { [weak self] _ in
      self?.state.withLock { _ = $0.clients.removeValue(forKey: id) }
    }
    let isOpen = state.withLock { state in
      if !state.isClosed { state.clients[id] = continuation }
      return !state.isClosed
    }
    if !isOpen {
      continuation.yield(.close(.goingAway))
      continuation.finish()
    }
    return messages
  }

  func send(_ message: LiveReload.Message) {
    guard let json = try? JSONEncoder().encode(message) else { return }
    let text = String(decoding: json, as: UTF8.self)
    state.withLock { state in
      for client in state.clients.values { client.yield(.text(text)) }
    }
  }

  /// Says goodbye to every page (they will try to reconnect) and refuses new ones.
  func close() {
    let clients = state.withLock { state in
      state.isClosed = true
      defer { state.clients = [:] }
      return state.clients.values
    }
    for client in clients {
      client.yield(.close(.goingAway))
      client.finish()
    }
  }
}
