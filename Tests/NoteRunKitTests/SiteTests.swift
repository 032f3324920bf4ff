import Foundation
import Testing

@testable import NoteRunKit

/// `noterun render` makes a site: notes in reading order, headings with ids, links that
/// land, error places linked to their lines, and search, checked on real output.
@Suite struct SiteTests {
  /// Three notes: SUMMARY.md puts b before a/a, c (not listed) comes last; links cross
  /// between them by heading, and a's cell fails.
  static func site() throws -> CLISandbox {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/SUMMARY.md", "# Summary\n\n- [Second](b.md)\n  - [First](a/a.md)\n")
    try sandbox.write(
      "notes/a/a.md",
      "# First\n\n## A deadlock\n\nSee [the details](../b.md#details-and-more).\n\n```python\nprint('alpha')\n1/0\n```\n"
    )
    try sandbox.write(
      "notes/b.md",
      "# Second\n\n## Details, and more!\n\nA zebracorn lives here. Back to [a](a/a.md#a-deadlock).\n\n"
        + "## Details, and more!\n\n```python\nprint('beta')\n```\n")
    try sandbox.write("notes/c.md", "---\norder: 1\n---\n# Third\n\nThe end.\n")
    let run = try sandbox.run(["render", "notes", "-o", "out", "--no-cache"])
    #expect(run.status == 0, "\(run.stderr)")
    return sandbox
  }

