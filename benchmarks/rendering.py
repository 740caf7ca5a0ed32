"""Print how long importing a 200-module course takes, rendering with fresh or reused renderers.

    .venv/bin/python benchmarks/rendering.py [--modules 200] [--repeat 3]

Builds a course of `--modules` lessons from the English demo course's lessons (quizzes
included) in a temporary folder, then imports it into a throw-away SQLite file (or
DATABASE_URL when set), rolling back after each run:
- "before": a new Markdown instance and a new bleach Cleaner for every fragment, as
  trainer.markdown did until it kept one pair per thread;
- "after": trainer.markdown as it is.
It also renders every fragment of the demo courses both ways and says whether the HTML is
byte-identical. CPU time is printed next to wall time because it is steadier on a
shared machine. Figures, not assertions: compare them before and after a change.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "courses" / "migration-development-policy"


def build_course(folder: Path, modules: int) -> None:
    """A course of `modules` lessons cycling through the demo course's lessons."""
    folder.mkdir()
    shutil.copytree(DEMO / "assets", folder / "assets")
    (folder / "course.yml").write_text(
        "title: Rendering benchmark\nsummary: Many lessons.\nlanguage: en\nversion: '1'\n"
        "owners: [trainer@example.org]\naudience: open\n",
        encoding="utf-8",
    )
    lessons = [
        path.read_text(encoding="utf-8")
        for path in sorted(DEMO.glob("*.md"))
        if "kind: lesson" in path.read_text(encoding="utf-8")
    ]
    for n in range(1, modules + 1):
        text = re.sub(r"\{id=([^}]+)\}", rf"{{id=\1-{n}}}", lessons[n % len(lessons)])
        (folder / f"{n:03d}-lesson-{n}.md").write_text(text, encoding="utf-8")


def demo_fragments() -> list:
    from trainer.courses import storage
    from trainer.courses.checks import check_courses

    specs, _ = check_courses(ROOT / "courses")
    return [
        (storage.render_module(module, spec.slug), storage.quiz_json(module.quiz, spec.slug))
        for spec in specs
        for module in spec.modules
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    import trainer.markdown
    from config import TestingConfig
    from trainer import create_app
    from trainer.courses.parser import load_course
    from trainer.courses.services import import_course
    from trainer.extensions import db

    reused = trainer.markdown._renderer
    fresh = trainer.markdown._Renderer  # a new instance on every call

    workdir = Path(tempfile.mkdtemp(prefix="trainer-bench-"))
    try:
        build_course(workdir / "rendering-benchmark", args.modules)
        spec, problems = load_course(workdir / "rendering-benchmark")
        assert not problems, problems[:3]
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            calls = []
            trainer.markdown._renderer = lambda: calls.append(1) or reused()
            import_course(spec)
            db.session.rollback()
            print(f"course: {len(spec.modules)} lessons, {len(calls)} Markdown fragments")
            results = {}
            for label, renderer in (("before (fresh per fragment)", fresh), ("after", reused)):
                trainer.markdown._renderer = renderer
                wall, cpu = [], []
                for _ in range(args.repeat):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    import_course(spec)
                    db.session.flush()
                    wall.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - start_cpu)
                    db.session.rollback()
                results[label] = statistics.median(wall), statistics.median(cpu)
                print(
                    f"import, {label:<28} median {results[label][0] * 1000:9.1f} ms wall, "
                    f"{results[label][1] * 1000:9.1f} ms CPU"
                )
            (before, before_cpu), (after, after_cpu) = results.values()
            print(f"speed-up: {before / after:.1f}x wall, {before_cpu / after_cpu:.1f}x CPU")

            trainer.markdown._renderer = fresh
            expected = demo_fragments()
            trainer.markdown._renderer = reused
            identical = demo_fragments() == expected and demo_fragments() == expected
            print(f"demo courses, HTML byte-identical to fresh renderers: {identical}")
            db.engine.dispose()
    finally:
        trainer.markdown._renderer = reused
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
