/// A problem with a note, at a line of a file: what the user reads is `file:line: message`.
public struct NoteError: Error, Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var message: String

  public init(file: String, line: Int, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String { "\(file):\(line): \(message)" }
}
