import Foundation
import Testing

@testable import NoteRunKit

/// Parses `text` as the note `name` in `folder`, shown as `Notes/<name>`.
private func parse(_ text: String, in folder: ScratchFolder, name: String = "n.md") throws -> Note {
  try folder.write(name, text)
  return try NoteParser.parse(
    file: folder.file(name), root: folder.url, displayPath: "Notes/\(name)", defaultLanguage: nil)
}

/// A note of three cells, the last one including `inc.py`, with an output block.
private func threeCells(
  prose: String = "Some prose.", first: String = "a = 1", second: String = "b = a + 1",
  options: String = "", expected: String = "1"
) -> String {
  """
  # Keys

  \(prose)

  ```python
  \(first)
  ```

  ```python \(options)
  \(second)
  ```

  ```python
  {{#include inc.py}}
  print(X)
  ```

  ```output
  \(expected)
  ```
  """
}

@Test func cellKeysFollowCodeOptionsIncludesEarlierCellsAndTheInterpreter() throws {
  let folder = try ScratchFolder("cache-keys")
  func keys(_ text: String, include: String = "X = 1\n", environment: String = "python A") throws -> [String]
  {
    try folder.write("inc.py", include)
    return CellCache.keys(for: try parse(text, in: folder), environment: environment, last: nil).map(\.text)
  }
  let base = try keys(threeCells())
  func changed(_ other: [String]) -> [Bool] { zip(base, other).map { $0 != $1 } }

  #expect(changed(try keys(threeCells(second: "b = a + 2"))) == [false, true, true])
  #expect(changed(try keys(threeCells(options: "timeout=5"))) == [false, true, true])
  #expect(changed(try keys(threeCells(), include: "X = 2\n")) == [false, false, true])
  #expect(changed(try keys(threeCells(first: "a = 0"))) == [true, true, true])
  #expect(changed(try keys(threeCells(), environment: "python B")) == [true, true, true])
  // What does not change what a cell does keeps every key: prose, lines moving, the
  // expected output, the order options are written in.
  #expect(changed(try keys(threeCells(prose: "Other\n\nprose,\nlonger."))) == [false, false, false])
  #expect(changed(try keys(threeCells(expected: "2"))) == [false, false, false])
  #expect(
    try keys(threeCells(options: "timeout=5 trace=off")) == keys(threeCells(options: "trace=off timeout=5")))
}

@Test func aProseEditRunsNoCellAndShowsTheSameResults() throws {
  let folder = try ScratchFolder("cache-prose")
  let runs = folder.file("runs.log")
  func note(_ prose: String) -> String {
    "# P\n\n\(prose)\n\n```python\n\(appendLine("c1", to: runs))\nprint('one')\n```\n\n"
      + "```python\n\(appendLine("c2", to: runs))\nprint('two')\n```\n"
  }
  let runner = NoteRunner(cache: CellCache(folder: folder.file("cache")))
  let first = runner.run(try parse(note("First words."), in: folder))
  #expect(first.cachedCells == 0)
  #expect(first.cells.map(\.printed) == ["one\n", "two\n"])

  let second = runner.run(try parse(note("Other words, same lines."), in: folder))
  #expect(second.cachedCells == 2)
  #expect(second.cells == first.cells)
  #expect(lines(of: runs) == ["c1", "c2"])
}

@Test func anEditToACellRerunsItAndTheCellsAfterItInAReplayedKernel() throws {
  let folder = try ScratchFolder("cache-cell")
  let runs = folder.file("runs.log")
  func note(_ second: String) -> String {
    """
    # C

    ```python
    import os
    \(appendLine("c1", to: runs))
    state = "from c1"
    print("first-" + os.urandom(6).hex())
    ```

    ```python
    \(appendLine("c2", to: runs))
    print(\(second), state)
    ```

    ```python
    \(appendLine("c3", to: runs))
    print("third-" + os.urandom(6).hex())
    ```
    """
  }
  let runner = NoteRunner(cache: CellCache(folder: folder.file("cache")))
  let first = runner.run(try parse(note("'two'"), in: folder))
  #expect(NoteCheck(first).counts.failed == 0)
  let second = runner.run(try parse(note("'TWO'"), in: folder))

  #expect(second.cachedCells == 1)
  #expect(second.cells[0] == first.cells[0], "cell 1 shows its cached result")
  // Cell 2 sees the state cell 1 built: the kernel replayed cell 1 before it.
  #expect(second.cells[1].printed == "TWO from c1\n")
  #expect(second.cells[2].printed != first.cells[2].printed, "cell 3 ran again")
  #expect(lines(of: runs) == ["c1", "c2", "c3", "c1", "c2", "c3"])
}

