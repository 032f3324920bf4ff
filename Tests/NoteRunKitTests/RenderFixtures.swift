import Foundation

@testable import NoteRunKit

/// Notes and results built by hand for the renderer's tests, independent of the parser and
/// the kernel: a fence whose info string starts with `python` is a cell (options `id=`,
/// `hide=`, `raises=`, `norun` after the word), an `output` fence right after a cell is its
/// expected output, anything else is another block.
enum RenderFixtures {
  static func note(
    _ markdown: String, file: String = "Notes/demo.md", title: String = "Demo",
    url: URL = URL(fileURLWithPath: "/notes/demo.md"), root: URL = URL(fileURLWithPath: "/notes")
  ) -> Note {
    var cells: [Cell] = []
    var blocks: [NoteRunKit.CodeBlock] = []
    var previousWasCell = false
    for block in Markdown.outline(markdown).codeBlocks {
      let words = block.info.split(separator: " ").map(String.init)
      let fence = Fence(character: block.fenceCharacter, length: block.fenceLength, prefix: "")
      if words.first == "python" {
        var options = CellOptions()
        for word in words.dropFirst() {
          let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
          switch parts[0] {
          case "id": options.id = parts[1]
          case "raises": options.raises = parts[1]
          case "norun": options.run = false
          case "hide":
            options.hide = Set(parts[1].split(separator: ",").compactMap { HiddenPart(rawValue: String($0)) })
          default: break
          }
        }
        let lineCount = block.literal.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let codeLine = block.startLine + 1
        cells.append(
          Cell(
            index: cells.count, line: block.startLine, codeLine: codeLine, endLine: block.endLine,
            isClosed: true, info: block.info, source: block.literal,
            sourceLines: Array(codeLine..<(codeLine + lineCount)),
            segments: [SourceSegment(file: file, line: codeLine, text: block.literal)], options: options,
            expected: nil, fence: fence))
        blocks.append(.init(role: .cell(cells.count - 1), line: block.startLine))
        previousWasCell = true
        continue
      }
      if words.first == "output", previousWasCell, block.followsPreviousCodeBlock {
        cells[cells.count - 1].expected = ExpectedOutput(
          line: block.startLine, endLine: block.endLine, isClosed: true, text: block.literal, fence: fence)
        blocks.append(.init(role: .expectedOutput(cell: cells.count - 1), line: block.startLine))
      } else {
        blocks.append(.init(role: .other(language: words.first), line: block.startLine))
      }
      previousWasCell = false
    }
    return Note(
      file: file, url: url, root: root, source: markdown, markdown: markdown, frontMatter: FrontMatter(),
      title: title, cells: cells, codeBlocks: blocks)
  }

