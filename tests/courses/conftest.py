"""Course folders written into tmp_path, for import and page tests."""

from __future__ import annotations

from pathlib import Path

import pytest

COURSE_YML = """\
title: Local planning with migration data
summary: How municipalities plan services for newcomers.
language: en
version: "1.0"
owners: [owner@example.org]
completion:
  modules: all
  quizzes: all
"""

LESSON = """\
---
title: Counting who lives here
minutes: 20
---
## Why count

Planning needs data.[^1] ![Map](assets/map.png)

[^1]: Disaggregated by migratory status.

::: quiz
pass: 50

? Which target asks for data disaggregated by migratory status? {id=data-target}
- ( ) 10.7
- (x) 17.18
  > Right.
:::
"""

SECOND = """\
---
title: Services for everyone
minutes: 15
---
Municipal services should be open to all residents.
"""

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def write_course(root: Path, slug: str = "local-planning", **files: str) -> Path:
    folder = root / slug
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    contents = {"course.yml": COURSE_YML, "01-counting.md": LESSON, "02-services.md": SECOND}
    contents.update(
        {name.replace("__", "-").replace("_", "."): text for name, text in files.items()}
    )
    for name, text in contents.items():
        if text is None:
            (folder / name).unlink(missing_ok=True)
        else:
            (folder / name).write_text(text, encoding="utf-8")
    (folder / "assets" / "map.png").write_bytes(PNG)
    return folder


@pytest.fixture
def course_folder(tmp_path: Path) -> Path:
    return write_course(tmp_path)
