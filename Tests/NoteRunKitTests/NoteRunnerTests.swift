import Foundation
import Testing

@testable import NoteRunKit

/// A note in a fresh temporary folder with one ```python fence per code string. Its display
/// path is `Notes/x.md`, as the CLI would show it, not where it lies.
func kernelTestNote(
  _ codes: [String], options: [Int: CellOptions] = [:], frontMatter: FrontMatter = FrontMatter()
) throws -> Note {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-kernel-\(UUID())")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  var lines = ["# Test", ""]
  var cells: [Cell] = []
  for (index, code) in codes.enumerated() {
    let text = code.hasSuffix("\n") ? code : code + "\n"
    let codeLines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let fence = lines.count + 1
    lines += ["```python"] + codeLines + ["```", ""]
    let codeLine = fence + 1
    cells.append(
      Cell(
        index: index, line: fence, codeLine: codeLine, endLine: codeLine + codeLines.count, isClosed: true,
        info: "python", source: text, sourceLines: Array(codeLine..<codeLine + codeLines.count),
        segments: [SourceSegment(file: "Notes/x.md", line: codeLine, text: text)],
        options: options[index] ?? CellOptions(), expected: nil,
        fence: Fence(character: "`", length: 3, prefix: "")))
  }
  let source = lines.joined(separator: "\n") + "\n"
  let url = folder.appendingPathComponent("x.md")
  try source.write(to: url, atomically: true, encoding: .utf8)
  return Note(
    file: "Notes/x.md", url: url, root: folder, source: source, markdown: source, frontMatter: frontMatter,
    title: "Test", cells: cells, codeBlocks: cells.map { CodeBlock(role: .cell($0.index), line: $0.line) })
}

func cellOptions(_ configure: (inout CellOptions) -> Void) -> CellOptions {
  var options = CellOptions()
  configure(&options)
  return options
}

func runCells(
  _ codes: [String], options: [Int: CellOptions] = [:], settings: RunSettings = RunSettings()
) throws -> NoteResult {
  NoteRunner(settings: settings).run(try kernelTestNote(codes, options: options))
}

@Test func cellsShareOneNamespaceAndShowTheTrailingValue() throws {
  let result = try runCells(["x = 41", "x + 1", "None", "print('a')\nx", "y = [x]\ny.append(2)"])
  #expect(result.cells.map(\.status) == [.ok, .ok, .ok, .ok, .ok])
  #expect(result.cells.map(\.value) == [nil, "42", nil, "41", nil])
  #expect(result.cells[3].printed == "a\n41\n")
  #expect(result.python?.hasPrefix("3.") == true)
}

@Test func topLevelAwaitAndAsyncioRunWorkInOneNote() throws {
  let result = try runCells([
    "import asyncio\nasync def twice(n):\n    await asyncio.sleep(0.01)\n    return 2 * n\nasyncio.run(twice(1))",
    "await twice(2)",
    "async def rows():\n    for i in range(2):\n        yield i\n[row async for row in rows()]",
    "asyncio.run(twice(3))",
  ])
  #expect(result.cells.map(\.status) == [.ok, .ok, .ok, .ok])
  #expect(result.cells.map(\.value) == ["2", "4", "[0, 1]", "6"])
}

@Test func aTaskOutlivesItsCellAndPrintsDuringALaterOne() throws {
  let result = try runCells([
    """
    import asyncio
    async def ticker():
        await asyncio.sleep(0.05)
        print("tick")
    task = asyncio.ensure_future(ticker())
    await asyncio.sleep(0)
    """,
    "print('meanwhile')",
    "await asyncio.sleep(0.2)\ntask.done()",
  ])
  #expect(result.cells.map(\.status) == [.ok, .ok, .ok])
  #expect(result.cells[0].printed == "")
  #expect(result.cells[1].printed == "meanwhile\n")
  #expect(result.cells[2].printed == "tick\nTrue\n")
}

@Test func scriptDundersAndPathAreThoseOfTheNote() throws {
  let note = try kernelTestNote([
    "import sys\nprint(__name__, __file__, sys.argv)\nsys.path[0]",
    "if __name__ == '__main__':\n    print('as a script')",
  ])
  let result = NoteRunner().run(note)
  #expect(result.cells[0].outputs.map(\.text) == ["__main__ Notes/x.md ['Notes/x.md']\n"])
  #expect(result.cells[0].value == "'\(note.url.deletingLastPathComponent().path)'")
  #expect(result.cells[1].printed == "as a script\n")
}