  /// A note with one cell per status, background task output, a deadlock with waiting
  /// tasks, an expected-output block that matches and one that does not.
  static func richResult() -> NoteResult {
    let note = note(richMarkdown, title: "Running coroutines concurrently")
    let trace = Trace(
      clock: .virtual, end: 3,
      tasks: [
        TraceTask(id: 1, name: "main", coroutine: "main", parent: nil, created: 0, origin: nil, end: nil),
        TraceTask(
          id: 2, name: "worker-1", coroutine: "worker", parent: 1, created: 0, origin: "Notes/demo.md:14",
          end: TaskEnd(time: 1, state: .done, detail: "None")),
        TraceTask(
          id: 3, name: "worker-2", coroutine: "worker", parent: 1, created: 0, origin: "Notes/demo.md:14",
          end: TaskEnd(time: 3, state: .done, detail: "None")),
      ],
      events: [
        TraceEvent(time: 0, task: 2, kind: .create, origin: "Notes/demo.md:14"),
        TraceEvent(
          time: 0, task: 2, kind: .suspend, what: "sleep(1.0)",
          chain: [ChainFrame(function: "worker", origin: "Notes/demo.md:11")]),
        TraceEvent(time: 0, task: 3, kind: .print, text: "start 2\n", stream: .stdout),
        TraceEvent(time: 1, task: 2, kind: .resume),
        TraceEvent(time: 3, task: 3, kind: .end, text: "None"),
      ])
    let deadlockTrace = Trace(
      clock: .virtual, end: 0,
      tasks: [
        TraceTask(
          id: 7, name: "consumer", coroutine: "consume", parent: nil, created: 0, origin: nil, end: nil)
      ],
      events: [],
      waiting: [
        WaitingTask(
          task: 7, what: "Queue.get()",
          chain: [
            ChainFrame(function: "consume", origin: "Notes/demo.md:33"),
            ChainFrame(function: "Queue.get", origin: "queues.py:158", library: true),
          ])
      ])
    let cells = [
      CellResult(
        cell: 0, status: .ok,
        outputs: [
          OutputChunk(stream: .stdout, text: "start 1\n"),
          OutputChunk(stream: .stdout, text: "start 2\n", task: "worker-2"),
          OutputChunk(stream: .stderr, text: "warning: slow\n"),
          OutputChunk(stream: .stdout, text: "took 3.00 s\n"),
        ],
        value: "[1, 2]", trace: trace, seconds: 0.0042, clockSeconds: 3),
      CellResult(
        cell: 1, status: .error,
        error: CellError(
          type: "NameError", mro: ["NameError", "Exception"], message: "name 'y' is not defined",
          traceback:
            "Traceback (most recent call last):\n  File \"Notes/demo.md\", line 24, in <module>\n    print(y)\nNameError: name 'y' is not defined\n",
          file: "Notes/demo.md", line: 24), seconds: 0.001),
      CellResult(
        cell: 2, status: .expectedError,
        error: CellError(
          type: "ZeroDivisionError", mro: ["ZeroDivisionError", "ArithmeticError"],
          message: "division by zero",
          traceback: "ZeroDivisionError: division by zero\n", file: "Notes/demo.md", line: 28)),
      CellResult(
        cell: 3, status: .deadlock, trace: deadlockTrace, message: "deadlock: every task is waiting"),
      CellResult(
        cell: 4, status: .timedOut, outputs: [OutputChunk(stream: .stdout, text: "tick\n")],
        message: "timed out after 2 s", seconds: 2, clockSeconds: 2, droppedBytes: 123_456),
      CellResult(cell: 5, status: .kernelDied, message: "the kernel died (signal 9)", seconds: 0.01),
      CellResult(cell: 6, status: .missingError, freshKernel: true, seconds: 0.001),
      CellResult(cell: 7, status: .budget, message: "stopped after 1 h of virtual time", clockSeconds: 3600),
      CellResult(cell: 8, status: .notRun),
      CellResult(
        cell: 9, status: .ok, outputs: [OutputChunk(stream: .stdout, text: "hello\n")], seconds: 0.0002),
    ]
    return NoteResult(note: note, cells: cells, python: "3.12.1", seconds: 2.31)
  }

  static let richMarkdown = """
    # Running coroutines concurrently

    Tasks run **concurrently** on one event loop: while one awaits `asyncio.sleep`, the
    loop runs another. See [the next note](next.md) for queues.

    - `asyncio.create_task()` schedules a coroutine and returns at once;
    - `await asyncio.gather(*tasks)` waits for all of them.

    ```python id=gather
    import asyncio

    results = []

    async def worker(n):
        await asyncio.sleep(n)  # suspends
        return n

    t = [asyncio.create_task(worker(n), name=f"worker-{n}") for n in (1, 2)]
    print(f"start {1}")
    results = await asyncio.gather(*t)
    results
    ```

    ```output
    start 1
    start 2
    warning: slow
    took 3.00 s
    [1, 2]
    ```

    > A failing cell does not stop the note: later cells still run.

    | call | returns |
    | --- | --- |
    | `create_task` | a `Task` |
    | `gather` | a list of results |

    ```python
    print(y)
    ```

    ```python raises=ZeroDivisionError
    1 / 0
    ```

    ```python
    q = asyncio.Queue()
    async def consume():
        return await q.get()
    await consume()
    ```

    ```python
    while True:
        pass
    ```

    ```python
    import os; os._exit(1)
    ```

    ```python raises=ValueError
    int("3")
    ```

    ```python
    while True:
        await asyncio.sleep(1)
    ```

    ```python norun
    asyncio.run(main())
    ```

    ```python
    print("hello")
    ```

    ```output
    goodbye
    ```

    A demo that is not run:

    ```pycon
    >>> async def f(): return 1
    ```

    ```sh
    noterun render Notes
    ```

    """
}

extension PageRenderer {
  /// The page of `result` as the site writes it: judged by `check` first.
  func render(judging result: NoteResult, indexHref: String? = nil, liveReloadScript: String? = nil) -> String
  {
    render(result, check: NoteCheck(result), indexHref: indexHref, liveReloadScript: liveReloadScript)
  }
}

extension IndexRenderer {
  /// The index of `results` as the site writes it: each judged by `check` first.
  func render(judging results: [NoteResult], unreadable: [NoteError] = [], liveReloadScript: String? = nil)
    -> String
  {
    render(
      results, checks: results.map(NoteCheck.init), unreadable: unreadable, liveReloadScript: liveReloadScript
    )
  }
}
