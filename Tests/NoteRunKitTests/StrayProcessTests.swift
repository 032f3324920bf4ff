import Foundation
import Glibc
import Testing

@testable import NoteRunKit

/// A cell that starts a process outside the kernel's process group (`setsid()`) does not
/// leave it running after noterun ends, and the page says it was stopped. The cell waits
/// until the child has left the group and run its program (the pipe closes on exec): a child
/// still in the kernel's group dies with the kernel as any other, and is no stray.
@Suite struct StrayProcessTests {
  func processes(marked marker: String) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry -> pid_t? in
      guard let pid = pid_t(entry),
        let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
        String(decoding: command, as: UTF8.self).contains(marker),
        let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
        !stat.contains(") Z ")
      else { return nil }
      return pid
    }
  }

  @Test func aDaemonACellStartedIsStoppedAndNamedOnThePage() throws {
    let sandbox = try CLISandbox()
    let marker = "noterun-stray-\(UUID().uuidString)"
    defer { for pid in processes(marked: marker) { kill(pid, SIGKILL) } }
    let note = """
      # Strays

      ```python
      import os, sys
      ready, told = os.pipe()
      pid = os.fork()
      if pid == 0:
          os.setsid()
          os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", "\(marker)"])
      os.close(told)
      os.read(ready, 1)
      print("forked")
      ```

      ```python
      print("next")
      ```
      """
    try sandbox.write("notes/strays.md", note + "\n")

    let run = try sandbox.launch(["render", "notes", "-o", "site", "--no-cache"]).finish(within: 120)

    #expect(run.status == 0, "\(run.stderr)")
    #expect(processes(marked: marker).isEmpty, "left running: \(processes(marked: marker))")
    let page = try sandbox.read("site/strays.html")
    #expect(page.contains("noterun stopped a process this note left running"), "\(page)")
    #expect(page.contains(marker))
  }

  /// A program that embeds noterun keeps its own orphans: only what a kernel started (its
  /// environment says which noterun) is stopped.
  @Test func anOrphanThatNoKernelStartedIsLeftAlone() throws {
    #expect(StrayProcesses.adoptsOrphans)
    let marker = "noterun-foreign-\(UUID().uuidString)"
    defer { for pid in processes(marked: marker) { kill(-pid, SIGKILL) } }
    // The shell exits at once; its setsid child is adopted by this process, as a daemon of
    // a cell is adopted by noterun. (`system` reaps the shell itself.)
    #expect(system("setsid sh -c 'sleep 600; :' \(marker) >/dev/null 2>&1 &") == 0)
    var adopted: [pid_t] = []
    for _ in 0..<200 where adopted.isEmpty {
      adopted = processes(marked: marker)
      if adopted.isEmpty { usleep(10_000) }
    }
    #expect(adopted.count == 1)

    let stopped = StrayProcesses.stop()

    #expect(!stopped.contains { adopted.contains($0.pid) })
    #expect(processes(marked: marker) == adopted)
  }
}
