import Foundation
import Testing

@testable import NoteRunKit

@Suite struct RenderPageTests {
  /// The file line of the first line of the rich note that contains `text`.
  private func line(of text: String) -> Int {
    let lines = RenderFixtures.richMarkdown.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.firstIndex { $0.contains(text) }! + 1
  }

  /// The HTML of the cell whose anchor is `anchor`.
  private func section(_ html: String, _ anchor: String) -> Substring {
    let start = html.range(of: "id=\"\(anchor)\"")!.lowerBound
    return html[start...].split(separator: "</section>", maxSplits: 1)[0]
  }

  @Test func everyStatusHasItsBadgeAnchorAndLineNumbers() {
    let html = PageRenderer().render(judging: RenderFixtures.richResult())
    let anchors = ["gather"] + (2...10).map { "cell-\($0)" }
    for anchor in anchors { #expect(html.contains("id=\"\(anchor)\""), "anchor \(anchor)") }
    let statuses: [(String, String)] = [
      ("gather", "passed"), ("cell-2", "raised NameError"), ("cell-3", "passed"), ("cell-4", "deadlock"),
      ("cell-5", "timed out"), ("cell-6", "kernel died"), ("cell-7", "nothing raised"),
      ("cell-8", "time budget"), ("cell-9", "skipped"), ("cell-10", "output differs"),
    ]
    for (anchor, label) in statuses {
      #expect(section(html, anchor).contains("</span>\(label)</span>"), "\(anchor) should say \(label)")
    }
    let fence = line(of: "```python id=gather")
    #expect(
      section(html, "gather").contains("id=\"L\(fence)\" href=\"#L\(fence)\">Notes/demo.md:\(fence)</a>"))
    let printY = line(of: "print(y)")
    #expect(section(html, "cell-2").contains("id=\"L\(printY)\""))
    #expect(section(html, "cell-2").contains("data-n=\"\(printY)\""))
    let gather = section(html, "gather")
    #expect(gather.contains("<span class=\"timing\">3 s virtual</span>"))
    let timed = PageRenderer(timings: true).render(judging: RenderFixtures.richResult())
    #expect(section(timed, "gather").contains("<span class=\"timing\">4.2 ms · 3 s virtual</span>"))
    #expect(!html.contains("<li class=\"fact \">ran in ") && timed.contains("<li class=\"fact \">ran in "))
    #expect(
      gather.contains(
        "<span class=\"k\">async</span> <span class=\"k\">def</span> <span class=\"nf\">worker</span>"))
    #expect(section(html, "cell-7").contains("ran in a fresh kernel"))
    #expect(section(html, "cell-5").contains("timed out after 2 s"))
    #expect(section(html, "cell-5").contains("123,456 bytes of output were dropped"))
    #expect(html.contains("<section class=\"cell status-not-run\" id=\"cell-9\">"))
    #expect(!section(html, "cell-9").contains("class=\"timing\""))
    // Cell 10 printed other than its block: a failure like any other, in check's words.
    #expect(html.contains("<li class=\"fact bad\">2 passed, 7 failed, 1 skipped</li>"))
    #expect(section(html, "cell-10").contains("printed output differs from the expected output"))
    #expect(section(html, "cell-7").contains("expected ValueError, nothing was raised"))
    #expect(
      html.contains(
        "<a class=\"chip status-output-mismatch\" href=\"#cell-10\" title=\"Cell 10 · output differs"))
    #expect(html.contains("Python 3.12.1"))
  }

  @Test func errorsShowTheirTracebackAndDeadlocksTheirWaitingTasks() {
    let html = PageRenderer().render(judging: RenderFixtures.richResult())
    let error = section(html, "cell-2")
    #expect(error.contains("<strong>NameError: name &#39;y&#39; is not defined</strong>"))
    #expect(
      error.contains(
        "<a class=\"loc\" href=\"#L24\">File &quot;Notes/demo.md&quot;, line 24</a>, in &lt;module&gt;"))
    #expect(section(html, "cell-3").contains("class=\"error expected\""))
    let deadlock = section(html, "cell-4")
    #expect(deadlock.contains("deadlock: every task is waiting and nothing can wake one"))
    #expect(deadlock.contains("<span class=\"task-name\">consumer</span> awaits <code>Queue.get()</code>"))
    #expect(
      deadlock.contains(
        ##"<span class="chain">consume <a class="loc" href="#L33">Notes/demo.md:33</a></span>"##))
    #expect(
      deadlock.contains(
        #"<summary>library frames</summary><span class="chain">Queue.get queues.py:158</span>"#))
  }

  @Test func expectedOutputBlocksAreDroppedAndMismatchesShown() {
    let html = PageRenderer().render(judging: RenderFixtures.richResult())
    #expect(!html.contains("language-output"))
    let gather = section(html, "gather")
    #expect(gather.contains("output as in the note"))
    #expect(!gather.contains("output differs"))
    let hello = section(html, "cell-10")
    #expect(hello.contains("output differs from the note"))
    #expect(hello.contains("<details class=\"mismatch\">"))
    #expect(hello.contains("<pre>goodbye\n</pre>"))
    #expect(hello.contains("<pre>hello\n</pre>"))
  }

  @Test func stdoutStderrAndTaskOutputAreTold() {
    let gather = section(PageRenderer().render(judging: RenderFixtures.richResult()), "gather")
    #expect(gather.contains("<div class=\"outputs labelled\">"))
    #expect(
      gather.contains("<div class=\"run stdout\"><span class=\"run-label\"></span><pre>start 1\n</pre></div>")
    )
    #expect(
      gather.contains(
        "<div class=\"run stdout\"><span class=\"run-label\">task worker-2</span><pre>start 2\n</pre></div>"))
    #expect(
      gather.contains(
        "<div class=\"run stderr\"><span class=\"run-label\">stderr</span><pre>warning: slow\n</pre></div>"))
    #expect(gather.contains("<span class=\"run-label\">Out</span><pre>[1, 2]</pre>"))
  }

  @Test func consecutiveChunksOfOneWriterAreOneRun() {
    let note = RenderFixtures.note("```python\nx\n```\n")
    let outputs = [
      OutputChunk(stream: .stdout, text: "a"), OutputChunk(stream: .stdout, text: "b\n"),
      OutputChunk(stream: .stderr, text: "c\n"), OutputChunk(stream: .stderr, text: "d\n", task: "t"),
    ]
    let html = PageRenderer().render(
      judging: NoteResult(
        note: note, cells: [CellResult(cell: 0, status: .ok, outputs: outputs)], python: "3.12", seconds: 0))
    #expect(html.contains("<pre>ab\n</pre>"))
    #expect(html.contains("<span class=\"run-label\">stderr</span><pre>c\n</pre>"))
    #expect(html.contains("<span class=\"run-label\">stderr · task t</span><pre>d\n</pre>"))
  }

  @Test func hideOptionsLeavePartsOff() {
    let markdown = """
      ```python hide=source
      secret_source = 1
      ```

      ```python hide=output
      print("secret output")
      ```

      ```python hide=trace
      x = 2
      ```

      ```python hide=output raises=KeyError
      {}["k"]
      ```

      ```python hide=output
      {}["unexpected"]
      ```

      """
    let trace = Trace(
      clock: .virtual, end: 0,
      tasks: [
        TraceTask(id: 1, name: "main", coroutine: "main", parent: nil, created: 0, origin: nil, end: nil)
      ],
      events: [TraceEvent(time: 0, task: 1, kind: .create)])
    let error = CellError(
      type: "KeyError", mro: ["KeyError"], message: "'k'", traceback: "KeyError: 'k'\n", file: nil, line: nil)
    let result = NoteResult(
      note: RenderFixtures.note(markdown),
      cells: [
        CellResult(cell: 0, status: .ok, trace: trace),
        CellResult(
          cell: 1, status: .ok, outputs: [OutputChunk(stream: .stdout, text: "secret output\n")], trace: trace
        ),
        CellResult(cell: 2, status: .ok, trace: trace),
        CellResult(cell: 3, status: .expectedError, error: error),
        CellResult(cell: 4, status: .error, error: error),
      ], python: "3.12", seconds: 0)
    let html = PageRenderer().render(judging: result)
    #expect(!section(html, "cell-1").contains("class=\"source\""))
    #expect(!html.contains("secret_source"))
    #expect(section(html, "cell-1").contains("class=\"trace\""))
    #expect(!html.contains("<pre>secret output"))
    #expect(section(html, "cell-2").contains("class=\"source\""))
    #expect(!section(html, "cell-3").contains("class=\"trace\""))
    #expect(section(html, "cell-3").contains("class=\"source\""))
    #expect(!section(html, "cell-4").contains("class=\"error"))
    #expect(section(html, "cell-5").contains("class=\"error\""), "an unexpected error is never hidden")
  }

  @Test func userTextIsEscapedEverywhere() {
    let script = "<script>alert(1)</script>"
    let image = "\"><img src=x onerror=alert(1)>"
    let payload = script + image
    let markdown = "# Title\n\n```python id=cell\nprint('\(payload)')\n```\n\n```output\n\(payload)\n```\n"
    let note = RenderFixtures.note(
      markdown, file: "Notes/\(payload).md", title: "T \(payload)")
    let trace = Trace(
      clock: .virtual, end: 1,
      tasks: [
        TraceTask(
          id: 1, name: payload, coroutine: payload, parent: nil, created: 0, origin: payload, end: nil)
      ],
      events: [
        TraceEvent(
          time: 0, task: 1, kind: .suspend, what: payload,
          chain: [ChainFrame(function: payload, origin: payload)]),
        TraceEvent(time: 0, task: 1, kind: .print, text: payload, stream: .stderr),
      ],
      omitted: OmittedEvents(events: 3, sites: [OmittedSite(task: 1, what: payload, count: 3)]),
      waiting: [WaitingTask(task: 1, what: payload, chain: [ChainFrame(function: payload, origin: payload)])])
    let cell = CellResult(
      cell: 0, status: .error,
      outputs: [
        OutputChunk(stream: .stdout, text: payload),
        OutputChunk(stream: .stderr, text: payload, task: payload),
      ],
      value: payload,
      error: CellError(type: payload, mro: [], message: payload, traceback: payload, file: payload, line: 3),
      trace: trace, message: payload)
    let html = PageRenderer().render(
      judging: NoteResult(note: note, cells: [cell], python: payload, seconds: 0))
    // The scripts are noterun's own: the theme choice, the page's and the timeline's.
    #expect(html.components(separatedBy: "<script").count == 4)
    #expect(html.contains("<script>// Suspension timelines"))
    #expect(!html.contains("<script>alert"))
    #expect(!html.contains("<img"))
    #expect(
      html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
    #expect(html.contains("<title>T &lt;script&gt;"))
    #expect(html.contains("Notes/&lt;script&gt;"))
    #expect(html.contains("<strong>&lt;script&gt;"))
  }

  /// `"` followed by a combining mark is one Character to Swift: escaping must not skip it.
  @Test func quotesWithCombiningMarksCannotLeaveAnAttribute() {
    let payload = "x\"\u{301} onmouseover=alert(1) \u{301}<\u{301}b>"
    let note = RenderFixtures.note("```python\nx\n```\n", file: "Notes/\(payload).md", title: payload)
    let cell = CellResult(
      cell: 0, status: .error, outputs: [OutputChunk(stream: .stdout, text: payload, task: payload)])
    let html = PageRenderer().render(judging: NoteResult(note: note, cells: [cell], python: nil, seconds: 0))
    let scalars = Array(html.unicodeScalars)
    let quoteThenMark = zip(scalars, scalars.dropFirst()).contains {
      ($0 == "\"" || $0 == "<") && $1 == "\u{301}"
    }
    #expect(!quoteThenMark)
    let index = IndexRenderer(layout: OutputLayout(output: URL(fileURLWithPath: "/site"))).render(
      judging: [NoteResult(note: note, cells: [cell], python: nil, seconds: 0)])
    let indexScalars = Array(index.unicodeScalars)
    #expect(
      !zip(indexScalars, indexScalars.dropFirst()).contains { ($0 == "\"" || $0 == "<") && $1 == "\u{301}" })
  }

  @Test func liveReloadScriptOnlyWhenGiven() {
    let result = RenderFixtures.richResult()
    let plain = PageRenderer().render(judging: result)
    #expect(!plain.contains("reload()"))
    let live = PageRenderer().render(judging: result, liveReloadScript: "reload()")
    #expect(live.hasSuffix("<script>reload()</script>\n</body>\n</html>\n"))
  }

  @Test func pageIsSelfContained() {
    let html = PageRenderer().render(judging: RenderFixtures.richResult(), indexHref: "../index.html")
    #expect(html.hasPrefix("<!doctype html>\n"))
    #expect(html.contains("<style>"))
    #expect(html.contains("--prose: 44rem"))
    #expect(!html.contains("<link"))
    #expect(!html.contains(" src="))
    #expect(!html.contains("@import"))
    #expect(!html.contains("url("))
    #expect(html.contains("<a href=\"../index.html\">All notes</a>"))
  }

  @Test func otherFencesArePlainOrHighlighted() {
    let html = PageRenderer().render(judging: RenderFixtures.richResult())
    #expect(
      html.contains(
        "<pre class=\"code-block\"><code class=\"language-pycon\">&gt;&gt;&gt; <span class=\"k\">async</span>"
      ))
    #expect(html.contains("<pre><code class=\"language-sh\">noterun render Notes\n</code></pre>"))
  }

  @Test func theOpeningHeadingBecomesThePageTitle() {
    let result = RenderFixtures.richResult()
    let html = PageRenderer().render(judging: result)
    #expect(html.contains("<h1 class=\"page-title\">Running coroutines concurrently</h1>"))
    #expect(html.components(separatedBy: "<h1").count == 2)
    var renamed = result
    renamed.note.title = "Another <title>"
    let both = PageRenderer().render(judging: renamed)
    #expect(both.contains("<h1 class=\"page-title\">Another &lt;title&gt;</h1>"))
    #expect(
      both.contains(
        "<h1 id=\"running-coroutines-concurrently\">Running coroutines concurrently<a class=\"anchor\""))
    let formatted = RenderFixtures.note("# Hello *world*\n\ntext\n", title: "Hello world")
    let page = PageRenderer().render(judging: NoteResult(note: formatted, cells: [], python: nil, seconds: 0))
    #expect(page.contains("<h1 class=\"page-title\">Hello <em>world</em></h1>"))
  }

  @Test func linksToOtherNotesPointToTheirPages() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "render-links-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try "# B\n".write(to: root.appendingPathComponent("sub/b.md"), atomically: true, encoding: .utf8)
    let markdown =
      "[b](sub/b.md#part) [gone](missing.md) [web](https://example.com/x.md) [up](../outside.md)\n"
    let note = RenderFixtures.note(markdown, url: root.appendingPathComponent("a.md"), root: root)
    let html = PageRenderer().render(judging: NoteResult(note: note, cells: [], python: nil, seconds: 0))
    #expect(html.contains("href=\"sub/b.html#part\""))
    #expect(html.contains("href=\"missing.md\""))
    #expect(html.contains("href=\"https://example.com/x.md\""))
    #expect(html.contains("href=\"../outside.md\""))
  }

  /// `NOTERUN_PREVIEW=/tmp/page.html swift test --filter preview` writes the rich page and
  /// an index next to it, to look at in a browser.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["NOTERUN_PREVIEW"] != nil))
  func preview() throws {
    let page = URL(fileURLWithPath: ProcessInfo.processInfo.environment["NOTERUN_PREVIEW"]!)
    let layout = OutputLayout(output: page.deletingLastPathComponent())
    try AtomicFile.write(
      PageRenderer().render(
        judging: RenderFixtures.richResult(), indexHref: OutputLayout.href(from: page, to: layout.index)),
      to: page)
    try AtomicFile.write(
      IndexRenderer(layout: layout).render(
        judging: [RenderFixtures.richResult()],
        unreadable: [NoteError(file: "Notes/broken.md", line: 3, message: "unknown option `colour`")]),
      to: layout.index)
    #expect(FileManager.default.fileExists(atPath: page.path))
  }

  @Test func customTraceRenderingIsUsed() {
    let renderer = PageRenderer(trace: { trace, _ in "<svg id=\"timeline-\(trace.tasks.count)\"></svg>" })
    let html = renderer.render(judging: RenderFixtures.richResult())
    #expect(html.contains("<svg id=\"timeline-3\"></svg>"))
  }
}
