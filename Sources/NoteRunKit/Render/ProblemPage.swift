extension PageRenderer {
  /// The page of a note that could not be read or parsed: the error at its `file:line`, so a
  /// browser left open on the note shows what is wrong instead of a stale page.
  public func render(
    problem: NoteError, indexHref: String? = nil, pagePath: String? = nil, liveReloadScript: String? = nil
  ) -> String {
    let theme = Theme.standard
    let body = """
      <section class="note-problem" role="alert">
      <h2>This note could not be read</h2>
      <p><code>\(HTMLEscape.escape(problem.description))</code></p>
      </section>
      """
    let page = PageView(
      title: problem.file, titleHTML: HTMLEscape.escape(problem.file), file: problem.file,
      indexHref: indexHref, rootHref: Self.folder(of: indexHref),
      pagePath: pagePath ?? "", css: theme.css, script: theme.script("page.js"), toc: [],
      facts: [PageView.Fact(text: "not rendered: \(problem.file):\(problem.line)", tone: "bad")],
      cellMap: [], hasCells: false, body: body, timelineScript: nil, liveReloadScript: liveReloadScript)
    return theme.render(page, with: "page")
  }
}
