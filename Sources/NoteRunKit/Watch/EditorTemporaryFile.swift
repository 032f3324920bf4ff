/// Files editors write beside the one being saved: swap and backup files, lock files, and the
/// probe file vim creates to test whether a folder is writable. Changes to them are noise.
enum EditorTemporaryFile {
  static func matches(_ name: String) -> Bool {
    name == "4913"
      || name.hasSuffix("~")
      || name.hasPrefix(".#")
      || (name.hasPrefix("#") && name.hasSuffix("#"))
      || [".swp", ".swo", ".swx", "___jb_tmp___", "___jb_old___"].contains { name.hasSuffix($0) }
  }
}
