import Foundation

extension CellResult {
  /// The same result with every reference to a line of `file` moved by `move`: traceback
  /// frames, the error's line, and the trace's origins and await chains.
  func relocated(in file: String, _ move: (Int) -> Int) -> CellResult {
    var result = self
    let colon = "\(file):"
    let frame = "File \"\(file)\", line "
    func origin(_ text: String) -> String {
      guard text.hasPrefix(colon), let line = Int(text.dropFirst(colon.count)) else { return text }
      return colon + String(move(line))
    }
    if var error = result.error {
      error.traceback = Self.moveLines(in: error.traceback, after: frame, move)
      if error.file == file, let line = error.line { error.line = move(line) }
      result.error = error
    }
    if var trace = result.trace {
      func chain(_ frames: [ChainFrame]) -> [ChainFrame] {
        frames.map { ChainFrame(function: $0.function, origin: origin($0.origin)) }
      }
      trace.tasks = trace.tasks.map { task in
        var task = task
        task.origin = task.origin.map(origin)
        return task
      }
      trace.events = trace.events.map { event in
        var event = event
        event.origin = event.origin.map(origin)
        event.chain = event.chain.map(chain)
        return event
      }
      trace.waiting = trace.waiting.map { WaitingTask(task: $0.task, what: $0.what, chain: chain($0.chain)) }
      result.trace = trace
    }
    return result
  }

  /// Rewrites the number after each occurrence of `marker` in `text`.
  private static func moveLines(in text: String, after marker: String, _ move: (Int) -> Int) -> String {
    var output = ""
    var rest = Substring(text)
    while let range = rest.range(of: marker) {
      output += rest[..<range.upperBound]
      rest = rest[range.upperBound...]
      let digits = rest.prefix(while: \.isNumber)
      if let line = Int(digits) {
        output += String(move(line))
        rest = rest.dropFirst(digits.count)
      }
    }
    return output + rest
  }
}
