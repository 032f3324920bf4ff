import Foundation

/// The useful part of what a dying kernel wrote to its original stderr: Python's
/// faulthandler line and the crashed thread's frames outside the kernel, such as
/// `File "Notes/x.md", line 3 in <module>`. Other text (a startup error) is kept whole.
func crashSummary(_ report: String) -> String {
  let lines = report.split(separator: "\n", omittingEmptySubsequences: false)
  guard let fatal = lines.first(where: { $0.hasPrefix("Fatal Python error:") }) else {
    let text = report.trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? "" : text + "\n"
  }
  var summary = [fatal]
  if let current = lines.firstIndex(where: { $0.hasPrefix("Current thread") }) {
    summary += lines[(current + 1)...].prefix { $0.hasPrefix("  File ") }.filter {
      !$0.contains("/_noterun_")
    }
  }
  return summary.joined(separator: "\n") + "\n"
}
