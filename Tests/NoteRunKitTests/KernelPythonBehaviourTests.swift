import Foundation
import Testing

@testable import NoteRunKit

// A note behaves as the same code does as a plain `python3` script, or, where a script has
// no answer (top-level await), as in Jupyter. Each test runs a real kernel and, where a
// script has an answer, holds the cells' output against that script.

/// What `code` prints (stdout then stderr) as a script run by the interpreter the kernel uses.
private func scriptOutput(_ code: String) throws -> String {
  let python = try Interpreter.resolve(
    requested: nil, frontMatter: nil, environment: ProcessInfo.processInfo.environment)
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-script-\(UUID())")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let script = folder.appendingPathComponent("script.py")
  try code.write(to: script, atomically: true, encoding: .utf8)
  let output = folder.appendingPathComponent("out")
  _ = FileManager.default.createFile(atPath: output.path, contents: nil)
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python.executable)
  process.arguments = [script.path]
  process.environment = ["TZ": "UTC", "PYTHONHASHSEED": "0"]
  let handle = try FileHandle(forWritingTo: output)
  process.standardOutput = handle
  process.standardError = handle
  try process.run()
  process.waitUntilExit()
  try handle.close()
  return try String(contentsOf: output, encoding: .utf8)
}

/// Runs a note whose display path is its real file on disk, as `noterun check` does.
private func runNoteOnDisk(_ markdown: String) throws -> NoteResult {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-disk-\(UUID())")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let url = folder.appendingPathComponent("n.md")
  try markdown.write(to: url, atomically: true, encoding: .utf8)
  let note = try NoteParser.parse(
    text: markdown, url: url, root: folder, displayPath: url.path, defaultLanguage: nil)
  return NoteRunner().run(note)
}

private let work = """
  import asyncio
  async def work(n):
      await asyncio.sleep(n)
      print("work", n, "done")
      return n
  """

@Test func createTaskAtTheTopOfAPlainCellRunsWhenALaterCellAwaits() throws {
  let result = try runNote(
    pythonNote([
      work,
      """
      task = asyncio.create_task(work(1))
      future = asyncio.ensure_future(work(2))
      print(asyncio.get_running_loop() is asyncio.get_event_loop(), task.done())
      """,
      "await future",
      "task.result()",
    ]))
  #expect(result.cells.map(\.status) == [.ok, .ok, .ok, .ok])
  #expect(result.cells[1].printed == "True False\n")
  #expect(result.cells[2].printed == "work 1 done\nwork 2 done\n2\n")
  #expect(result.cells.map(\.value) == [nil, nil, "2", "1"])
}

@Test func asyncioRunAndRunUntilCompleteStillWorkInPlainCells() throws {
  let code = """
    async def main():
        print(asyncio.current_task().get_name())
        return await work(1)
    print(asyncio.run(main()))
    """
  let result = try runNote(
    pythonNote([
      work, "background = asyncio.create_task(work(0))\n" + code,
      "loop = asyncio.get_event_loop()\nprint(loop.run_until_complete(work(3)), background.done())",
    ]))
  #expect(result.cells.map(\.status) == [.ok, .ok, .ok])
  // The background task takes no part in asyncio.run, whose loop is another one.
  #expect(result.cells[1].printed == "Task-2\nwork 1 done\n1\n")
  #expect(result.cells[2].printed == "work 0 done\nwork 3 done\n3 True\n")
  #expect(try scriptOutput(work + "\n" + code) == "Task-1\nwork 1 done\n1\n")
}

@Test func taskNamesUnderAsyncioRunAreAScriptsNames() throws {
  let code = """
    import asyncio
    async def child():
        print(asyncio.current_task().get_name())
    async def main():
        print(asyncio.current_task().get_name())
        await asyncio.gather(child(), child())
        await asyncio.create_task(child())
    asyncio.run(main())
    """
  let result = try runNote(pythonNote([code]))
  #expect(result.cells[0].status == .ok)
  #expect(result.cells[0].printed == (try scriptOutput(code)))
  #expect(result.cells[0].printed.hasPrefix("Task-1\n"))
}

@Test func aSyntaxErrorShowsTheOffendingLineOfTheNote() throws {
  let result = try runNoteOnDisk(
    pythonNote(["x = 1", "def f()\n    pass", "total = (1 +\n", ">>> print(1)"]))
  #expect(result.cells.map(\.status) == [.ok, .error, .error, .error])
  let texts = ["def f()", "total = (1 +", ">>> print(1)"]
  for (cell, text) in zip(result.cells.dropFirst(), texts) {
    let error = try #require(cell.error)
    let line = result.note.cells[cell.cell].codeLine
    #expect(error.type == "SyntaxError")
    #expect(error.line == line)
    #expect(error.traceback.hasPrefix("  File \"\(error.file ?? "")\", line \(line)\n    \(text)\n"))
  }
}

@Test func anExceptionWhoseStrRaisesKeepsTheKernel() throws {
  let result = try runNote(
    pythonNote([
      "x = 1",
      "class E(Exception):\n    def __str__(self): raise ValueError\n    def __repr__(self): raise ValueError\nraise E()",
      "E()", "x",
    ]))
  #expect(result.cells.map(\.status) == [.ok, .error, .error, .ok])
  #expect(result.cells[1].error?.type == "E")
  #expect(result.cells[3].value == "1")
  #expect(!result.cells[3].freshKernel)
}

@Test func theVirtualClockIsOneStoryAndDatetimeKeepsItsType() throws {
  let result = try runNote(
    pythonNote([
      """
      import asyncio, time
      from datetime import datetime, date
      print(type(datetime.now()) is datetime, type(date.today()) is date, type(datetime.now().date()) is date)
      def blocking_io():
          print(f"start blocking_io at {time.strftime('%X')}")
      async def main():
          await asyncio.sleep(16)
          print(f"started main at {time.strftime('%X')}")
          await asyncio.to_thread(blocking_io)
      asyncio.run(main())
      """
    ]))
  #expect(
    result.cells[0].printed == "True True True\nstarted main at 00:00:16\nstart blocking_io at 00:00:16\n")
}

@Test func matchIsPythonsReSearchInsideTheCellsTimeLimit() throws {
  let result = try runNote(
    pythonNote(
      [
        "x = 1\nraise ValueError('bad value 42')", "raise ValueError('bad value 42')",
        "raise ValueError('a' * 40 + '!')", "x",
      ],
      info: [
        0: #"raises=ValueError match="value \d+$""#, 1: #"raises=ValueError match="^value""#,
        2: #"raises=ValueError match="^(a+)+$" timeout=1"#,
      ]))
  #expect(result.cells.map(\.status) == [.expectedError, .error, .timedOut, .ok])
  // The kernel judges, check words it.
  #expect(
    NoteCheck(result).cells[1].verdict.reason.words.sentence.hasSuffix(
      ", expected ValueError matching \"^value\""))
  // The catastrophic pattern cost the cell its time limit, not the kernel: x is still there.
  #expect(result.cells[3].value == "1")
  #expect(!result.cells[3].freshKernel)
}
