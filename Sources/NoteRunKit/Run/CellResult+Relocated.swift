import Foundation

extension CellResult {
  /// The same result with every reference to a line of `file` moved by `move`: traceback
  /// frames, the error's line, the trace's origins, await chains and wakers' lines, and `file:LINE` or
  /// `File "file", line LINE` in what the cell printed (warnings, tracebacks it printed).
  func relocated(in file: String, _ move: (Int) -> Int) -> CellResult {
    var result = self
    let colon = "\(file):"
    func origin(_ text: String) -> String {
      guard text.hasPrefix(colon), let line = Int(text.dropFirst(colon.count)) else { return text }
      return colon + String(move(line))
    }
    func printed(_ text: String) -> String {
      let frames = Self.moveLines(in: text, after: "File \"\(file)\", line ", move)
      return Self.moveLines(in: frames, after: colon, startingAPath: true, move)
    }
    result.outputs = result.outputs.map {
      OutputChunk(stream: $0.stream, text: printed($0.text), task: $0.task)
    }
    if var error = result.error {
      error.traceback = printed(error.traceback)
      if error.file == file, let line = error.line { error.line = move(line) }
      result.error = error
    }
    result.unfinishedTasks = result.unfinishedTasks.map { task in
      var task = task
      task.location = task.location.map(origin)
      return task
    }
    if var trace = result.trace {
      func chain(_ frames: [ChainFrame]) -> [ChainFrame] {
        frames.map { frame in
          var frame = frame
          frame.origin = origin(frame.origin)
          return frame
        }
      }
      trace.tasks = trace.tasks.map { task in
        var task = task
        task.origin = task.origin.map(origin)
        if let carried = task.carried { task.carried?.chain = chain(carried.chain) }
        return task
      }
      trace.events = trace.events.map { event in
        var event = event
        event.origin = event.origin.map(origin)
        event.chain = event.chain.map(chain)
        event.text = event.text.map(printed)
        if let at = event.wake?.at { event.wake?.at = origin(at) }
        return event
      }
      trace.waiting = trace.waiting.map { waiting in
        var waiting = waiting
        waiting.chain = chain(waiting.chain)
        return waiting
      }
      result.trace = trace
    }
    return result
  }

  /// Rewrites the number after each occurrence of `marker` in `text`. With
  /// `startingAPath`, only where the marker is not the tail of a longer path
  /// (`notes/a.md:3` is not a line of `a.md`).
  private static func moveLines(
    in text: String, after marker: String, startingAPath: Bool = false, _ move: (Int) -> Int
  ) -> String {
    var output = ""
    var rest = Substring(text)
    while let range = rest.range(of: marker) {
      let isTail =
        startingAPath && range.lowerBound > rest.startIndex
        && Self.isPathCharacter(rest[rest.index(before: range.lowerBound)])
      output += rest[..<range.upperBound]
      rest = rest[range.upperBound...]
      let digits = rest.prefix(while: \.isASCIIDigit)
      if !isTail, let line = Int(digits) {
        output += String(move(line))
        rest = rest.dropFirst(digits.count)
      }
    }
    return output + rest
  }

  private static func isPathCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || "/._-~".contains(character)
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
