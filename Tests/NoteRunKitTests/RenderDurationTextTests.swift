import Testing

@testable import NoteRunKit

@Test(arguments: [
  (0.0, "0 s"), (0.0000001, "0 s"), (0.0042, "4.2 ms"), (0.004, "4 ms"), (0.25, "250 ms"), (1.5, "1.5 s"),
  (10, "10 s"), (12.345, "12.35 s"), (125, "2 min 5 s"), (120, "2 min"), (3600, "1 h"), (3720, "1 h 2 min"),
])
func durationsReadNaturally(seconds: Double, text: String) {
  #expect(DurationText.format(seconds) == text)
}
