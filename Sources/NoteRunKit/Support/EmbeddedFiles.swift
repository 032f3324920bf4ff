/// The files NoteRunKit reads at run time (templates, style sheets, scripts, the Python
/// kernel), compiled into the binary by the EmbedFiles build plugin (Plugins/EmbedFiles),
/// so a copied `noterun` needs nothing beside it. `contents` maps each file's path inside
/// Sources/NoteRunKit to its text.
enum EmbeddedFiles {
  /// The text of the file at `path`; a missing file is a mistake in the build, not input.
  static func text(_ path: String) -> String {
    guard let text = contents[path] else { preconditionFailure("\(path) is not embedded in NoteRunKit") }
    return text
  }

  /// The files under `folder`, by path relative to it, in path order.
  static func files(in folder: String) -> [(name: String, text: String)] {
    let prefix = folder + "/"
    return contents.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }
      .map { (name: String($0.key.dropFirst(prefix.count)), text: $0.value) }
  }
}
