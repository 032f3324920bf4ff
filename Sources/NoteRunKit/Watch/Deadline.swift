import FlyingSocks
import Glibc

extension AsyncSocket {
  /// Runs one step of serving a client (reading a request head, sending a chunk) with a
  /// deadline: when it passes, the socket is shut down, which ends a read or write suspended
  /// on it at once (end of file, or an error). The timer runs on `ServerThread`, so it fires
  /// on time however busy Swift's cooperative pool is.
  func within<Value>(_ duration: Duration, _ step: () async throws -> Value) async throws -> Value {
    let descriptor = socket.file.rawValue
    let timer = ServerThread.shared.after(duration) { _ = shutdown(descriptor, Int32(SHUT_RDWR)) }
    defer { ServerThread.shared.cancel(timer) }
    return try await step()
  }
}
