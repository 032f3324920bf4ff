/// The option lines that open a cell, as YAML: Quarto's `#| key: value` lines, or in a
/// MyST `{code-cell}` its `:key: value` lines or a `---` … `---` block. They are not shown
/// and not run (the kernel gets blank lines in their place, so line numbers stay the
/// note's).
struct CellOptionLines {
  /// How many lines at the top of the cell are options.
  var count = 0
  /// Their YAML, if any.
  var yaml: String?
  /// Lines between the cell's first line and the YAML's first line.
  var yamlOffset = 0

  init(_ code: [Substring], syntax: CellSyntax) {
    if syntax == .myst, code.first?.trimmingTrailingBlanks == "---",
      let close = code.dropFirst().firstIndex(where: { $0.trimmingTrailingBlanks == "---" })
    {
      count = close + 1
      yaml = TextLines.joined(code[1..<close])
      yamlOffset = 1
      return
    }
    if syntax == .myst {
      let lines = code.prefix { Self.mystOption($0) != nil }
      if !lines.isEmpty {
        count = lines.count
        yaml = TextLines.joined(lines.compactMap(Self.mystOption))
        return
      }
    }
    let lines = code.prefix { $0.hasPrefix("#|") }
    if !lines.isEmpty {
      count = lines.count
      yaml = TextLines.joined(lines.map { $0.dropFirst(2).trimmingPrefix(" ") })
    }
  }

  /// `:tags: [a, b]` as the YAML line `tags: [a, b]`; nil for any other line.
  private static func mystOption(_ line: Substring) -> Substring? {
    guard line.first == ":", let close = line.dropFirst().firstIndex(of: ":") else { return nil }
    let key = line[line.index(after: line.startIndex)..<close]
    guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
      return nil
    }
    let rest = line[line.index(after: close)...]
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    return key + ":" + rest
  }
}
