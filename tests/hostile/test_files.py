"""The hostile corpus through the checker, and through `courses check` and `courses import`
run as the command line runs them: a subprocess, here under a 1 GB address-space limit.

Time is processor time, of this process or of the subprocess: on a shared machine the wall
clock measures the neighbours as much as the work.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.corpus import CASES, MODULE, Case, write_case
from trainer.courses.checks import check_courses

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1024**3


def _located(problems: list[str], case: Case, folder: str) -> bool:
    where = f"{folder}/{case.file}:{case.line}: "
    return any(p.startswith(where) and case.fragment in p for p in problems)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_checker_names_file_and_line_in_well_under_a_second(tmp_path: Path, case: Case):
    folder = write_case(tmp_path, case)
    start = time.process_time()
    _, problems = check_courses(folder)
    elapsed = time.process_time() - start
    assert _located([str(p) for p in problems], case, folder.as_posix()), problems
    assert elapsed < 1


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _cpu_seconds_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _flask(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    """The command's result and the processor time it used (steadier than the wall clock
    on a busy machine)."""
    start = _cpu_seconds_of_children()
    result = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,  # noqa: PLW1509  (no threads here)
        check=False,
    )
    return result, _cpu_seconds_of_children() - start


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A development app on its own SQLite file, migrated once."""
    folder = tmp_path_factory.mktemp("cli")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "TEST_DATABASE_URL", "COURSES_DIR", "REDIS"))
    }
    env |= {
        "TRAINER_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{folder}/trainer.db",
        "COURSES_DIR": str(folder / "courses"),
    }
    result, _ = _flask(["db", "upgrade"], env)
    assert result.returncode == 0, result.stderr
    return env


@pytest.mark.parametrize("command", ["check", "import"])
def test_the_command_line_refuses_every_case_fast_within_a_memory_limit(
    tmp_path: Path, cli_env: dict[str, str], command: str
):
    valid = tmp_path / "valid"
    write_case(valid, Case("none", "01-intro.md", MODULE, 0, ""))
    hostile = tmp_path / "hostile"
    for case in CASES:
        write_case(hostile, case)

    # The baseline runs the same command on one valid course, so starting Python, the app and
    # (for import) the database costs the same in both runs.
    baseline, baseline_seconds = _flask(["courses", command, str(valid)], cli_env)
    assert baseline.returncode == 0, baseline.stderr
    result, seconds = _flask(["courses", command, str(hostile)], cli_env)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    problems = result.stderr.splitlines()
    missed = [c.id for c in CASES if not _located(problems, c, f"{hostile}/{c.slug}")]
    assert missed == []
    assert "imported version" not in result.stdout
    # Starting Python and the app is the same for both runs; the cases add under a second.
    assert seconds - baseline_seconds < 1, (seconds, baseline_seconds)
