import Foundation
import Testing

@testable import NoteRunKit

@Test func tracebackFramesReadNoteLines() throws {
  let note = try kernelTestNote([
    "def fail():\n    raise ValueError('boom')",
    "x = 1\nfail()",
    "import asyncio\nawait asyncio.sleep(0)\nfail()",
  ])
  let result = NoteRunner().run(note)
  let sync = try #require(result.cells[1].error)
  let defLine = note.cells[0].codeLine
  let callLine = note.cells[1].codeLine + 1
  #expect(sync.type == "ValueError")
  #expect(sync.mro == ["ValueError", "Exception", "BaseException", "object"])
  #expect(sync.message == "boom")
  #expect(sync.file == "Notes/x.md")
  #expect(sync.line == defLine + 1)
  // Carets under the code differ between Python versions; the frames do not.
  #expect(
    sync.traceback.hasPrefix(
      "Traceback (most recent call last):\n  File \"Notes/x.md\", line \(callLine), in <module>\n    fail()\n"
    ))
  #expect(
    sync.traceback.contains(
      "  File \"Notes/x.md\", line \(defLine + 1), in fail\n    raise ValueError('boom')\n"))
  #expect(sync.traceback.hasSuffix("ValueError: boom\n"))
  let async = try #require(result.cells[2].error)
  #expect(async.line == defLine + 1)
  #expect(!async.traceback.contains("_noterun_") && !async.traceback.contains("asyncio"))
  #expect(
    async.traceback.hasPrefix(
      "Traceback (most recent call last):\n  File \"Notes/x.md\", line \(note.cells[2].codeLine + 2), in <module>"
    ))
}

@Test func aSyntaxErrorPointsAtItsLine() throws {
  let note = try kernelTestNote(["x = 1\ny = (\n"])
  let error = try #require(NoteRunner().run(note).cells[0].error)
  #expect(error.type == "SyntaxError")
  #expect(error.file == "Notes/x.md")
  #expect(error.line == note.cells[0].codeLine + 1)
  #expect(error.traceback.hasPrefix("  File \"Notes/x.md\", line \(note.cells[0].codeLine + 1)\n    y = (\n"))
}

@Test func includedLinesKeepTheirOwnFileAndLine() throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-include-\(UUID())")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let helper = folder.appendingPathComponent("helper.py").path
  try "# helper\ndef lookup():\n    return {}['key']\n".write(
    toFile: helper, atomically: true, encoding: .utf8)
  var note = try kernelTestNote(["placeholder"])
  let line = note.cells[0].codeLine
  note.cells[0].segments = [
    SourceSegment(file: "Notes/x.md", line: line, text: "x = 1\n"),
    SourceSegment(file: helper, line: 1, text: "# helper\ndef lookup():\n    return {}['key']\n"),
    SourceSegment(file: "Notes/x.md", line: line + 2, text: "lookup()\n"),
  ]
  let error = try #require(NoteRunner().run(note).cells[0].error)
  #expect(error.type == "KeyError")
  #expect(error.file == helper)
  #expect(error.line == 3)
  #expect(error.traceback.contains("File \"Notes/x.md\", line \(line + 2), in <module>"))
  #expect(error.traceback.contains("File \"\(helper)\", line 3, in lookup\n    return {}['key']"))
}

@Test func sysExitEndsTheCellNotTheKernel() throws {
  let result = try runCells([
    "import sys\nx = 1\nsys.exit(0)", "sys.exit()", "sys.exit(3)", "raise KeyboardInterrupt", "x",
  ])
  #expect(result.cells.map(\.status) == [.ok, .ok, .error, .error, .ok])
  #expect(result.cells[2].error?.type == "SystemExit")
  #expect(result.cells[2].error?.message == "3")
  #expect(result.cells[3].error?.type == "KeyboardInterrupt")
  #expect(result.cells[4].value == "1")
  #expect(!result.cells[4].freshKernel)
}

