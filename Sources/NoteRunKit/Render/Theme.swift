import Foundation
import Mustache

/// The page templates and style sheets of Render/Theme, read once from the bundle.
struct Theme: Sendable {
  static let standard = Theme(folder: Bundle.module.url(forResource: "Theme", withExtension: nil)!)

  private let library: MustacheLibrary
  /// style.css, then the theme's other style sheets (timeline.css) in name order: pages
  /// inline it so they need nothing else.
  let css: String

  private init(folder: URL) {
    let files = try! FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    MustacheContentTypes.register(ScalarHTMLEscaping(), named: "NOTERUN_HTML")
    var library = MustacheLibrary()
    var sheets: [String] = []
    for file in files {
      let text = try! String(contentsOf: file, encoding: .utf8)
      switch file.pathExtension {
      case "mustache": try! library.register(text, named: file.deletingPathExtension().lastPathComponent)
      case "css" where file.lastPathComponent == "style.css": sheets.insert(text, at: 0)
      case "css": sheets.append(text)
      default: break
      }
    }
    self.library = library
    self.css = sheets.joined(separator: "\n")
  }

  /// Renders `view` (a value whose stored properties the template names) with a template.
  func render(_ view: Any, with template: String) -> String {
    guard let html = library.render(view, withTemplate: template) else {
      preconditionFailure("Render/Theme has no template \(template).mustache")
    }
    return html
  }
}

/// Mustache's own HTML escaping compares whole Characters, and `"` followed by a combining
/// mark is one Character that it leaves alone: user text could end an attribute. Every
/// template starts with `{{% CONTENT_TYPE: NOTERUN_HTML }}` to escape scalar by scalar.
private struct ScalarHTMLEscaping: MustacheContentType {
  func escapeText(_ text: String) -> String { HTMLEscape.escape(text) }
}