@Test func cellsMovedByALineShiftKeepTheirResultsWithReferencesMoved() throws {
  let folder = try ScratchFolder("cache-shift")
  let runs = folder.file("runs.log")
  func note(top: String, between: String) -> String {
    """
    # Shift
    \(top)
    ```python
    import asyncio, traceback, warnings
    \(appendLine("c1", to: runs))
    def boom():
        raise ValueError("bad")
    ```
    \(between)
    ```python
    \(appendLine("c2", to: runs))
    async def worker(event):
        await event.wait()
        boom()
    event = asyncio.Event()
    task = asyncio.create_task(worker(event), name="worker")
    await asyncio.sleep(1)
    event.set()
    await asyncio.gather(task)
    ```
    \(between)
    ```python
    \(appendLine("c3", to: runs))
    warnings.warn("careful")
    try:
        boom()
    except ValueError:
        traceback.print_exc()
    ```
    """
  }
  let cache = CellCache(folder: folder.file("cache"))
  let before = NoteRunner(cache: cache).run(try parse(note(top: "", between: ""), in: folder))
  let shiftedNote = try parse(note(top: "\nA new\nparagraph.\n", between: "\nMore.\n"), in: folder)
  let shifted = NoteRunner(cache: cache).run(shiftedNote)
  #expect(shifted.cachedCells == 3)
  #expect(lines(of: runs) == ["c1", "c2", "c3"])

  // The cached results, moved, are what running the shifted note gives.
  let fresh = NoteRunner().run(shiftedNote)
  func timeless(_ result: NoteResult) -> [CellResult] {
    result.cells.map { cell in
      var cell = cell
      cell.seconds = 0
      return cell
    }
  }
  #expect(timeless(shifted) == timeless(fresh))
  #expect(
    shifted.cells[1].error?.line == before.cells[1].error!.line! + 3, "boom moved with the paragraph on top")
  #expect(shifted.cells[1].trace?.tasks.contains { $0.origin?.hasPrefix("Notes/n.md:") == true } == true)
  #expect(shifted.cells[1].trace?.events.contains { $0.wake?.at?.hasPrefix("Notes/n.md:") == true } == true)
  #expect(shifted.cells[2].printed.contains("Notes/n.md:"))
  #expect(shifted.cells[2].printed != before.cells[2].printed)
}

@Test func relocationMovesOnlyReferencesToTheNote() {
  let result = CellResult(
    cell: 0, status: .error,
    outputs: [
      OutputChunk(
        stream: .stderr,
        text:
          "Notes/n.md:3: UserWarning\nsub/Notes/n.md:3 xNotes/n.md:3\n  File \"Notes/n.md\", line 4, in f\n")
    ],
    error: CellError(
      type: "E", mro: ["E"], message: "m",
      traceback: "  File \"Notes/n.md\", line 4, in f\n  File \"lib.py\", line 4, in g\n", file: "Notes/n.md",
      line: 4),
    trace: Trace(
      clock: .virtual, end: 0,
      tasks: [
        TraceTask(id: 1, name: "t", coroutine: "f", parent: nil, created: 0, origin: "Notes/n.md:5", end: nil)
      ],
      events: [
        TraceEvent(
          time: 0, task: 1, kind: .suspend, what: "sleep(1)",
          chain: [
            ChainFrame(function: "f", origin: "Notes/n.md:6"), ChainFrame(function: "g", origin: "lib.py:6"),
          ]),
        TraceEvent(time: 0, task: 1, kind: .print, text: "at Notes/n.md:7\n", stream: .stdout),
      ],
      waiting: [
        WaitingTask(task: 1, what: "Event.wait()", chain: [ChainFrame(function: "f", origin: "Notes/n.md:8")])
      ]
    ))
  let moved = result.relocated(in: "Notes/n.md") { $0 + 10 }
  #expect(
    moved.outputs[0].text
      == "Notes/n.md:13: UserWarning\nsub/Notes/n.md:3 xNotes/n.md:3\n  File \"Notes/n.md\", line 14, in f\n")
  #expect(moved.error?.traceback == "  File \"Notes/n.md\", line 14, in f\n  File \"lib.py\", line 4, in g\n")
  #expect(moved.error?.line == 14)
  #expect(moved.trace?.tasks[0].origin == "Notes/n.md:15")
  #expect(moved.trace?.events[0].chain?.map { $0.origin } == ["Notes/n.md:16", "lib.py:6"])
  #expect(moved.trace?.events[1].text == "at Notes/n.md:17\n")
  #expect(moved.trace?.waiting[0].chain[0].origin == "Notes/n.md:18")
}

