"""Nobody below imports notifications: they hear of the other domains' changes through
signals (STYLE.md), so only the app factory, the command line, admin screens and the tools
above every domain (the benchmark seeder, operations) may."""

from __future__ import annotations

from pathlib import Path

from tests.test_layers import PACKAGE, imported_modules

MAY_IMPORT = {"__init__.py", "cli.py", "models.py"}
# Tools that stand above every domain, as the command line does: the benchmark seeder (it
# fills the outbox) and operations (the health check counts the queue and the outbox).
TOOLS = {"bench", "ops"}


def test_no_domain_imports_notifications():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in {"notifications", *TOOLS} or str(relative) in MAY_IMPORT:
            continue
        for name in sorted(imported_modules(path)):
            if name == "trainer.notifications" or name.startswith("trainer.notifications."):
                found.append(f"{relative} imports {name}")
    assert found == []


def test_notifications_never_import_screens_or_reports():
    found = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / "notifications").rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(("trainer.admin", "trainer.reports", "trainer.authoring"))
    ]
    assert found == []
    assert Path(PACKAGE / "notifications" / "models.py").exists()
