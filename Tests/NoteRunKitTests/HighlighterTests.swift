import Foundation
import Testing

@testable import NoteRunKit

@Suite struct HighlighterTests {
  /// Markup removed and entities decoded, scalar by scalar (String searches would treat
  /// `&lt;` followed by a combining mark as a different Character).
  private func text(_ html: String) -> [Unicode.Scalar] {
    let entities: [String: Unicode.Scalar] = ["lt": "<", "gt": ">", "quot": "\"", "#39": "'", "amp": "&"]
    var result: [Unicode.Scalar] = []
    var iterator = html.unicodeScalars.makeIterator()
    while let scalar = iterator.next() {
      switch scalar {
      case "<":
        while let next = iterator.next(), next != ">" {}
      case "&":
        var name = ""
        while let next = iterator.next(), next != ";" { name.unicodeScalars.append(next) }
        result.append(entities[name]!)
      default:
        result.append(scalar)
      }
    }
    return result
  }

  private func occurrences(_ needle: String, in haystack: String) -> Int {
    let bytes = Array(haystack.utf8)
    let pattern = Array(needle.utf8)
    guard bytes.count >= pattern.count else { return 0 }
    return (0...(bytes.count - pattern.count)).count {
      bytes[$0..<($0 + pattern.count)].elementsEqual(pattern)
    }
  }

  @Test func neverLosesOrReordersACharacter() {
    let pieces = [
      "a", "x_1", "é", "def ", "class ", "async ", "await ", "True", "print", "f", "rb", "\"", "'", "\"\"\"",
      "'''", "#", "\\", "\n", "\r\n", "\t", " ", "{", "}", "{{", "@", ".", "0x1F", "1e-3", "1_000j", "<", ">",
      "&", "&amp;", "<span>", "(", ")", ":", "=", "👩‍👩‍👧", "\u{301}", "\0",
    ]
    var generator = SplitMix64(seed: 0x6e6f7465)
    for _ in 0..<3000 {
      let count = Int.random(in: 0...40, using: &generator)
      let source = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
      let lines = Highlighter.pythonLines(source)
      #expect(
        text(lines.joined(separator: "\n")) == Array(source.unicodeScalars), "\(source.debugDescription)")
      #expect(lines.count == source.unicodeScalars.count { $0 == "\n" } + 1)
      for line in lines {
        #expect(occurrences("<span", in: line) == occurrences("</span>", in: line))
        #expect(occurrences("\n", in: line) == 0)
      }
    }
  }

  @Test func marksPythonTokens() {
    let html = Highlighter.python(
      "@app.route(\"/\")\nasync def main(n=0x1F):\n    # wait\n    await asyncio.sleep(1.5e-3)\n    return None, len(f\"{n!r:>4} {{x}}\")\n"
    )
    #expect(html.contains("<span class=\"d\">@app.route</span>"))
    #expect(
      html.contains(
        "<span class=\"k\">async</span> <span class=\"k\">def</span> <span class=\"nf\">main</span>"))
    #expect(html.contains("<span class=\"n\">0x1F</span>"))
    #expect(html.contains("<span class=\"c\"># wait</span>"))
    #expect(html.contains("<span class=\"k\">await</span> asyncio.sleep(<span class=\"n\">1.5e-3</span>)"))
    #expect(html.contains("<span class=\"kc\">None</span>, <span class=\"b\">len</span>("))
    #expect(
      html.contains(
        "<span class=\"s\">f&quot;</span><span class=\"si\">{n!r:&gt;4}</span><span class=\"s\"> {{x}}&quot;</span>"
      ))
  }

  @Test func multilineStringsAreClosedOnEveryLine() {
    let lines = Highlighter.pythonLines("s = \"\"\"one\n<two>\nthree\"\"\" # c\nclass A: pass")
    #expect(lines[0] == "s = <span class=\"s\">&quot;&quot;&quot;one</span>")
    #expect(lines[1] == "<span class=\"s\">&lt;two&gt;</span>")
    #expect(lines[2] == "<span class=\"s\">three&quot;&quot;&quot;</span> <span class=\"c\"># c</span>")
    #expect(
      lines[3] == "<span class=\"k\">class</span> <span class=\"nf\">A</span>: <span class=\"k\">pass</span>")
  }

  @Test func unterminatedStringsEndWithTheirLine() {
    let lines = Highlighter.pythonLines("x = 'open\ny = 2")
    #expect(lines[0] == "x = <span class=\"s\">&#39;open</span>")
    #expect(lines[1] == "y = <span class=\"n\">2</span>")
  }

  @Test func atInsideALineIsAnOperator() {
    #expect(Highlighter.python("a @ b") == "a @ b")
    #expect(Highlighter.python("  @cache\n") == "  <span class=\"d\">@cache</span>\n")
  }
}