@Test func aTimeoutInterruptsTheCellAndTheKernelStaysUsable() throws {
  let oneSecond = cellOptions { $0.timeout = 1 }
  let result = try runCells(
    [
      "x = 1", "while True:\n    pass", "x + 1",
      "try:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    while True:\n        pass",
      "x + 2",
    ],
    options: [1: oneSecond, 3: oneSecond])
  #expect(result.cells.map(\.status) == [.ok, .timedOut, .ok, .timedOut, .ok])
  #expect(result.cells[1].message == "timed out after 1 s")
  #expect(result.cells[1].error?.type == "KeyboardInterrupt")
  let loop = result.note.cells[1].codeLine
  #expect((loop...loop + 1).contains(result.cells[1].error?.line ?? 0))
  #expect(result.cells[2].value == "2")
  #expect(result.cells[4].value == "3")
  #expect(result.cells.allSatisfy { !$0.freshKernel })
}

@Test func timedOutAsyncCellsLeaveTheLoopUsable() throws {
  let realClock = cellOptions {
    $0.timeout = 1
    $0.clock = .real
  }
  let result = try runCells(
    [
      "import asyncio\nwhile True:\n    await asyncio.sleep(0)",
      "async def spin():\n    while True:\n        await asyncio.sleep(0)\nasyncio.run(spin())",
      "await asyncio.sleep(0)\n'still looping'",
    ],
    options: [0: realClock, 1: realClock])
  #expect(result.cells.map(\.status) == [.timedOut, .timedOut, .ok])
  #expect(result.cells[0].error?.type == "CancelledError")
  #expect(result.cells[0].error?.line == result.note.cells[0].codeLine + 2)
  #expect(result.cells[2].value == "'still looping'")
  #expect(result.cells.allSatisfy { !$0.freshKernel })
}

@Test func aStraySIGINTBetweenCellsIsIgnored() throws {
  let note = try kernelTestNote([
    "import os, signal, threading\nthreading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()",
    "'unharmed'",
  ])
  let kernel = Kernel(
    interpreter: try Interpreter.resolve(
      requested: nil, frontMatter: nil, environment: RunSettings().environment),
    note: note, seed: 0, environment: RunSettings().environment)
  defer { kernel.shutdown() }
  let first = kernel.run(note.cells[0], timeout: 30, clock: .virtual, budget: 3600, traceLimit: 5000)
  Thread.sleep(forTimeInterval: 0.6)
  let second = kernel.run(note.cells[1], timeout: 30, clock: .virtual, budget: 3600, traceLimit: 5000)
  #expect(first.status == .ok)
  #expect(second.status == .ok)
  #expect(second.value == "'unharmed'")
  #expect(!second.freshKernel)
}

@Test func aCellThatIgnoresTheInterruptIsKilledAndTheNextRunsInAFreshKernel() throws {
  let result = try runCells(
    [
      "x = 1", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
      "print('again')", "x",
    ],
    options: [1: cellOptions { $0.timeout = 1 }])
  #expect(result.cells.map(\.status) == [.ok, .timedOut, .ok, .error])
  #expect(
    result.cells[1].message == "timed out after 1 s; the kernel did not stop when interrupted and was killed")
  #expect(result.cells.map(\.freshKernel) == [false, false, true, true])
  #expect(result.cells[2].message?.hasPrefix("ran in a fresh kernel, restarted after Notes/x.md:") == true)
  #expect(result.cells[2].printed == "again\n")
  #expect(result.cells[3].error?.type == "NameError")
}

@Test func anExitingKernelFailsItsCellAndTheNextRunsInAFreshKernel() throws {
  let result = try runCells(["x = 1", "import os\nprint('bye', flush=True)\nos._exit(3)", "x"])
  #expect(result.cells.map(\.status) == [.ok, .kernelDied, .error])
  #expect(result.cells[1].message == "kernel died: exited with status 3")
  #expect(result.cells[1].printed == "bye\n")
  #expect(result.cells[2].freshKernel)
  #expect(result.cells[2].error?.type == "NameError")
}

@Test func aSegfaultNamesTheSignalAndTheLine() throws {
  let result = try runCells(["import ctypes\nctypes.string_at(0)", "'recovered'"])
  let cell = result.cells[0]
  #expect(cell.status == .kernelDied)
  #expect(cell.message == "kernel died: killed by signal 11 (SIGSEGV)")
  #expect(cell.printed.hasPrefix("Fatal Python error: Segmentation fault\n"))
  #expect(cell.printed.contains("File \"Notes/x.md\", line \(result.note.cells[0].codeLine + 1) in <module>"))
  #expect(!cell.printed.contains("_noterun_"))
  #expect(result.cells[1].status == .ok)
  #expect(result.cells[1].value == "'recovered'")
  #expect(result.cells[1].freshKernel)
}