@Test func anEntryWhoseKeyTextDiffersIsNotUsed() throws {
  let folder = try ScratchFolder("cache-collision")
  let cache = CellCache(folder: folder.file("cache"))
  let old = try parse("```python\nprint('old')\n```\n", in: folder, name: "old.md")
  let new = try parse("```python\nprint('new')\n```\n", in: folder, name: "new.md")
  let oldKey = CellCache.keys(for: old, environment: "env", last: nil)[0]
  let newKey = CellCache.keys(for: new, environment: "env", last: nil)[0]
  let stored = CellResult(cell: 0, status: .ok, outputs: [OutputChunk(stream: .stdout, text: "old\n")])
  cache.store(stored, for: oldKey, in: old, cell: 0)
  #expect(cache.result(for: oldKey, in: old, cell: 0) == stored)

  // The old entry under the new key's file name, as if the two digests collided.
  func entry(_ key: CellKey) -> URL {
    folder.file("cache").appendingPathComponent(String(key.digest.prefix(2)))
      .appendingPathComponent("\(key.digest).json")
  }
  try FileManager.default.createDirectory(
    at: entry(newKey).deletingLastPathComponent(), withIntermediateDirectories: true)
  try FileManager.default.copyItem(at: entry(oldKey), to: entry(newKey))
  #expect(cache.result(for: newKey, in: new, cell: 0) == nil)

  // Nor is an entry that cannot be read.
  try Data("{not json".utf8).write(to: entry(oldKey))
  #expect(cache.result(for: oldKey, in: old, cell: 0) == nil)
}

@Test func anotherInterpreterRunsTheCellsAgain() throws {
  let folder = try ScratchFolder("cache-python")
  let runs = folder.file("runs.log")
  let note = try parse("```python\n\(appendLine("c1", to: runs))\n```\n", in: folder)
  let python = try Interpreter.resolve(
    requested: nil, frontMatter: nil, environment: ProcessInfo.processInfo.environment)
  // Python reports the path it was started by as its executable: a link is another interpreter.
  let link = folder.file("other/python3")
  try FileManager.default.createDirectory(
    at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
  try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: python.executable)
  let cache = CellCache(folder: folder.file("cache"))

  _ = NoteRunner(cache: cache).run(note)
  _ = NoteRunner(cache: cache).run(note)
  #expect(lines(of: runs) == ["c1"])
  let other = NoteRunner(settings: RunSettings(python: link.path), cache: cache).run(note)
  #expect(other.cachedCells == 0)
  #expect(lines(of: runs) == ["c1", "c1"])
}

@Test func withoutACacheEveryCellRunsEveryTime() throws {
  let folder = try ScratchFolder("cache-none")
  let runs = folder.file("runs.log")
  let note = try parse("```python\n\(appendLine("c1", to: runs))\n```\n", in: folder)
  _ = NoteRunner(cache: nil).run(note)
  let second = NoteRunner(cache: nil).run(note)
  #expect(second.cachedCells == 0)
  #expect(lines(of: runs) == ["c1", "c1"])
}

@Test func aTimedOutCellIsNotKept() throws {
  let folder = try ScratchFolder("cache-timeout")
  let runs = folder.file("runs.log")
  let note = try parse(
    "```python clock=real timeout=0.5\n\(appendLine("slow", to: runs))\nimport time\ntime.sleep(10)\n```\n",
    in: folder)
  let cache = CellCache(folder: folder.file("cache"))
  #expect(NoteRunner(cache: cache).run(note).cells[0].status == .timedOut)
  #expect(NoteRunner(cache: cache).run(note).cachedCells == 0)
  #expect(lines(of: runs) == ["slow", "slow"])
}
