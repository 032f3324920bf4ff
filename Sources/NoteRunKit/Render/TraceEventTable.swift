import Mustache

/// The plain event table a page shows in a cell's trace section until the timeline (SVG
/// and summarised table) is plugged into `PageRenderer(trace:)`.
public enum TraceEventTable {
  /// Rows are many: they answer the template by name instead of through reflection.
  struct Row: MustacheParent {
    var time: String
    var task: String
    var event: String
    var detail: String

    func child(named name: String) -> Any? {
      switch name {
      case "time": time
      case "task": task
      case "event": event
      case "detail": detail
      default: nil
      }
    }
  }

  struct View {
    var rows: [Row]
    var omittedNote: String?
  }

  public static func html(_ trace: Trace) -> String {
    let names = Dictionary(trace.tasks.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    let rows = trace.events.map { event in
      Row(
        time: DurationText.format(event.time), task: names[event.task] ?? "task \(event.task)",
        event: event.kind.rawValue, detail: detail(event))
    }
    let omitted = trace.omitted.map { omitted in
      let sites = omitted.sites.map { "\(names[$0.task] ?? "task \($0.task)") \($0.what) ×\($0.count)" }
      return "\(CellView.grouped(omitted.events)) more events not listed: " + sites.joined(separator: ", ")
    }
    return Theme.standard.render(View(rows: rows, omittedNote: omitted), with: "trace-table")
  }

  private static func detail(_ event: TraceEvent) -> String {
    switch event.kind {
    case .create: event.origin.map { "at \($0)" } ?? ""
    case .suspend:
      [event.what, event.chain.map { $0.map { "\($0.function) (\($0.origin))" }.joined(separator: " → ") }]
        .compactMap { $0 }.joined(separator: " — ")
    case .resume: ""
    case .print: "\(event.stream?.rawValue ?? "stdout"): \(event.text ?? "")"
    case .block:
      "held the loop \(DurationText.format(event.seconds ?? 0))" + (event.origin.map { " at \($0)" } ?? "")
    case .end: event.text ?? ""
    }
  }
}