@Test func hugeOutputIsCappedNotHung() throws {
  let result = try runCells([
    "import os\nfor _ in range(25):\n    print('x' * 1_000_000)\n    os.write(1, b'y' * 1_000_000)",
    "print('next')",
  ])
  let cell = result.cells[0]
  let kept = cell.outputs.map(\.text.utf8.count).reduce(0, +)
  #expect(cell.status == .ok)
  #expect(kept <= 2 * 1024 * 1024)
  #expect(kept > 1024 * 1024)
  #expect(cell.droppedBytes == 50_000_025 - kept)
  #expect(result.cells[1].printed == "next\n")
}

@Test func writingToAnyLowDescriptorOrClosingStdoutCannotBreakTheKernel() throws {
  let result = try runCells([
    "import os, sys\nfor fd in range(10):\n    try:\n        os.write(fd, b'x')\n    except OSError:\n        pass",
    "sys.stdout.close()\nsys.stderr.close()\nos.close(1)\nos.close(2)",
    "print('alive')\nos.write(1, b'raw\\n')\nprint('err', file=sys.stderr)",
  ])
  #expect(result.cells.map(\.status) == [.ok, .ok, .ok])
  #expect(result.cells[0].printed == "xx")
  #expect(result.cells[2].outputs.map(\.text) == ["alive\nraw\n", "err\n"])
}

@Test func raisesOptionsJudgeTheException() throws {
  let raisesNameError = cellOptions { $0.raises = "NameError" }
  let raisesLookup = cellOptions {
    $0.raises = "LookupError"
    $0.match = "^'k"
  }
  let wrongMatch = cellOptions {
    $0.raises = "KeyError"
    $0.match = "other"
  }
  let result = try runCells(
    ["undefined_name", "1", "{}['key']", "{}['key']", "int('x')", "def f(:"],
    options: [
      0: raisesNameError, 1: raisesNameError, 2: raisesLookup, 3: wrongMatch, 4: raisesNameError,
      5: cellOptions { $0.raises = "SyntaxError" },
    ])
  #expect(
    result.cells.map(\.status) == [
      .expectedError, .missingError, .expectedError, .error, .error, .expectedError,
    ])
  // The kernel judges; check words the verdict.
  #expect(result.cells[1].message == nil && result.cells[4].message == nil)
}

@Test func clockStopsBecomeDeadlockAndBudgetResults() throws {
  let result = try runCells(
    [
      "import asyncio\nawait asyncio.Event().wait()", "while True:\n    await asyncio.sleep(1)", "'fine'",
    ], settings: RunSettings(budget: 5))
  #expect(result.cells.map(\.status) == [.deadlock, .budget, .ok])
  #expect(result.cells[0].message == nil, "check words a deadlock")
  #expect(result.cells[1].message == "stopped after 5 s of virtual time (the time budget)")
  #expect(result.cells[0].error == nil && result.cells[1].error == nil)
  #expect(result.cells[1].clockSeconds == 5)
}

@Test func garbageOnTheEventChannelRestartsTheKernel() throws {
  // The event pipe is the kernel's fd 201; only a cell that goes looking for it can reach it.
  let result = try runCells(["import os\nos.write(201, b'not json\\n')", "'fresh'"])
  #expect(result.cells[0].status == .kernelDied)
  #expect(
    result.cells[0].message
      == "kernel died: it sent an unreadable message (The given data was not valid JSON.): not json")
  #expect(result.cells[1].value == "'fresh'")
  #expect(result.cells[1].freshKernel)
}

@Test func forkedChildrenPrintThroughTheDescriptors() throws {
  let result = try runCells([
    "import multiprocessing, os, sys\nchild = multiprocessing.get_context('fork').Process(target=print, args=('from child',))\nchild.start()\nchild.join()\nprint('parent')"
  ])
  #expect(result.cells[0].status == .ok)
  #expect(result.cells[0].printed == "from child\nparent\n")
}
