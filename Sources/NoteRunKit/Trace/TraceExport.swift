import Foundation

/// A note's traces as files another tool reads: noterun's own JSON (the `Trace` schema the
/// kernel records, per cell) or Chrome Trace Event JSON for ui.perfetto.dev.
public enum TraceExport {
  public enum Format: String, Sendable, CaseIterable {
    /// The aligned table `noterun trace` prints.
    case table
    /// `{"note", "cells": [{"cell", "line", "location", "status", "trace"}]}`; `trace` is the
    /// `Trace` type as JSON, null for a cell without one.
    case json
    /// Chrome Trace Event JSON (`PerfettoTrace`).
    case perfetto
  }

  /// The selected cells of one run note in `format`.
  public static func text(_ result: NoteResult, cells: [Cell], format: Format) -> String {
    let results = Dictionary(result.cells.map { ($0.cell, $0) }, uniquingKeysWith: { first, _ in first })
    switch format {
    case .table:
      var text = ""
      for cell in cells {
        let cellResult = results[cell.index] ?? CellResult(cell: cell.index, status: .notRun)
        text += "\(result.note.location(cell.line))  cell \(cell.index + 1)  \(cellResult.status.rawValue)"
        // As precise as the trace's own times: a 0.4 ms cell is not "0.000 s".
        let decimals = TraceFormat.decimals(for: [cellResult.clockSeconds], least: 3)
        text += "  \(TraceFormat.fixed(cellResult.clockSeconds, decimals: decimals)) s on the "
        text += "\(cellResult.trace?.clock.rawValue ?? "cell's") clock\n"
        if let trace = cellResult.trace,
          !trace.tasks.isEmpty || !trace.events.isEmpty || !trace.waiting.isEmpty
        {
          text += TraceTable.text(trace) + "\n"
        } else {
          let reason =
            cellResult.status == .notRun ? "not run" : "no asyncio tasks"
          text += "  (\(reason))\n\n"
        }
      }
      return text
    case .perfetto:
      return PerfettoTrace.json(
        cells.compactMap { cell in
          results[cell.index]?.trace.flatMap { $0.tasks.isEmpty && $0.events.isEmpty ? nil : $0 }.map {
            PerfettoTrace.Cell(number: cell.index + 1, location: result.note.location(cell.line), trace: $0)
          }
        })
    case .json:
      let document = Document(
        note: result.note.file,
        cells: cells.map { cell in
          let cellResult = results[cell.index]
          return CellTrace(
            cell: cell.index + 1, line: cell.line, location: result.note.location(cell.line),
            status: (cellResult?.status ?? .notRun).rawValue, trace: cellResult?.trace.map(WireTrace.init))
        })
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      return String(decoding: try! encoder.encode(document), as: UTF8.self) + "\n"
    }
  }

  private struct Document: Encodable {
    var note: String
    var cells: [CellTrace]
  }

  private struct CellTrace: Encodable {
    var cell: Int
    var line: Int
    var location: String
    var status: String
    /// The kernel's own schema (its wire trace), so the export reads as the protocol does.
    var trace: WireTrace?

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(cell, forKey: .cell)
      try container.encode(line, forKey: .line)
      try container.encode(location, forKey: .location)
      try container.encode(status, forKey: .status)
      // Explicit null: a reader sees the cell had no trace, not a missing field.
      try container.encode(trace, forKey: .trace)
    }

    enum CodingKeys: String, CodingKey {
      case cell, line, location, status, trace
    }
  }
}
