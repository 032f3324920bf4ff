/// Why a Python kernel could not be found or started; `description` is what the user reads.
public struct KernelError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
