import ArgumentParser
import Foundation
import NoteRunKit

struct WatchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Render, serve the pages on 127.0.0.1, and re-render and reload on every save.")

  @Argument(help: "Notes: Markdown files, or folders searched for *.md.")
  var paths: [String] = ["Notes"]

  @Option(name: .shortAndLong, help: "The folder pages are written to and served from.")
  var output = "output"

  @Option(help: "Address to serve on; keep it on loopback unless you mean to share.")
  var host = "127.0.0.1"

  @Option(help: "Port to serve on (0: any free port).")
  var port: UInt16 = 3000

  @Flag(help: "Show wall-clock times on pages.")
  var timings = false

  @OptionGroup var options: RunOptions

  func run() async throws {
    Interruption.install()
    _ = try options.noteFiles(paths)
    let session = PreviewSession(
      paths: paths, output: URL(fileURLWithPath: output), batch: options.batch, host: host, port: port,
      timings: timings,
      log: { Terminal.progress($0) })
    let url: String
    do {
      url = try await session.start()
    } catch {
      Terminal.error(Terminal.describe(error))
      throw ExitCode(2)
    }
    Terminal.progress("serving \(output) at \(url)  (Ctrl-C to stop)")
    await session.run()
  }
}
