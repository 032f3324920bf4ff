import ArgumentParser
import NoteRunKit

@main
struct Noterun: AsyncParsableCommand {
  /// Raised by hand on a release; `--version` prints it.
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "noterun",
    abstract: "Run the Python examples in Markdown study notes and turn them into checked HTML.",
    version: "noterun \(version)",
    subcommands: [RenderCommand.self, CheckCommand.self, WatchCommand.self, TraceCommand.self]
  )
}
