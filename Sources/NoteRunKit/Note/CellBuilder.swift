import Foundation

/// Turns cmark-gfm's code blocks, in document order, into the note's cells and the role of
/// every block.
struct CellBuilder {
  let lines: TextLines
  let url: URL
  let root: URL
  let file: String
  let defaultLanguage: String?
  private(set) var cells: [Cell] = []
  private(set) var codeBlocks: [CodeBlock] = []
  private var idLines: [String: Int] = [:]

  init(lines: TextLines, url: URL, root: URL, file: String, defaultLanguage: String?) {
    self.lines = lines
    self.url = url
    self.root = root
    self.file = file
    self.defaultLanguage = defaultLanguage
  }

  mutating func add(_ block: Markdown.CodeBlock) throws(NoteError) {
    let line = block.startLine
    guard block.isFenced else {
      codeBlocks.append(CodeBlock(role: .other(language: nil), line: line))
      return
    }
    let (prefix, info) = FenceLine.split(lines[line], character: block.fenceCharacter)
    let fence = Fence(character: block.fenceCharacter, length: block.fenceLength, prefix: prefix)
    let extent = Self.extent(of: block, lines: lines)
    let (word, rest) = FenceKind.firstWord(info)
    if word.lowercased() == "output", block.followsPreviousCodeBlock,
      case .cell(let index) = codeBlocks.last?.role
    {
      guard rest.isEmpty else {
        throw NoteError(
          file: file, line: line, message: "an `output` block takes no options, found `\(rest)`")
      }
      cells[index].expected = ExpectedOutput(
        line: line, endLine: extent.endLine, isClosed: extent.isClosed, text: block.literal, fence: fence)
      codeBlocks.append(CodeBlock(role: .expectedOutput(cell: index), line: line))
      return
    }
    let options: Substring
    let syntax: CellSyntax
    switch FenceKind(info: info) {
    case .python(let text, let kind):
      (options, syntax) = (text, kind)
    case .untagged:
      guard let defaultLanguage, FenceKind.isPython(defaultLanguage) else {
        codeBlocks.append(CodeBlock(role: .other(language: defaultLanguage), line: line))
        return
      }
      (options, syntax) = ("", .plain)
    case .other(let language):
      codeBlocks.append(CodeBlock(role: .other(language: language), line: line))
      return
    }
    let cell = try makeCell(block, info: options, syntax: syntax, fence: fence, extent: extent)
    codeBlocks.append(CodeBlock(role: .cell(cell.index), line: line))
    cells.append(cell)
  }

  /// After the last block: a note that uses markdown-exec's `exec=` runs only the cells
  /// that say `exec="on"`, as markdown-exec would.
  mutating func finish() {
    guard cells.contains(where: { $0.options.exec != nil }) else { return }
    for index in cells.indices where cells[index].options.exec == nil {
      cells[index].options.run = false
    }
  }

  private mutating func makeCell(
    _ block: Markdown.CodeBlock, info: Substring, syntax: CellSyntax, fence: Fence,
    extent: (endLine: Int, isClosed: Bool)
  ) throws(NoteError) -> Cell {
    let line = block.startLine
    let codeLine = line + 1
    let code = Self.literalLines(block.literal)
    let optionLines = CellOptionLines(code, syntax: syntax)
    let optionCount = optionLines.count
    var options = CellOptions()
    var optionError: NoteError?
    do throws(NoteError) {
      try readOptions(
        into: &options, info: info, syntax: syntax, lines: optionLines, codeLine: codeLine, fenceLine: line)
    } catch {
      optionError = error
    }
    var segments = SegmentBuilder(file: file)
    var includes: [URL] = []
    for (offset, text) in code.enumerated() {
      let number = codeLine + offset
      guard offset >= optionCount,
        let directive = try IncludeDirective(line: text, file: file, lineNumber: number)
      else {
        segments.append(offset < optionCount ? "" : text, line: number)
        continue
      }
      let included = try directive.resolve(noteURL: url, noteDisplayPath: file, root: root, line: number)
      if !includes.contains(included.url) { includes.append(included.url) }
      segments.include(included.lines, file: included.displayPath, line: included.firstLine)
    }
    let shown = code[optionCount...]
    return Cell(
      index: cells.count, line: line, codeLine: codeLine, endLine: extent.endLine,
      isClosed: extent.isClosed, info: block.info, source: TextLines.joined(shown),
      sourceLines: shown.indices.map { codeLine + $0 }, segments: segments.finish(), options: options,
      expected: nil, fence: fence, includes: includes, optionError: optionError)
  }

  /// Reads the info string's options, then the option lines at the top of the cell. The
  /// first problem fails this cell only: the rest of the note still runs.
  private mutating func readOptions(
    into options: inout CellOptions, info: Substring, syntax: CellSyntax, lines: CellOptionLines,
    codeLine: Int, fenceLine line: Int
  ) throws(NoteError) {
    for token in try OptionTokenizer.tokens(info, file: file, line: line) {
      try options.set(token.key, token.value, file: file, line: line, syntax: syntax)
    }
    if let yaml = lines.yaml {
      for entry in try YAMLMapping(
        yaml, firstLine: codeLine + lines.yamlOffset, file: file, what: "cell options"
      ).entries {
        guard let value = YAMLMapping.text(entry.value) else {
          throw NoteError(
            file: file, line: entry.line, message: "cell option `\(entry.key)` must be a value or a list")
        }
        try options.set(entry.key, value, file: file, line: entry.line, syntax: syntax)
      }
    }
    if options.exec == true && !options.showsSource { options.hide.insert(.source) }
    if options.match != nil && options.raises == nil {
      throw NoteError(
        file: file, line: line,
        message: "cell option `match` checks the message of the exception named by `raises`: add raises=NAME")
    }
    if let id = options.id {
      if let first = idLines[id] {
        throw NoteError(
          file: file, line: line, message: "cell id `\(id)` is already used by the cell at line \(first)")
      }
      idLines[id] = line
    }
  }

  /// Where a fence really ends. cmark-gfm's end line is exact for a closed fence; for an
  /// unclosed one ended by its container it is one line too far (FACTS.md), so the end is
  /// counted from the content instead.
  static func extent(of block: Markdown.CodeBlock, lines: TextLines) -> (endLine: Int, isClosed: Bool) {
    let contentLines = literalLines(block.literal).count
    let isClosed =
      block.endLine == block.startLine + contentLines + 1 && !block.otherBlockStartsOnEndLine
      && FenceLine.closes(lines[block.endLine], character: block.fenceCharacter, length: block.fenceLength)
    return (isClosed ? block.endLine : block.startLine + contentLines, isClosed)
  }

  /// A literal's lines without their "\n".
  static func literalLines(_ literal: String) -> [Substring] {
    var lines = literal.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}

/// Collects a cell's code into runs of lines from one file each.
private struct SegmentBuilder {
  let file: String
  private var segments: [SourceSegment] = []
  private var pending: SourceSegment?

  init(file: String) { self.file = file }

  mutating func append(_ text: Substring, line: Int) {
    if pending == nil { pending = SourceSegment(file: file, line: line, text: "") }
    pending?.text += text + "\n"
  }

  mutating func include(_ lines: [Substring], file: String, line: Int) {
    flush()
    if !lines.isEmpty {
      segments.append(SourceSegment(file: file, line: line, text: TextLines.joined(lines)))
    }
  }

  mutating func finish() -> [SourceSegment] {
    flush()
    return segments
  }

  private mutating func flush() {
    if let pending { segments.append(pending) }
    pending = nil
  }
}
