"""Writes a collection of NOTES notes x CELLS cells into FOLDER, each cell with its
expected output, so `check` compares every one: `generate.py FOLDER [NOTES] [CELLS]`.
Cells alternate plain code, top-level await on the virtual clock, and a few tasks."""

import os
import sys

folder = sys.argv[1]
notes = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
cells = int(sys.argv[3]) if len(sys.argv) > 3 else 20

for note in range(notes):
    part = os.path.join(folder, f"part-{note // 100:02}")
    os.makedirs(part, exist_ok=True)
    lines = [f"# Note {note}", "", "```python", "import asyncio", "```", ""]
    for cell in range(1, cells):
        lines.append(f"Cell {cell} of note {note}.")
        lines.append("")
        if cell % 3 == 0:
            code = [f"x{cell} = {cell} * {note}", f"print(x{cell})"]
            output = [str(cell * note)]
        elif cell % 3 == 1:
            code = ["await asyncio.sleep(0.5)", f"print('slept', {cell})"]
            output = [f"slept {cell}"]
        else:
            code = [
                "async def twice(n):",
                "    await asyncio.sleep(n / 10)",
                "    return 2 * n",
                f"print(await asyncio.gather(twice({cell}), twice(1)))",
            ]
            output = [f"[{2 * cell}, 2]"]
        lines += ["```python", *code, "```", "", "```output", *output, "```", ""]
    with open(os.path.join(part, f"note-{note:04}.md"), "w") as file:
        file.write("\n".join(lines))
