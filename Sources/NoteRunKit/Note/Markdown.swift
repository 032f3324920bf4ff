import CCmarkGFM
import Foundation

/// The one door to cmark-gfm. Version 0.29 is not thread-safe (FACTS.md: concurrent parses
/// silently lose strikethrough and autolinks), so every parse and render holds `lock`.
enum Markdown {
  private static let lock = NSLock()
  private static let extensions = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
  /// Raw HTML stays filtered (no CMARK_OPT_UNSAFE); invalid UTF-8 is replaced, not allowed
  /// to shift fences.
  private static let options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES

  /// A code block as cmark-gfm reports it.
  struct CodeBlock: Sendable, Hashable {
    /// Info string, unescaped and trimmed; empty for indented blocks.
    var info: String
    /// Content with "\n" line endings.
    var literal: String
    var startLine: Int
    /// For an unclosed fence inside a container this is one line too far (FACTS.md).
    var endLine: Int
    var isFenced: Bool
    var fenceLength: Int
    var fenceCharacter: Character
    /// The block comes right after the previous code block, with nothing but blank
    /// lines between them (they are siblings): how an `output` block pairs with its cell.
    var followsPreviousCodeBlock: Bool
    /// Another block starts on `endLine`: then the fence did not close there but was ended
    /// by its container, and `endLine` is one too far (FACTS.md).
    var otherBlockStartsOnEndLine: Bool
  }

  struct Outline: Sendable {
    var codeBlocks: [CodeBlock]
    /// Plain text of the first-level heading that opens the document, if it opens with one.
    var openingHeading: String?
  }

  /// The code blocks and the first heading of a document.
  static func outline(_ markdown: String) -> Outline {
    withDocument(markdown) { _, root in
      let nodes = codeBlockNodes(root)
      let blockStartLines = blockStartLines(root)
      var blocks: [CodeBlock] = []
      blocks.reserveCapacity(nodes.count)
      var previous: OpaquePointer?
      for node in nodes {
        let endLine = Int(cmark_node_get_end_line(node))
        var length: Int32 = 0
        var offset: Int32 = 0
        var character: CChar = 0
        let fenced = cmark_node_get_fenced(node, &length, &offset, &character) != 0
        blocks.append(
          CodeBlock(
            info: string(cmark_node_get_fence_info(node)),
            literal: string(cmark_node_get_literal(node)),
            startLine: Int(cmark_node_get_start_line(node)),
            endLine: endLine,
            isFenced: fenced,
            fenceLength: Int(length),
            fenceCharacter: fenced ? Character(UnicodeScalar(UInt8(bitPattern: character))) : " ",
            followsPreviousCodeBlock: previous != nil && cmark_node_previous(node) == previous,
            otherBlockStartsOnEndLine: endLine > Int(cmark_node_get_start_line(node))
              && blockStartLines.contains(endLine)))
        previous = node
      }
      return Outline(codeBlocks: blocks, openingHeading: openingHeading(root))
    }
  }

  /// Renders the document to HTML. `replacement` is asked for each code block in document
  /// order: HTML to put in its place (rendered verbatim, FACTS.md: a custom block is not
  /// touched by the tagfilter), "" to drop the block, or nil to let cmark-gfm render it.
  static func html(_ markdown: String, replacing replacement: (Int) -> String?) -> String {
    withDocument(markdown) { parser, root in
      for (index, node) in codeBlockNodes(root).enumerated() {
        guard let html = replacement(index) else { continue }
        if html.isEmpty {
          cmark_node_free(node)
          continue
        }
        let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)
        cmark_node_set_on_enter(custom, html)
        cmark_node_replace(node, custom)
        cmark_node_free(node)
      }
      guard let rendered = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser))
      else { return "" }
      defer { free(rendered) }
      return String(cString: rendered)
    }
  }

  private static func withDocument<T>(
    _ markdown: String, _ body: (OpaquePointer, OpaquePointer) -> T
  ) -> T {
    lock.lock()
    defer { lock.unlock() }
    cmark_gfm_core_extensions_ensure_registered()
    let parser = cmark_parser_new(options)!
    defer { cmark_parser_free(parser) }
    for name in extensions {
      if let syntax = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, syntax)
      }
    }
    var text = markdown
    text.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
    }
    let root = cmark_parser_finish(parser)!
    // The document must be freed before its parser (FACTS.md: the reverse segfaults).
    defer { cmark_node_free(root) }
    return body(parser, root)
  }

  private static func codeBlockNodes(_ root: OpaquePointer) -> [OpaquePointer] {
    var nodes: [OpaquePointer] = []
    let iterator = cmark_iter_new(root)
    defer { cmark_iter_free(iterator) }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
        cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK
      {
        nodes.append(node)
      }
    }
    return nodes
  }

  /// Start lines of all block nodes. Ancestors of a code block start on or before its first
  /// line, so a block starting on a later line of it is never an ancestor.
  private static func blockStartLines(_ root: OpaquePointer) -> Set<Int> {
    var lines = Set<Int>()
    let iterator = cmark_iter_new(root)
    defer { cmark_iter_free(iterator) }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
        cmark_node_get_type(node).rawValue & UInt32(CMARK_NODE_TYPE_MASK) == UInt32(CMARK_NODE_TYPE_BLOCK)
      {
        lines.insert(Int(cmark_node_get_start_line(node)))
      }
    }
    return lines
  }

  /// A heading further down is a section's, not the note's title (a `#` 55 lines in).
  private static func openingHeading(_ root: OpaquePointer) -> String? {
    guard let heading = cmark_node_first_child(root), cmark_node_get_type(heading) == CMARK_NODE_HEADING,
      cmark_node_get_heading_level(heading) == 1
    else { return nil }
    let iterator = cmark_iter_new(heading)
    defer { cmark_iter_free(iterator) }
    var text = ""
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
      let type = cmark_node_get_type(node)
      if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
        text += string(cmark_node_get_literal(node))
      } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
        text += " "
      }
    }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
  }

  private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }
}