  @Test func everyLinkOfTheOutputLandsAnchorsIncluded() throws {
    let sandbox = try Self.site()
    #expect(
      sandbox.files(under: "out").filter { $0.hasSuffix(".html") } == [
        "a/a.html", "b.html", "c.html", "index.html",
      ])
    #expect(try walkLinks(sandbox, "out") > 30)
  }

  /// The project's own notes, as `make render` writes them: no link of the site is broken.
  @Test func everyLinkOfTheProjectsNotesLands() throws {
    let notes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Notes")
    let sandbox = try CLISandbox()
    let run = try sandbox.run(["render", notes.path, "-o", "out", "--no-cache"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(sandbox.files(under: "out").filter { $0.hasSuffix(".html") }.count >= 9)
    #expect(try walkLinks(sandbox, "out") > 300)
  }

  /// Checks every `href`/`src` of the pages under `folder`, and the links the page script
  /// builds from the navigation and search files; returns how many it checked.
  func walkLinks(_ sandbox: CLISandbox, _ folder: String) throws -> Int {
    let out = sandbox.url(folder).standardizedFileURL
    var checked = 0
    for page in sandbox.files(under: folder) where page.hasSuffix(".html") {
      let html = try sandbox.read(folder + "/" + page)
      let base = out.appendingPathComponent(page)
      for match in html.matches(of: /(?:href|src)="([^"]*)"/) {
        try expectLands(String(match.1), from: base, in: page)
        checked += 1
      }
    }
    let scripts =
      try sandbox.read(folder + "/noterun-site.js") + sandbox.read(folder + "/noterun-search.js")
    for match in scripts.matches(of: /"([^"]+\.html(?:#[^"]*)?)"/) {
      try expectLands(String(match.1), from: out.appendingPathComponent("index.html"), in: "scripts")
      checked += 1
    }
    return checked
  }

  /// `href` from the page at `base` names an existing file and, with a fragment, an id in it.
  func expectLands(_ href: String, from base: URL, in page: String) throws {
    if href.hasPrefix("http:") || href.hasPrefix("https:") || href.hasPrefix("mailto:") { return }
    let parts = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
    let path = String(parts[0]).removingPercentEncoding ?? String(parts[0])
    let target =
      path.isEmpty ? base : URL(fileURLWithPath: path, relativeTo: base.deletingLastPathComponent())
    let exists = FileManager.default.fileExists(atPath: target.standardizedFileURL.path)
    #expect(exists, "\(page): \(href) names no file")
    guard exists, parts.count == 2, !parts[1].isEmpty else { return }
    let fragment = String(parts[1]).removingPercentEncoding ?? String(parts[1])
    let html = try String(contentsOf: target, encoding: .utf8)
    #expect(html.contains("id=\"\(fragment)\""), "\(page): \(href) names no anchor")
  }

  @Test func summaryOrdersTheNotesAndErrorPlacesLinkToTheirLines() throws {
    let sandbox = try Self.site()
    let navigation = try sandbox.read("out/noterun-site.js")
    let order = navigation.matches(of: /"href":"([^"]+)"/).map { String($0.1) }
    #expect(order == ["b.html", "a/a.html", "c.html"])
    let index = try sandbox.read("out/index.html")
    let listed = index.matches(of: /class="note-title" href="([^"]+)"/).map { String($0.1) }
    #expect(listed == order)

    let b = try sandbox.read("out/b.html")
    #expect(b.contains("<h2 id=\"details-and-more\">Details, and more!"))
    #expect(b.contains("<h2 id=\"details-and-more-1\">"), "a repeated heading gets -1")
    #expect(b.contains("href=\"a/a.html#a-deadlock\""))
    #expect(b.contains("<a href=\"#details-and-more\">Details, and more!</a>"), "On this page lists headings")
    #expect(b.contains("<a href=\"#cell-1\">Cell 1</a>"), "On this page lists cells")

    let a = try sandbox.read("out/a/a.html")
    #expect(a.contains("<a class=\"loc\" href=\"#L9\">File &quot;notes/a/a.md&quot;, line 9</a>"), "\(a)")
    #expect(a.contains("<span class=\"line failing\" id=\"L9\">"))
    #expect(a.contains("<span class=\"line\" id=\"L8\">"))
  }

  @Test func searchIndexHoldsProseCodeAndOutputsByHeadingAndCell() throws {
    let sandbox = try Self.site()
    let search = try sandbox.read("out/noterun-search.js")
    #expect(search.hasPrefix("window.noterunSearch = "))
    #expect(
      search.contains(#"["b.html#details-and-more","Second","Details, and more!","A zebracorn lives here."#))
    #expect(
      search.contains(#"["a/a.html#cell-1","First","Cell 1","print('alpha')\n1/0\n\nalpha\n"#), "\(search)")
  }

  /// Rendering one note again keeps the others in the note list, in order, and findable.
  @Test func aRenderOfOneNoteKeepsTheOthersInTheNavigationAndTheSearch() throws {
    let sandbox = try Self.site()
    try sandbox.write("notes/c.md", "---\norder: 1\n---\n# Third again\n\nThe end, a quokka.\n")
    let run = try sandbox.run(["render", "notes/c.md", "-o", "out", "--no-cache"])
    #expect(run.status == 0, "\(run.stderr)")
    let navigation = try sandbox.read("out/noterun-site.js")
    #expect(
      navigation.matches(of: /"href":"([^"]+)"/).map { String($0.1) } == ["b.html", "a/a.html", "c.html"])
    #expect(navigation.contains(#""title":"Third again""#))
    let search = try sandbox.read("out/noterun-search.js")
    #expect(search.contains("zebracorn") && search.contains("quokka") && search.contains("print('alpha')"))
    #expect(!search.contains("The end.\""), "c's old text is gone")
  }

  @Test(.enabled(if: Chromium.executable != nil, "no Chromium on PATH"))
  func aReaderMovesByKeyboardAndFindsAWordOfAnotherNote() async throws {
    let sandbox = try Self.site()
    let profile = try ScratchFolder("site-chromium")
    let browser = try await Chromium(profile: profile)
    try await browser.call("Page.navigate", ["url": sandbox.url("out/b.html").absoluteString])
    #expect(try await browser.becomes("document.querySelectorAll('#nr-notes a').length === 3"))
    #expect(
      try await browser.evaluate("document.querySelector('#nr-notes [aria-current]').textContent")
        == "\"Second\"")

    try await press(browser, "ArrowRight", code: 39)
    #expect(
      try await browser.becomes(
        "location.pathname.endsWith('/out/a/a.html') && document.readyState === 'complete'"))
    #expect(try await browser.becomes("document.querySelector('a[rel=prev]') !== null"))
    try await press(browser, "ArrowLeft", code: 37)
    #expect(try await browser.becomes("location.pathname.endsWith('/out/b.html')"))

    try await browser.call("Page.navigate", ["url": sandbox.url("out/c.html").absoluteString])
    #expect(
      try await browser.becomes(
        "document.readyState === 'complete' && document.querySelector('#nr-notes a') !== null"))
    try await press(browser, "/", code: 191)
    #expect(try await browser.becomes("document.activeElement.id === 'nr-search'"))
    try await browser.call("Input.insertText", ["text": "zebracorn"])
    #expect(try await browser.becomes("document.querySelector('#nr-results a') !== null"))
    #expect(
      try await browser.evaluate("document.querySelector('#nr-results a').getAttribute('href')")
        == "\"b.html#details-and-more\"")
    try await press(browser, "Enter", code: 13)
    #expect(try await browser.becomes("location.href.endsWith('/out/b.html#details-and-more')"))
    await browser.quit()
  }

  /// Copy buttons sit on their blocks; the theme button turns the whole page, its coloured
  /// output and its timeline alike, and the next page opens in the colours chosen; printed,
  /// a page leaves its navigation out.
  @Test(.enabled(if: Chromium.executable != nil, "no Chromium on PATH"))
  func copyButtonsAndTheThemeButtonThatTurnsPageOutputAndTimeline() async throws {
    let sandbox = try CLISandbox()
    try sandbox.write(
      "notes/a.md",
      "# A\n\n```python\nimport asyncio\nprint('\\x1b[31mred\\x1b[0m')\n"
        + "await asyncio.gather(asyncio.sleep(1), asyncio.sleep(2))\n```\n")
    try sandbox.write("notes/b.md", "# B\n\nText.\n")
    let run = try sandbox.run(["render", "notes", "-o", "out", "--no-cache"])
    #expect(run.status == 0, "\(run.stderr)")
    let profile = try ScratchFolder("site-theme")
    let browser = try await Chromium(profile: profile)
    try await browser.call("Page.navigate", ["url": sandbox.url("out/a.html").absoluteString])
    #expect(try await browser.becomes("document.readyState === 'complete'"))
    let colours =
      "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('.t-fg1')).color,"
      + " getComputedStyle(document.querySelector('.nr-tl-running rect')).fill].join(' / ')"
    // Each copy button sits on its block and copies the block's text as a reader sees it.
    let placed = """
      Array.prototype.every.call(document.querySelectorAll('button.copy'), function (b) {
        var r = b.getBoundingClientRect(), h = b.parentNode.getBoundingClientRect();
        return r.top >= h.top && r.bottom <= h.bottom && r.left >= h.left && r.right <= h.right; })
      """
    #expect(try await browser.evaluate("document.querySelectorAll('button.copy').length") == "2")
    #expect(try await browser.evaluate(placed) == "true")
    // Whichever way the page copies (the Clipboard API, or a selected textarea from a
    // page that is not a secure context), the text is caught on its way.
    _ = try await browser.evaluate(
      """
      (function () {
        if (navigator.clipboard) navigator.clipboard.writeText = function (t) {
          window.copied = t; return Promise.resolve(); };
        document.execCommand = function () { window.copied = document.activeElement.value; return true; };
        document.querySelector('.outputs button.copy').click();
      })()
      """)
    #expect(try await browser.becomes("window.copied !== undefined"))
    let copied = try await browser.evaluate("window.copied")
    // What the block shows, labels left out: what was printed, then the value.
    #expect(copied == #""red\n[None, None]""#, "\(copied)")
    let light = try await browser.evaluate(colours)
    #expect(light == "\"rgb(255, 255, 255) / rgb(207, 34, 46) / rgb(47, 111, 214)\"")
    _ = try await browser.evaluate("document.getElementById('nr-theme').click()")
    let dark = try await browser.evaluate(colours)
    #expect(dark == "\"rgb(13, 17, 23) / rgb(255, 123, 114) / rgb(94, 155, 255)\"")
    try await browser.call("Page.navigate", ["url": sandbox.url("out/b.html").absoluteString])
    #expect(try await browser.becomes("document.readyState === 'complete'"))
    #expect(try await browser.evaluate("document.documentElement.getAttribute('data-theme')") == "\"dark\"")
    #expect(
      try await browser.evaluate("getComputedStyle(document.body).backgroundColor") == "\"rgb(13, 17, 23)\"")

    // Printed, the note goes without the navigation chrome, in light colours.
    try await browser.call("Emulation.setEmulatedMedia", ["media": "print"])
    let chrome =
      "['nr-sidebar', 'nr-menu', 'nr-pager'].map(function (id) {"
      + " return getComputedStyle(document.getElementById(id).closest('.sidebar, .topbar, .pager')).display;"
      + " }).join(' ')"
    #expect(try await browser.evaluate(chrome) == "\"none none none\"")
    #expect(
      try await browser.evaluate("getComputedStyle(document.body).color") == "\"rgb(31, 35, 40)\"",
      "dark text on the paper")
    await browser.quit()
  }

  func press(_ browser: Chromium, _ key: String, code: Int) async throws {
    for type in ["keyDown", "keyUp"] {
      try await browser.call(
        "Input.dispatchKeyEvent",
        ["type": type, "key": key, "code": key == "/" ? "Slash" : key, "windowsVirtualKeyCode": code])
    }
  }
}
