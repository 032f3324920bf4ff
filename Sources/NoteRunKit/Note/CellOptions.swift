/// Options of one cell, from its info string and its `#|` lines.
public struct CellOptions: Sendable, Hashable {
  /// `norun` / `skip`: shown, not run.
  public var run = true
  /// `raises=NAME`: the exception the cell is expected to raise.
  public var raises: String?
  /// `match="regex"`: the expected exception's message must match.
  public var match: String?
  /// `timeout=SECONDS`: wall-clock limit.
  public var timeout: Double?
  public var clock: ClockMode?
  public var hide: Set<HiddenPart> = []
  /// `trace=off` turns the suspension trace off.
  public var trace = true
  /// `id=NAME`: anchor of the cell on the page.
  public var id: String?
  /// `title=`, `filename=` or `name=` (MkDocs, Quarto, Hugo): a caption shown above the cell.
  public var caption: String?

  public init() {}
}

public enum ClockMode: String, Sendable, Hashable, Codable, CaseIterable {
  case virtual
  case real
}

/// Parts of a cell that `hide=` leaves off the page.
public enum HiddenPart: String, Sendable, Hashable, CaseIterable {
  case source
  case output
  case trace
}
