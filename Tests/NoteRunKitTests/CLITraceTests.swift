import Foundation
import Testing

/// `noterun trace NOTE.md:LINE` end to end.
@Suite struct CLITraceTests {
  static let note = """
    # Two async cells

    ```python
    import asyncio

    async def worker():
        await asyncio.sleep(1.0)
        return 5

    await asyncio.create_task(worker(), name="worker-1")
    ```

    ```python
    async def other():
        await asyncio.sleep(2.5)

    await asyncio.create_task(other(), name="other-task")
    ```

    """

  @Test func traceOfOneLinePrintsTheTableOfThatCellOnly() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/t.md", Self.note)

    let run = try sandbox.run(["trace", "notes/t.md:7", "--no-cache"])

    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      run.stdoutLines.first?.hasPrefix("notes/t.md:3  cell 1  ok  1.000 s on the virtual clock") == true)
    #expect(
      run.stdoutLines.contains { $0.contains("worker-1") && $0.contains("sleep(1.0)") }, "\(run.stdout)")
    #expect(run.stdoutLines.contains { $0.contains("worker-1") && $0.contains("done") && $0.contains("5") })
    #expect(!run.stdout.contains("other-task"))
    #expect(!run.stdout.contains("cell 2"))
  }

  @Test func traceOfANotePrintsEveryCellAndALineOutsideCellsIsAnError() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/t.md", Self.note)

    let all = try sandbox.run(["trace", "notes/t.md", "--no-cache"])
    let outside = try sandbox.run(["trace", "notes/t.md:1", "--no-cache"])

    #expect(all.status == 0)
    #expect(all.stdout.contains("worker-1") && all.stdout.contains("other-task"))
    #expect(all.stdout.contains("sleep(2.5)"))
    #expect(outside.status == 2)
    #expect(outside.stderr.contains("notes/t.md:1"))
  }
}
