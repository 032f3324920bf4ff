import Foundation
import Mustache

/// The page templates and style sheets of Render/Theme, embedded in the binary.
struct Theme: Sendable {
  static let standard = Theme(files: EmbeddedFiles.files(in: "Render/Theme"))

  private let library: MustacheLibrary
  /// style.css, then the theme's other style sheets (timeline.css) in name order: pages
  /// inline it so they need nothing else.
  let css: String
  /// The theme's scripts by file name (page.js, timeline.js): pages inline those they need.
  private let scripts: [String: String]

  /// `files` in name order.
  private init(files: [(name: String, text: String)]) {
    MustacheContentTypes.register(ScalarHTMLEscaping(), named: "NOTERUN_HTML")
    var library = MustacheLibrary()
    var sheets: [String] = []
    var scripts: [String: String] = [:]
    for (name, text) in files {
      let file = URL(fileURLWithPath: name)
      switch file.pathExtension {
      case "mustache": try! library.register(text, named: file.deletingPathExtension().lastPathComponent)
      case "css" where name == "style.css": sheets.insert(text, at: 0)
      case "css": sheets.append(text)
      case "js": scripts[name] = text
      default: break
      }
    }
    self.library = library
    self.css = sheets.joined(separator: "\n")
    self.scripts = scripts
  }

  func script(_ name: String) -> String {
    guard let script = scripts[name] else { preconditionFailure("Render/Theme has no script \(name)") }
    return script
  }

  /// Renders `view` (a value that answers the names the template uses) with a template.
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
