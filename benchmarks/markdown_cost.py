"""How rendering Markdown grows with runs of the characters Python-Markdown rescans.

    .venv/bin/python benchmarks/markdown_cost.py [--cap SECONDS]

For each pattern (a run of `[`, `](`, `<a `, backquote runs of growing length, emphasis
runs ...) prints the seconds one render takes at growing lengths, stopping a row once a
render takes longer than the cap; then the work units that trainer/courses/markdowncost.py
estimates for them, the seconds per unit, and the units the demo courses and the examples of
docs/authoring.md use. The limits of markdowncost.py come from these figures: the costliest
pattern per unit sets the price of a unit, the demo courses show how far below the limit
real writing stays.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SIZES = (500, 1000, 2000, 4000, 8000, 16000)


def _repeat(unit: str):
    return lambda n: unit * n


PATTERNS = {
    "[": _repeat("["),
    "![": _repeat("!["),
    "[^": _repeat("[^"),
    "[a](": _repeat("[a]("),
    "[a][": _repeat("[a]["),
    "[a]": _repeat("[a]"),
    "](": _repeat("]("),
    "nested [[a]]": lambda n: "[" * n + "a" + "]" * n,
    "[ then text": lambda n: "[" * (n // 100) + "a" * n * 10,
    "<a ": _repeat("<a "),
    "<http://": _repeat("<http://"),
    "<": _repeat("<"),
    "` runs 1..n": lambda n: " ".join("`" * i for i in range(1, int(n**0.5) * 4)),
    "`a": _repeat("`a"),
    "*": _repeat("*"),
    "_": _repeat("_"),
    "*a": _repeat("*a"),
    "**a": _repeat("**a"),
    "*a_": _repeat("*a_"),
    "&": _repeat("&"),
    "\\": _repeat("\\"),
}


def _seconds(render, text: str) -> float:
    start = time.perf_counter()
    render(text)
    return time.perf_counter() - start


def _file_units(text: str) -> int:
    from trainer.courses.markdowncost import markdown_cost
    from trainer.courses.text import fenced_lines, split_lines

    lines = split_lines(text)
    code = fenced_lines(lines)
    numbered = (
        (number, line)
        for number, (line, in_code) in enumerate(zip(lines, code, strict=True), 1)
        if not in_code
    )
    return markdown_cost(numbered).worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cap", type=float, default=2.0, help="stop a row after this render")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from trainer.courses.markdowncost import MAX_PARAGRAPH_WORK, text_cost
    from trainer.markdown import render_markdown_with_toc as render

    render("warm up: [the extensions](load) *once*")
    print(f"{'pattern':<16}" + "".join(f"{n:>9}" for n in SIZES) + "   seconds per render")
    worst_per_unit = 0.0
    for name, make in PATTERNS.items():
        row = f"{name:<16}"
        for size in SIZES:
            text = make(size)
            seconds = _seconds(render, text)
            units = text_cost(text).worst
            if units > 10 * len(text) and seconds > 0.05:  # the quadratic part dominates
                worst_per_unit = max(worst_per_unit, seconds / units)
            row += f"{seconds:>9.3f}"
            if seconds > args.cap:
                break
        print(row, flush=True)
    print(f"\nworst seconds per work unit: {worst_per_unit * 1e6:.2f} µs")
    limit_seconds = worst_per_unit * MAX_PARAGRAPH_WORK
    print(f"MAX_PARAGRAPH_WORK = {MAX_PARAGRAPH_WORK}: at most ~{limit_seconds:.2f} s a paragraph")
    demo = max(_file_units(p.read_text("utf-8")) for p in (ROOT / "courses").glob("*/*.md"))
    guide = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    examples = re.findall(r"````?(?:markdown|yaml)\n(.*?)\n````?\n", guide, re.DOTALL)
    print(f"costliest paragraph of the demo courses: {demo} units")
    print(
        f"costliest paragraph of the examples in docs/authoring.md: "
        f"{max(_file_units(e) for e in examples)} units"
    )


if __name__ == "__main__":
    main()
