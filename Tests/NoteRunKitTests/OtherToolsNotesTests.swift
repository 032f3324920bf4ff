import Foundation
import Testing

/// Notes written for other tools (MkDocs Material, Quarto, MyST, markdown-exec) run as they
/// are: the real binary, real python3, real files.
@Suite struct OtherToolsNotesTests {
  /// An MkDocs-Material note: pymdownx fence attributes, and a typo in an option (line 19).
  static let mkdocs = """
    ---
    title: Tareas con asyncio
    ---

    # Tareas

    ```python title="ejemplo.py" linenums="1" hl_lines="3"
    import asyncio
    async def saluda():
        await asyncio.sleep(1)
        print("hola")
    asyncio.run(saluda())
    ```

    ```output
    hola
    ```

    ```python raise=ValueError
    int("x")
    ```

    ```python
    print("sigue")
    ```

    """

  static let quarto = """
    ---
    title: "Quarto"
    format: html
    jupyter: python3
    ---

    ```{python}
    #| label: setup
    #| echo: false
    import asyncio
    ```

    ```{python}
    #| error: true
    raise RuntimeError("shown, not fatal")
    ```

    ```{python}
    #| eval: false
    while True: pass
    ```

    ```{python}
    #| include: false
    print("included-nowhere")
    ```

    ```{python}
    #| output: false
    print("quiet")
    ```

    ```{python}
    #| warning: false
    print(asyncio.run(asyncio.sleep(2, result="slept")))
    ```

    """

  static let myst = """
    ---
    jupytext:
      text_representation:
        format_name: myst
    kernelspec:
      name: python3
    ---
    # MyST note

    ```{code-cell} ipython3
    :tags: [raises-exception]
    1 / 0
    ```

    ```{code-cell} ipython3
    ---
    tags: [skip-execution]
    ---
    import time; time.sleep(100)
    ```

    ```{code-cell} ipython3
    :tags: [hide-input]
    print("visible output")
    ```

    """

  static let markdownExec = """
    # markdown-exec

    ```python exec="on" session="demo" source="above"
    greeting = "hi"
    print(greeting)
    ```

    ```python
    import module_that_is_only_shown
    ```

    ```python exec="on" session="demo"
    print(greeting.upper())
    ```

    """

  @Test func anMkDocsNoteRunsAndAnUnknownOptionFailsOnlyItsCell() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/mkdocs.md", Self.mkdocs)

    let check = try sandbox.run(["check", "notes", "--no-cache"])
    #expect(check.status == 1, "a failing cell, not bad input: \(check.stdout)\(check.stderr)")
    #expect(
      check.stdout.contains("notes/mkdocs.md:19: unknown cell option `raise` — did you mean `raises`?"),
      "\(check.stdout)")
    #expect(check.stdoutLines.last?.hasPrefix("2 passed, 1 failed, 0 skipped") == true, "\(check.stdout)")

    let render = try sandbox.run(["render", "notes", "-o", "site", "--no-cache"])
    #expect(render.status == 0, "\(render.stderr)")
    let page = try sandbox.read("site/mkdocs.html")
    #expect(page.contains("<p class=\"cell-caption\">ejemplo.py</p>"))
    // Numbers shown from 1, anchors and errors at the note's own lines.
    #expect(page.contains(##"<span class="line" id="L8"><a class="ln" href="#L8" data-n="1""##), "\(page)")
    #expect(page.contains(##"<span class="line hl" id="L10"><a class="ln" href="#L10" data-n="3""##))
    #expect(page.contains("unknown cell option `raise` — did you mean `raises`?"))
    #expect(page.contains("sigue"))
    let index = try sandbox.read("site/index.html")
    #expect(index.contains("Tareas con asyncio") && !index.contains("could not be read"))
  }

  @Test func aQuartoNoteFollowsItsHashPipeOptions() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/quarto.md", Self.quarto)

    let check = try sandbox.run(["check", "notes", "--no-cache", "--format", "json"])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    let verdicts = check.stdoutLines.map { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["status"] as? String
    }
    #expect(verdicts == ["passed", "passed", "skipped", "passed", "passed", "passed"], "\(check.stdout)")

    let render = try sandbox.run(["render", "notes", "-o", "site", "--no-cache"])
    #expect(render.status == 0, "\(render.stderr)")
    let page = try sandbox.read("site/quarto.html")
    #expect(!page.contains("import</span> asyncio"), "echo: false hides the source")
    #expect(page.contains("shown, not fatal") && page.contains("raised, as expected"))
    #expect(!page.contains("included-nowhere") && !page.contains("quiet</pre>"))
    #expect(page.contains("slept"))

    let update = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
    let updated = try sandbox.read("notes/quarto.md")
    #expect(
      updated.contains(
        "#| warning: false\nprint(asyncio.run(asyncio.sleep(2, result=\"slept\")))\n```\n\n```output\nslept\n```\n"
      ))
    #expect(try sandbox.run(["check", "notes", "--no-cache"]).status == 0)
  }

  @Test func aMystNoteFollowsItsTags() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/myst.md", Self.myst)

    let update = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
    let updated = try sandbox.read("notes/myst.md")
    #expect(
      updated.contains(
        ":tags: [hide-input]\nprint(\"visible output\")\n```\n\n```output\nvisible output\n```\n"))
    let check = try sandbox.run(["check", "notes", "--no-cache"])
    #expect(
      check.status == 0 && check.stdoutLines.last?.hasPrefix("2 passed, 0 failed, 1 skipped") == true,
      "\(check.stdout)")

    let render = try sandbox.run(["render", "notes", "-o", "site", "--no-cache"])
    let page = try sandbox.read("site/myst.html")
    #expect(render.status == 0)
    #expect(page.contains("ZeroDivisionError") && page.contains("raised, as expected"))
    #expect(page.contains("visible output") && !page.contains("print</span>(<span"))
    #expect(page.contains("<title>MyST note</title>"))
  }

  @Test func aMarkdownExecNoteRunsOnlyItsExecBlocks() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/exec.md", Self.markdownExec)

    let update = try sandbox.run(["check", "notes", "--no-cache", "--update"])
    #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
    let updated = try sandbox.read("notes/exec.md")
    #expect(updated.contains("print(greeting)\n```\n\n```output\nhi\n```\n"))
    #expect(updated.contains("print(greeting.upper())\n```\n\n```output\nHI\n```\n"))
    #expect(!updated.contains("module_that_is_only_shown\n```\n\n```output"))
    let check = try sandbox.run(["check", "notes", "--no-cache"])
    #expect(check.stdoutLines.last?.hasPrefix("2 passed, 0 failed, 1 skipped") == true, "\(check.stdout)")

    _ = try sandbox.run(["render", "notes", "-o", "site", "--no-cache"])
    let page = try sandbox.read("site/exec.html")
    #expect(page.contains("greeting") && !page.contains(".upper"), "source only where source= says")
  }

  @Test func frontMatterTyposAreWarnedAbout() throws {
    let sandbox = try CLISandbox()
    try sandbox.write("notes/typo.md", "---\nseeed: 3\n---\n\n```python\nprint(1)\n```\n")
    let check = try sandbox.run(["check", "notes", "--no-cache"])
    #expect(check.status == 0)
    #expect(
      check.stderr.contains(
        "notes/typo.md:2: warning: front matter `seeed` is not a noterun key and is ignored — did you mean `seed`?"
      ),
      "\(check.stderr)")
  }
}
