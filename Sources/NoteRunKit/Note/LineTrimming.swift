/// Trimming of note lines by Unicode scalars, as cmark-gfm sees them: spaces and tabs are
/// blanks, and a byte order mark may start the first line.
extension Substring {
  var trimmingBOM: Substring {
    unicodeScalars.first == "\u{FEFF}" ? Substring(unicodeScalars.dropFirst()) : self
  }

  var trimmingTrailingBlanks: Substring {
    var scalars = unicodeScalars[...]
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return Substring(scalars)
  }

  var trimmingBlanks: Substring {
    var scalars = trimmingTrailingBlanks.unicodeScalars[...]
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    return Substring(scalars)
  }
}
