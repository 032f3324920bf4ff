import Foundation
import Testing

/// Same notes, same interpreter, same options: the same bytes. The real binary.
@Suite struct CLIReproducibleTests {
  static let note = """
    # Interleaving

    ```python
    import asyncio, time

    async def count(n):
        print(f"start {n}")
        await asyncio.sleep(n)
        print(f"end {n}")
        return n

    start = time.perf_counter()
    await asyncio.gather(*(asyncio.create_task(count(n)) for n in (1, 2, 3)))
    print(f"took {time.perf_counter() - start:0.2f} s")
    ```

    ```python
    {"b": 2, "a": 1}
    ```

    ```python
    1/0
    ```

    """

  @Test func rendersWithoutTheCacheWriteIdenticalPages() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/a.md", Self.note)
    try sandbox.write("notes/b.md", "```python\nprint('b')\n```\n")

    // Compared byte for byte: stronger than comparing digests.
    var sites: [[String: Data]] = []
    for run in 1...4 {
      let result = try sandbox.run(["render", "notes", "-o", "out\(run)", "--no-cache", "-j", "2"])
      #expect(result.status == 0, "\(result.stderr)")
      sites.append(
        Dictionary(
          uniqueKeysWithValues: sandbox.files(under: "out\(run)").map { file in
            (file, (try? Data(contentsOf: sandbox.url("out\(run)/\(file)"))) ?? Data())
          }))
    }
    #expect(
      sites.first?.keys.sorted() == [
        ".noterun-pages.json", "a.html", "b.html", "index.html", "noterun-search.js", "noterun-site.js",
      ])
    for (offset, site) in sites.enumerated().dropFirst() {
      for (file, bytes) in site where bytes != sites[0][file] {
        Issue.record("out\(offset + 1)/\(file) differs from out1/\(file)")
      }
    }

    let timed = try sandbox.run(["render", "notes", "-o", "timed", "--no-cache", "--timings"])
    #expect(timed.status == 0)
    #expect(try sandbox.read("timed/a.html").contains(">ran in "))
    #expect(try !sandbox.read("out1/a.html").contains(">ran in "))
  }
}
