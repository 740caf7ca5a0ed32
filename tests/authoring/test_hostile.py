"""The hostile corpus (tests/hostile) through the editor: the preview and a draft save each
answer with the checker's message at the right line, fast, and never a 500.

"Fast" is measured in processor time: the machines that run the suite are shared, and the
wall clock there says more about the neighbours than about the work a request does.
"""

from __future__ import annotations

import html
import re
import time

import pytest

from tests.authoring.test_publish import _base_hash
from tests.hostile.corpus import CASES, Case
from trainer.authoring.drafts import draft_module, save_module, start_draft
from trainer.authoring.errors import AuthoringError
from trainer.authoring.files import text_sha256

MODULE_CASES = [c for c in CASES if c.file.endswith(".md")]
SETTINGS_CASES = [c for c in CASES if c.file == "course.yml"]
MODULE_URL = "/courses/local-planning/edit/modules/counting"
SETTINGS_URL = "/courses/local-planning/edit/settings"


def _shows(page: str, case: Case) -> bool:
    """Whether the page lists the case's message at its line."""
    text = html.unescape(page)
    return any(
        case.fragment in item and f'data-line="{case.line}"' in item for item in text.split("<li>")
    )


def _refused(page: str, case: Case) -> bool:
    """The checker's message, or for control characters the form's own refusal: every form
    refuses them, with their line, before anything is checked or saved."""
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", case.text):
        text = html.unescape(page)
        return f"Line {case.line}, column" in text and "invisible control character" in text
    return _shows(page, case)


@pytest.fixture
def editor(client, login_as, owner, course):
    login_as(owner)
    return client


@pytest.mark.parametrize("case", MODULE_CASES, ids=[c.id for c in MODULE_CASES])
def test_the_preview_names_the_line_fast(editor, case: Case):
    start = time.process_time()
    response = editor.post(
        "/courses/local-planning/edit/preview", data={"module": "counting", "source": case.text}
    )
    elapsed = time.process_time() - start
    assert response.status_code == 200
    assert _shows(response.get_data(as_text=True), case)
    assert elapsed < 1


@pytest.mark.parametrize("case", MODULE_CASES, ids=[c.id for c in MODULE_CASES])
def test_saving_a_module_names_the_line_fast(editor, case: Case):
    data = {"source": case.text, "base_hash": _base_hash(editor, MODULE_URL), "save": "Save"}
    start = time.process_time()
    response = editor.post(MODULE_URL, data=data, follow_redirects=True)
    elapsed = time.process_time() - start
    assert response.status_code == 200
    assert _refused(response.get_data(as_text=True), case)
    assert elapsed < 1


@pytest.mark.parametrize("case", SETTINGS_CASES, ids=[c.id for c in SETTINGS_CASES])
@pytest.mark.parametrize("button", ["save", "check"])
def test_saving_or_checking_course_yml_names_the_line_fast(editor, case: Case, button: str):
    data = {"course_yml": case.text, "base_hash": _base_hash(editor, SETTINGS_URL), button: "x"}
    start = time.process_time()
    response = editor.post(SETTINGS_URL, data=data, follow_redirects=True)
    elapsed = time.process_time() - start
    assert response.status_code == 200
    assert _refused(response.get_data(as_text=True), case)
    assert elapsed < 1


def test_a_nul_character_is_never_saved(editor, db, course, owner, courses_dir):
    text = "---\ntitle: Intro\nminutes: 5\n---\nA\x00B\n"
    data = {"source": text, "base_hash": _base_hash(editor, MODULE_URL), "save": "Save"}
    page = editor.post(MODULE_URL, data=data).get_data(as_text=True)
    assert "Line 5, column 2 holds an invisible control character" in page
    assert "\x00" not in editor.get(MODULE_URL).get_data(as_text=True)
    # Callers other than the form (the GIFT command writes into drafts) meet the same refusal.
    draft = start_draft(course, owner, str(courses_dir))
    base = text_sha256(draft_module(draft, "counting").source)
    with pytest.raises(AuthoringError, match="Line 5 holds a NUL character"):
        save_module(draft, owner, "counting", text, base)
