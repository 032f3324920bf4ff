import ArgumentParser
import NoteRunKit

@main
struct Noterun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "noterun",
    abstract: "Run the Python examples in Markdown study notes and turn them into checked HTML."
  )
}
