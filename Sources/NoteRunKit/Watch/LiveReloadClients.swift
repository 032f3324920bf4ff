import Foundation
import Synchronization

/// The open live-reload connections, for `PreviewServer` to broadcast to. Each page has a
/// queue of frames to send that keeps only the newest few: a page that stops reading holds
/// a bounded amount of memory, and a reload is all a late page needs to see.
final class LiveReloadClients: Sendable {
  typealias Frames = AsyncStream<WebSocketFrame>

  private struct State {
    var clients: [UInt64: Frames.Continuation] = [:]
    var nextID: UInt64 = 0
    var isClosed = false
  }

  private let state = Mutex(State())

  /// A new page's queue, already receiving broadcasts; nil once the server is closing.
  func register() -> (frames: Frames, queue: Frames.Continuation)? {
    let (frames, queue) = Frames.makeStream(bufferingPolicy: .bufferingNewest(16))
    let id = state.withLock { state -> UInt64? in
      guard !state.isClosed else { return nil }
      defer { state.nextID += 1 }
      state.clients[state.nextID] = queue
      return state.nextID
    }
    guard let id else { return nil }
    queue.onTermination = { [weak self] _ in
      self?.state.withLock { _ = $0.clients.removeValue(forKey: id) }
    }
    return (frames, queue)
  }

  func send(_ message: LiveReload.Message) {
    guard let json = try? JSONEncoder().encode(message) else { return }
    let frame = WebSocketFrame(opcode: WebSocketFrame.text, payload: Array(json))
    state.withLock { state in
      for client in state.clients.values { client.yield(frame) }
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
      client.yield(.closing(1001))
      client.finish()
    }
  }
}
