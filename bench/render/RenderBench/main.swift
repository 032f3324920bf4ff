import Foundation
import NoteRunKit

// The cost of rendering a page per cell, kernel excluded: notes of 1 and 100 cells are run
// once through the real kernel, then their pages are rendered again and again in this
// process. Per cell = (median of 100 cells − median of 1 cell) / 99.
// Usage: swift build -c release --product render-bench && .build/release/render-bench [ROUNDS]

let rounds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 200 : 200
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("noterun-render-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

/// The page of a note of `count` cells (`x = i`, printing `x * 2`) as run by the kernel.
func result(cells count: Int) throws -> NoteResult {
  let url = folder.appendingPathComponent("cells-\(count).md")
  let text = "# Cells\n\n" + (0..<count).map { "```python\nx = \($0)\nprint(x * 2)\n```\n\n" }.joined()
  try text.write(to: url, atomically: true, encoding: .utf8)
  let note = try NoteParser.parse(
    file: url, root: folder, displayPath: url.lastPathComponent, defaultLanguage: nil)
  return NoteRunner().run(note)
}

/// Median wall time of rendering `result`'s page, in milliseconds.
func medianRender(_ result: NoteResult) -> Double {
  let renderer = PageRenderer()
  var times: [Double] = []
  var bytes = 0
  for _ in 0..<rounds {
    let began = ContinuousClock.now
    bytes &+= renderer.render(result, check: NoteCheck(result), indexHref: "index.html").utf8.count
    times.append((ContinuousClock.now - began) / .milliseconds(1))
  }
  precondition(bytes > 0)
  return times.sorted()[times.count / 2]
}

let one = try result(cells: 1)
let hundred = try result(cells: 100)
precondition(hundred.cells.allSatisfy { $0.status == .ok }, "the 100-cell note did not run cleanly")
let t1 = medianRender(one)
let t100 = medianRender(hundred)
print(
  String(
    format: "render, median of %d: 1 cell %.3f ms, 100 cells %.3f ms, per cell %.4f ms",
    rounds, t1, t100, (t100 - t1) / 99))
