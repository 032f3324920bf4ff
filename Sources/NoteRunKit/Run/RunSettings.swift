import Foundation

/// How notes are run, as the command line says. Unset values fall back to the note's front
/// matter, then to the defaults; a cell's own options win over both.
public struct RunSettings: Sendable {
  /// `--python`: a path or a name looked up on PATH.
  public var python: String?
  /// `--timeout`: wall-clock seconds per cell.
  public var timeout: Double?
  public var clock: ClockMode?
  public var seed: Int?
  /// Virtual seconds a cell may advance before it stops.
  public var budget: Double
  /// Trace events kept in full per cell.
  public var traceLimit: Int
  /// The environment kernels run in (and where PATH and NOTERUN_PYTHON are read).
  public var environment: [String: String]
  /// How kernels start; `.spawned` exists to hold the forked ones against it.
  public var kernelLaunch: KernelLaunch

  public static let defaultTimeout = 30.0
  public static let defaultClock = ClockMode.virtual
  public static let defaultSeed = 0
  /// Accepted `--timeout` values: NaN and infinities are outside, so is anything a deadline
  /// cannot hold (a year is plenty for one cell).
  public static let timeoutRange = Double.leastNonzeroMagnitude...31_536_000
  /// Accepted `--time-budget` values: the kernel counts virtual time in whole nanoseconds
  /// (a 64-bit integer), so 1e9 s stays far inside it.
  public static let budgetRange = Double.leastNonzeroMagnitude...1_000_000_000

  public init(
    python: String? = nil, timeout: Double? = nil, clock: ClockMode? = nil, seed: Int? = nil,
    budget: Double = 3600, traceLimit: Int = 5000,
    environment: [String: String] = ProcessInfo.processInfo.environment, kernelLaunch: KernelLaunch = .forked
  ) {
    self.python = python
    self.timeout = timeout
    self.clock = clock
    self.seed = seed
    self.budget = budget
    self.traceLimit = traceLimit
    self.environment = environment
    self.kernelLaunch = kernelLaunch
  }

  public func timeout(for cell: Cell, in note: Note) -> Double {
    cell.options.timeout ?? timeout ?? note.frontMatter.timeout ?? Self.defaultTimeout
  }

  public func clock(for cell: Cell, in note: Note) -> ClockMode {
    cell.options.clock ?? clock ?? note.frontMatter.clock ?? Self.defaultClock
  }

  public func seed(for note: Note) -> Int {
    seed ?? note.frontMatter.seed ?? Self.defaultSeed
  }
}