@Test func stdoutAndStderrKeepTheirOrderAndDescriptorWritesAreCaptured() throws {
  let result = try runCells([
    "import os, sys, subprocess\nprint('1')\nprint('2', file=sys.stderr)\nos.write(1, b'3\\n')\nprint('4')\nsubprocess.run(['echo', '5'])\nos.write(2, b'6\\n')\nNone"
  ])
  let cell = result.cells[0]
  #expect(cell.outputs.map(\.stream) == [.stdout, .stderr, .stdout, .stderr])
  #expect(cell.outputs.map(\.text) == ["1\n", "2\n", "3\n4\n5\n", "6\n"])
}

@Test func norunCellsAreNotRunAndANoteWithoutRunnableCellsStartsNoKernel() throws {
  let skip = cellOptions { $0.run = false }
  let result = try runCells(["print('never')"], options: [0: skip])
  #expect(result.cells.map(\.status) == [.notRun])
  #expect(result.python == nil)
  let mixed = try runCells(["x = 1", "x = 2", "x"], options: [1: skip])
  #expect(mixed.cells.map(\.status) == [.ok, .notRun, .ok])
  #expect(mixed.cells[2].value == "1")
}

@Test func aMissingInterpreterFailsEveryRunnableCellWithOneMessage() throws {
  let settings = RunSettings(environment: ["PATH": "/nonexistent"])
  let result = try runCells(["1", "2"], options: [1: cellOptions { $0.run = false }], settings: settings)
  let message = "noterun: python3 not found (looked in PATH; set --python or NOTERUN_PYTHON)"
  #expect(result.kernelError == message)
  #expect(result.cells.map(\.status) == [.kernelDied, .notRun])
  #expect(result.cells[0].message == message)
}

@Test func aKernelThatCannotStartFailsEveryRunnableCellWithItsStderr() throws {
  let folder = try fakePython(version: "3.12.0", otherwise: "echo 'no kernel here' >&2\nexit 5")
  let result = try runCells(["1", "2"], settings: RunSettings(environment: ["PATH": folder]))
  let message = "noterun: the Python kernel did not start (exited with status 5)\nno kernel here"
  #expect(result.kernelError == message)
  #expect(result.cells.map(\.status) == [.kernelDied, .kernelDied])
  #expect(result.cells.allSatisfy { $0.message == message })
}

@Test func settingsPreferCellThenCommandLineThenFrontMatter() throws {
  var frontMatter = FrontMatter()
  frontMatter.timeout = 5
  frontMatter.clock = .real
  frontMatter.seed = 7
  let note = try kernelTestNote(
    ["1", "2"], options: [1: cellOptions { $0.timeout = 1 }], frontMatter: frontMatter)
  let fromNote = RunSettings()
  #expect(fromNote.timeout(for: note.cells[0], in: note) == 5)
  #expect(fromNote.clock(for: note.cells[0], in: note) == .real)
  #expect(fromNote.seed(for: note) == 7)
  let fromCommandLine = RunSettings(timeout: 9, clock: .virtual, seed: 3)
  #expect(fromCommandLine.timeout(for: note.cells[0], in: note) == 9)
  #expect(fromCommandLine.timeout(for: note.cells[1], in: note) == 1)
  #expect(fromCommandLine.clock(for: note.cells[0], in: note) == .virtual)
  #expect(fromCommandLine.seed(for: note) == 3)
  let defaults = try kernelTestNote(["1"])
  #expect(RunSettings().timeout(for: defaults.cells[0], in: defaults) == 30)
  #expect(RunSettings().clock(for: defaults.cells[0], in: defaults) == .virtual)
}

@Test func randomIsSeededPerNote() throws {
  let codes = ["import random\nrandom.random()"]
  let first = try runCells(codes, settings: RunSettings(seed: 1))
  let second = try runCells(codes, settings: RunSettings(seed: 1))
  let other = try runCells(codes, settings: RunSettings(seed: 2))
  #expect(first.cells[0].value != nil)
  #expect(first.cells[0].value == second.cells[0].value)
  #expect(first.cells[0].value != other.cells[0].value)
}
