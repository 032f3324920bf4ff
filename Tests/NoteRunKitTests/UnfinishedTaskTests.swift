import Foundation
import Testing

@testable import NoteRunKit

/// A task a cell created and no later cell awaited to the end is reported where it was
/// created, on the page and by `check`, the same from a cached run, and not counted as a
/// failure. A script would never show it: `asyncio.run` cancels what is left quietly.
@Suite struct UnfinishedTaskTests {
  static let opening = """
    # Loose ends

    ```python
    import asyncio
    async def forever():
        await asyncio.Event().wait()
    async def work(n):
        await asyncio.sleep(n)
        print("work", n)
    ```

    ```python
    waiter = asyncio.create_task(forever(), name="waiter")
    await asyncio.sleep(0)
    late = asyncio.create_task(work(5), name="late")
    ```

    ```python
    print("last")
    never = asyncio.create_task(work(1), name="never")
    ```

    """

  /// The `<section>` of cell `number` (1-based).
  func cell(_ number: Int, of page: String) -> Substring {
    let start = page.range(of: "id=\"cell-\(number)\"")!.lowerBound
    return page[start...].split(separator: "</section>", maxSplits: 1)[0]
  }

  @Test func theRunnerReportsEachPendingTaskWithTheCellThatCreatedIt() throws {
    let result = try runNote(Self.opening)
    #expect(result.cells.map(\.status) == [.ok, .ok, .ok])
    #expect(result.cells[0].unfinishedTasks.isEmpty && result.cells[1].unfinishedTasks.isEmpty)
    let tasks = result.cells[2].unfinishedTasks
    #expect(tasks.map(\.name) == ["waiter", "late", "never"])
    #expect(tasks.map(\.started) == [true, true, false])
    #expect(tasks.map(\.cell) == [1, 1, 2])
    let file = result.note.file
    #expect(tasks.map(\.location) == ["\(file):6", "\(file):8", nil], "where each waits in the note")
    #expect(result.unfinishedTasksByCell.keys.sorted() == [1, 2])
  }

  @Test func thePageSaysItUnderTheCellThatCreatedThemAndCheckStillPasses() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/loose.md", Self.opening)

    let render = try sandbox.run(["render", "notes", "-o", "site"])
    #expect(render.status == 0, "\(render.stderr)")
    let page = try sandbox.read("site/loose.html")
    let creating = cell(2, of: page)
    #expect(creating.contains("Never finished: 2 tasks of this cell were still pending when the note ended"))
    #expect(creating.contains("task &#39;waiter&#39; (forever) is still waiting at notes/loose.md:6"))
    #expect(creating.contains("task &#39;late&#39; (work) is still waiting at notes/loose.md:8"))
    #expect(cell(3, of: page).contains("Never finished: a task of this cell was still pending"))
    #expect(cell(3, of: page).contains("task &#39;never&#39; (work) never started"))
    #expect(!cell(1, of: page).contains("Never finished"))
    // The "still waiting" list above it names the note's frames; asyncio's are folded.
    #expect(
      creating.contains(
        ##"<span class="chain">forever <a class="loc" href="#L6">notes/loose.md:6</a></span><details class="chain-library">"##
      ))

    // Every cell now comes from the cache: the page must not change.
    let again = try sandbox.run(["render", "notes", "-o", "site"])
    #expect(again.status == 0)
    #expect(try sandbox.read("site/loose.html") == page)

    let check = try sandbox.run(["check", "notes"])
    #expect(check.status == 0, "\(check.stdout)")
    #expect(
      check.stdout.contains(
        "notes/loose.md:12: note: never finished: task 'waiter' (forever) is still waiting at notes/loose.md:6"
      ),
      "\(check.stdout)")
    let github = try sandbox.run(["check", "notes", "--format", "github"])
    #expect(
      github.stdout.contains(
        "::notice file=notes/loose.md,line=18,title=never finished::task 'never' (work) never started"),
      "\(github.stdout)")
  }

  @Test func aCellThatAwaitsThemLaterOrTheLastCellRemovedChangesWhatIsSaid() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/loose.md", Self.opening)
    #expect(try sandbox.run(["render", "notes", "-o", "site"]).status == 0)

    // A new last cell finishes `late` (and `never`): only `waiter` is left; cells 1–3 come
    // from the cache.
    try sandbox.write("notes/loose.md", Self.opening + "```python\nawait late\n```\n")
    #expect(try sandbox.run(["render", "notes", "-o", "site"]).status == 0)
    var page = try sandbox.read("site/loose.html")
    #expect(cell(2, of: page).contains("Never finished: a task of this cell was still pending"))
    #expect(!cell(2, of: page).contains("task &#39;late&#39;"))
    #expect(!cell(3, of: page).contains("Never finished"))
    #expect(cell(4, of: page).contains("work 5"))

    // Back to the first text, whose last cell's cached result stood for the end of the note.
    try sandbox.write("notes/loose.md", Self.opening)
    #expect(try sandbox.run(["render", "notes", "-o", "site"]).status == 0)
    page = try sandbox.read("site/loose.html")
    #expect(cell(2, of: page).contains("Never finished: 2 tasks"))
    #expect(cell(3, of: page).contains("task &#39;never&#39; (work) never started"))

    // Without its last cell, the cell before it stands for the end: no stale cached result.
    let shorter = Self.opening.components(separatedBy: "```python\nprint(\"last\")")[0]
    #expect(shorter.count < Self.opening.count)
    try sandbox.write("notes/loose.md", shorter)
    #expect(try sandbox.run(["render", "notes", "-o", "site"]).status == 0)
    page = try sandbox.read("site/loose.html")
    #expect(cell(2, of: page).contains("Never finished: 2 tasks"))
  }
}
