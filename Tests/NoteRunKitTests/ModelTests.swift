import Testing

@testable import NoteRunKit

@Test func printedJoinsOutputThenValue() {
  let result = CellResult(
    cell: 0, status: .ok, outputs: [.init(stream: .stdout, text: "a"), .init(stream: .stderr, text: "b\n")],
    value: "42")
  #expect(result.printed == "ab\n42\n")
}
