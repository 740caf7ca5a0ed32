"""The domains depend on each other one way (STYLE.md): a lower one never imports a higher one.

Every import statement of every module is read from the source, those inside functions
included, so a late import cannot hide a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "trainer"

# Domain -> the trainer packages it must never import.
FORBIDDEN = {
    "auth": (
        "courses",
        "cohorts",
        "learning",
        "authoring",
        "completion",
        "certificates",
        "credentials",
        "admin",
    ),
    "courses": ("cohorts", "learning", "authoring", "certificates", "credentials", "admin"),
    # Cohorts stand on courses and auth; learning hears from them through signals.
    "cohorts": ("learning", "authoring", "certificates", "credentials", "admin"),
    # Learning announces completions; certificates subscribe, never the other way round.
    "learning": ("authoring", "certificates", "credentials", "admin"),
    # Pure: rules and facts in, a verdict out.
    "completion": (
        "auth",
        "courses",
        "cohorts",
        "learning",
        "authoring",
        "certificates",
        "credentials",
        "admin",
        "extensions",
    ),
    # Reports read every domain's tables; they never reach for screens or the editor.
    "reports": ("admin", "authoring"),
    # Certificates stand on learning, cohorts and completion; the admin screens call them.
    # Certificates announce issues, revocations and reissues; the signed credentials
    # subscribe and add their lines to the pages through certificates.extras.
    "certificates": ("authoring", "admin", "reports", "credentials"),
    "credentials": ("authoring", "admin", "reports"),
    # The JSON API reads like reports do, through the same scope helper; no screen imports it.
    "api": ("admin", "authoring"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from trainer import learning` imports the package too.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def violations(domain: str) -> list[str]:
    banned = tuple(f"trainer.{name}" for name in FORBIDDEN[domain])
    found = []
    for path in sorted((PACKAGE / domain).rglob("*.py")):
        for name in sorted(imported_modules(path)):
            if name in banned or name.startswith(tuple(f"{b}." for b in banned)):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


@pytest.mark.parametrize("domain", sorted(FORBIDDEN))
def test_lower_domains_never_import_higher_ones(domain):
    assert violations(domain) == []


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from trainer.learning import services\n", encoding="utf-8")
    assert "trainer.learning" in imported_modules(module)
    assert "trainer.learning.services" in imported_modules(module)


def test_the_standalone_verifier_imports_no_app_module():
    """``python -m trainer.credentials.verify`` runs without the app: of trainer, it may
    import only the pure bitstring module."""
    found = imported_modules(PACKAGE / "credentials" / "verify.py")
    ours = sorted(name for name in found if name.startswith("trainer"))
    assert ours == ["trainer.credentials", "trainer.credentials.bitstring"]
    bitstring = imported_modules(PACKAGE / "credentials" / "bitstring.py")
    assert not [name for name in bitstring if name.startswith(("trainer", "flask"))]


def test_nobody_imports_reports():
    """Reports only read, and no other package of trainer imports them (create_app may, to
    register their pages)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "reports" or relative == Path("__init__.py"):
            continue
        for name in sorted(imported_modules(path)):
            if name == "trainer.reports" or name.startswith("trainer.reports."):
                found.append(f"{relative} imports {name}")
    assert found == []
