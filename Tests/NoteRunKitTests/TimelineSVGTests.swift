import Foundation
import Testing

@testable import NoteRunKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

private let fixtures = ["gather", "queue", "deadlock", "fanout", "instant", "omitted"]

private func parse(_ svg: String) throws -> XMLElement {
  let document = try XMLDocument(xmlString: svg, options: [])
  return try #require(document.rootElement())
}

/// An attribute's value. (`attribute(forName:)` misses every attribute of an element in a
/// default namespace in swift-corelibs-foundation.)
private func attribute(_ name: String, of element: XMLElement) -> String? {
  element.attributes?.first { $0.name == name }?.stringValue
}

private func elements(_ element: XMLElement, named name: String) -> [XMLElement] {
  let children = (element.children ?? []).compactMap { $0 as? XMLElement }
  return children.filter { $0.name == name } + children.flatMap { elements($0, named: name) }
}

private func classes(_ element: XMLElement) -> [String] {
  let children = (element.children ?? []).compactMap { $0 as? XMLElement }
  let own = attribute("class", of: element)?.split(separator: " ").map(String.init) ?? []
  return own + children.flatMap(classes)
}

@Test(arguments: fixtures)
func svgIsWellFormedAndSelfContained(_ name: String) throws {
  let trace = try loadTraceFixture(name)
  let svg = TimelineSVG.render(trace)
  let root = try parse(svg)
  #expect(root.name == "svg")
  #expect(attribute("width", of: root) == "100%")
  #expect(attribute("viewBox", of: root)?.hasPrefix("0 0 900 ") == true)
  let lanes = elements(root, named: "g").filter { attribute("class", of: $0) == "nr-tl-lane" }
  #expect(lanes.count == trace.tasks.count)
  for forbidden in ["<script", "href", "url(", " id=", "style=", "<foreignObject"] {
    #expect(!svg.contains(forbidden), "\(forbidden) in \(name)")
  }
  #expect(try svg.firstMatch(of: Regex(" on[a-z]+=")) == nil, "an event handler in \(name)")
}

@Test func everyClassTheSVGUsesIsStyled() throws {
  let css = try String(
    contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Sources/NoteRunKit/Render/Theme/timeline.css"),
    encoding: .utf8)
  var used: Set<String> = []
  for name in fixtures { used.formUnion(classes(try parse(TimelineSVG.render(try loadTraceFixture(name))))) }
  // Lanes, ticks, bursts and the axis are handles for the page's script; everything else
  // must have a rule.
  let handles: Set = [
    "nr-tl-lane", "nr-tl-ticks", "nr-tl-bursts", "nr-tl-axis-time", "nr-tl-axis-steps", "nr-tl-mark",
  ]
  let unstyled = try used.filter { try !css.contains(Regex("\\.\($0)(?![\\w-])")) && !handles.contains($0) }
  #expect(unstyled.isEmpty, "no CSS for \(unstyled.sorted())")
  #expect(used.contains("nr-tl-block"))
  #expect(used.contains("nr-tl-waiting") && used.contains("nr-tl-hatch"))
}

@Test func userTextIsEscapedEverywhere() throws {
  let evil = "<script>alert(1)</script>"
  let trace = Trace(
    clock: .virtual, end: 1,
    tasks: [
      TraceTask(
        id: 1, name: evil, coroutine: "co<r>", parent: nil, created: 0, origin: "a&b.md:1",
        end: TaskEnd(time: 1, state: .failed, detail: "ValueError: '\(evil)' \u{1b}[31m"))
    ],
    events: [
      TraceEvent(time: 0, task: 1, kind: .create),
      TraceEvent(time: 0, task: 1, kind: .print, text: "\(evil) & \"quotes\"\n", stream: .stdout),
      TraceEvent(
        time: 0, task: 1, kind: .suspend, what: evil,
        chain: [ChainFrame(function: "f<x>", origin: "a&b.md:2")]),
      TraceEvent(time: 1, task: 1, kind: .resume),
      TraceEvent(time: 1, task: 1, kind: .end, text: "ValueError: '\(evil)' \u{1b}[31m"),
    ],
    waiting: [])
  let svg = TimelineSVG.render(trace)
  #expect(!svg.contains("<script"))
  #expect(!svg.contains("\u{1b}"))
  let root = try parse(svg)
  #expect(elements(root, named: "script").isEmpty)
  // What a reader sees is the text as written, markup and all.
  let texts = elements(root, named: "text").compactMap(\.stringValue)
  #expect(texts.contains(evil))
  let titles = elements(root, named: "title").compactMap(\.stringValue)
  #expect(titles.contains { $0.contains("printed at 0.000 s:\n\(evil) & \"quotes\"") })
  #expect(titles.contains { $0.contains("awaited \(evil) for 1.000 s") && $0.contains("f<x> a&b.md:2") })
  #expect(titles.contains { $0.contains("failed at 1.000 s: ValueError: '\(evil)' ␛[31m") })
}

@Test func escaperCoversMarkupQuotesAndControlCharacters() {
  #expect(XMLEscape.text("<a href='x'>\"&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;")
  #expect(XMLEscape.text("tab\tnew\nline\u{0}\u{7}\u{7F}") == "tab\tnew\nline␀␇␡")
  #expect(XMLEscape.text("é 漢字 🐍") == "é 漢字 🐍")
}
