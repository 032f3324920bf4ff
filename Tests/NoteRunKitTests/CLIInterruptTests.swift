import Foundation
import Testing

/// Ctrl-C on `noterun render` while a cell sleeps in real time.
@Suite struct CLIInterruptTests {
  @Test func interruptStopsPromptlyKillsTheKernelAndLeavesNoTemporaryFile() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/1-quick.md", "```python\nprint('quick')\n```\n")
    try sandbox.write("notes/2-sleepy.md", "```python clock=real\nimport time\ntime.sleep(30)\n```\n")

    let render = try sandbox.launch(["render", "notes", "-o", "out", "-j", "1", "--cache-dir", "cache"])
    // Interrupt once the sleepy note's kernel is running (the quick one is done by then).
    var kernelSeen = false
    for _ in 0..<200 where !kernelSeen {
      Thread.sleep(forTimeInterval: 0.05)
      kernelSeen = sandbox.exists("out/1-quick.html") && !sandbox.liveKernels().isEmpty
    }
    #expect(kernelSeen, "the sleepy note's kernel never started")
    Thread.sleep(forTimeInterval: 0.3)
    render.process.interrupt()
    // The cell would sleep 30 s: exiting well before that means it did not wait for it.
    let run = try render.finish(within: 10)

    #expect(run.status == 130, "\(run.stderr)")
    #expect(run.stderr.contains("interrupted"))
    var kernels = sandbox.liveKernels()
    for _ in 0..<40 where !kernels.isEmpty {
      Thread.sleep(forTimeInterval: 0.05)
      kernels = sandbox.liveKernels()
    }
    #expect(kernels.isEmpty, "kernels left running: \(kernels)")
    let leftovers = (sandbox.files(under: "out") + sandbox.files(under: "cache")).filter {
      $0.hasSuffix(".tmp")
    }
    #expect(leftovers.isEmpty)
    #expect(!sandbox.exists("out/2-sleepy.html"))
  }
}
