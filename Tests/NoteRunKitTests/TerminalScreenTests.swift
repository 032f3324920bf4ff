import Foundation
import Testing

@testable import NoteRunKit

@Suite struct TerminalScreenTests {
  typealias Style = TerminalScreen.Style

  @Test func carriageReturnAndBackspaceOverwriteAsInATerminal() {
    #expect(TerminalScreen.readerText("10%\r20%\r100%\n") == "100%\n")
    #expect(TerminalScreen.readerText("abcdef\rXY\n") == "XYcdef\n")
    #expect(TerminalScreen.readerText("ab\u{8}\u{8}X\n") == "Xb\n")
    #expect(TerminalScreen.readerText("a\r\nb\r\n") == "a\nb\n")
    #expect(TerminalScreen.readerText("\u{8}\u{8}a") == "a")
    #expect(TerminalScreen.readerText("plain\ttext\n") == "plain\ttext\n")
  }

  @Test func eraseAndCursorMovesActOnLines() {
    #expect(TerminalScreen.readerText("long line\r\u{1B}[Kshort\n") == "short\n")
    #expect(TerminalScreen.readerText("abcdef\u{1B}[3D\u{1B}[K!") == "abc!")
    #expect(TerminalScreen.readerText("abc\u{1B}[2Kx") == "   x")
    #expect(TerminalScreen.readerText("bar 1\nbar 2\n\u{1B}[2A\rBAR 1\n") == "BAR 1\nbar 2\n")
    #expect(TerminalScreen.readerText("a\u{1B}[5Gb") == "a   b")
  }

  @Test func colourSequencesBecomeStylesAndOtherSequencesAreDropped() {
    let text = TerminalScreen(
      "\u{1B}[1;31mred bold\u{1B}[0m plain \u{1B}[38;5;208mo\u{1B}[48;2;1;2;3mx\u{1B}[39;49m"
        + "\u{1B}[3;4;9mi\u{1B}[m\u{1B}]0;title\u{7}\u{1B}[?25l\u{1B}7end\u{7}\n")
    #expect(text.plain == "red bold plain oxiend\n")
    var red = Style()
    red.foreground = .palette(1)
    red.bold = true
    var orange = Style()
    orange.foreground = .palette(208)
    var both = orange
    both.background = .rgb(1, 2, 3)
    var decorated = Style()
    (decorated.italic, decorated.underline, decorated.strike) = (true, true, true)
    #expect(
      text.lines[0] == [
        .init(text: "red bold", style: red), .init(text: " plain ", style: .plain),
        .init(text: "o", style: orange),
        .init(text: "x", style: both), .init(text: "i", style: decorated), .init(text: "end", style: .plain),
      ])
    var bright = Style()
    bright.foreground = .palette(9)
    bright.background = .palette(12)
    #expect(TerminalScreen("\u{1B}[91;104mb").lines[0] == [.init(text: "b", style: bright)])
  }

  @Test func truncatedSequencesDoNotLeakAnEscape() {
    for text in ["\u{1B}", "a\u{1B}[", "a\u{1B}[31", "a\u{1B}]0;x", "\u{1B}[38;5m", "\u{1B}[38;2;1mz"] {
      let plain = TerminalScreen(text).plain
      #expect(!plain.unicodeScalars.contains("\u{1B}"), "\(text.debugDescription)")
    }
  }

  @Test func htmlHasSpansAndNoControlBytes() {
    let html = TerminalHTML.html("\u{1B}[32mok\u{1B}[0m <b>\n\u{1B}[38;2;255;0;16mrgb\u{1B}[7m!\n")
    #expect(
      html
        == "<pre><span class=\"t-fg2\">ok</span> &lt;b&gt;\n<span style=\"color:#ff0010\">rgb</span>"
        + "<span style=\"color:var(--code-bg);background-color:#ff0010\">!</span>\n</pre>")
    #expect(
      !TerminalHTML.html("a\u{1B}[31m\u{0}\u{7}b").unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
  }

  @Test func longOutputIsFoldedAndBounded() {
    let text = (1...20_000).map { "line \($0)" }.joined(separator: "\n") + "\n"
    let html = TerminalHTML.html(text)
    #expect(html.hasPrefix("<div class=\"folded\"><pre>line 1\nline 2\n"))
    #expect(
      html.contains(
        "line 40</pre><details class=\"fold\"><summary>… 19,940 lines hidden</summary><pre>line 41\n"))
    #expect(html.contains("<p class=\"fold-cut\">… 17,940 more lines are left out of the page</p></details>"))
    #expect(
      html.hasSuffix(
        "<pre>line 19981\n" + (19_982...20_000).map { "line \($0)" }.joined(separator: "\n")
          + "\n</pre></div>"))
    #expect(html.utf8.count < 200_000)
    let wide = TerminalHTML.html(String(repeating: "x", count: 9_000_000))
    #expect(wide.utf8.count < 3_000 && wide.contains("… 8,998,000 more characters"))
    #expect(TerminalHTML.html((1...100).map(String.init).joined(separator: "\n")).hasPrefix("<pre>1\n2\n"))
  }
}
