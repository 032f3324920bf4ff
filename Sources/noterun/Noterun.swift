import ArgumentParser
import NoteRunKit

@main
struct Noterun: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "noterun",
    abstract: "Run the Python examples in Markdown study notes and turn them into checked HTML.",
    subcommands: [RenderCommand.self, CheckCommand.self, WatchCommand.self, TraceCommand.self]
  )
}
