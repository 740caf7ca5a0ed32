"""GIFT questions appended to a module: from the editor, and with `courses import-gift`."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.authoring.test_publish import _base_hash, _module_text
from trainer.authoring.models import ModuleDraft

GIFT = """\
// two questions, one matching question that cannot be converted
::Cost::What maximum cost of remittances does target 10.c aim for, in percent? {#3}

::Capital::Which city is the capital of Ecuador? {=Quito ~Guayaquil ~Cuenca}

::Pairs::Match them. {=a -> b =c -> d}
"""


def _draft_text(db, slug: str) -> str:
    return db.session.scalar(select(ModuleDraft.source).where(ModuleDraft.slug == slug))


def test_the_editor_adds_gift_questions_to_the_module_and_saves(
    client, login_as, owner, course, db
):
    login_as(owner)
    url = "/courses/local-planning/edit/modules/counting"
    text = _module_text(db, "counting").replace("Why count", "Why we count")  # unsaved edit
    response = client.post(
        url,
        data={
            "source": text,
            "base_hash": _base_hash(client, url),
            "gift": (io.BytesIO(GIFT.encode()), "questions.gift"),
            "add_gift": "Add",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    saved = _draft_text(db, "counting")
    assert "## Why we count" in saved  # the text typed before the upload is kept
    assert saved.endswith(
        "- (x) 17.18\n  > Right.\n\n"
        "? What maximum cost of remittances does target 10.c aim for, in percent? {id=cost}\n"
        "= 3\n\n"
        "? Which city is the capital of Ecuador? {id=capital}\n"
        "- (x) Quito\n- ( ) Guayaquil\n- ( ) Cuenca\n:::\n"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 GIFT questions added and the draft saved." in page
    assert "GIFT line 6 not converted: matching question" in page


def test_the_editor_saves_nothing_when_the_questions_break_the_module(
    client, login_as, owner, course, db
):
    login_as(owner)
    url = "/courses/local-planning/edit/modules/services"
    survey = (
        "---\ntitle: Survey\nminutes: 5\nkind: survey\n---\n::: quiz\n? Useful?\n~ scale 1-5\n:::\n"
    )
    response = client.post(
        url,
        data={
            "source": survey,
            "base_hash": _base_hash(client, url),
            "gift": (io.BytesIO(b"::Graded::Right? {T}"), "q.gift"),
            "add_gift": "Add",
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NOT saved" in html
    assert "a survey asks only scale" in html
    assert "? Right? {id=graded}" in html  # shown in the text box, to fix or drop
    assert _draft_text(db, "services") is None


def test_cli_appends_to_the_module_file_of_a_file_course(app, course, courses_dir, tmp_path, db):
    gift = tmp_path / "q.gift"
    gift.write_text(GIFT, encoding="utf-8")
    module = courses_dir / "local-planning" / "02-services.md"
    module.write_bytes(module.read_bytes().replace(b"\n", b"\r\n"))
    result = app.test_cli_runner().invoke(
        args=["courses", "import-gift", str(gift), "--into", "local-planning/services"]
    )
    assert result.exit_code == 0, result.output
    assert f"{gift}:6: not converted: matching question" in result.output
    assert "2 question(s) appended" in result.output
    assert "commit it" in result.output
    data = module.read_bytes()
    assert b"\r\n::: quiz\r\n? What maximum cost" in data
    assert b"\n" not in data.replace(b"\r\n", b"")  # line ends kept as they were


def test_cli_appends_to_the_draft_of_a_browser_course(app, course, tmp_path, db):
    course.source = "web"
    db.session.commit()
    gift = tmp_path / "q.gift"
    gift.write_text(GIFT, encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["courses", "import-gift", str(gift), "--into", "local-planning/counting"]
    )
    assert result.exit_code == 0, result.output
    assert "browser draft of local-planning" in result.output
    assert "{id=capital}" in _draft_text(db, "counting")


def test_cli_writes_nothing_when_the_module_would_break(app, course, courses_dir, tmp_path):
    gift = tmp_path / "q.gift"
    gift.write_text("::Cost::Cost? {#3}", encoding="utf-8")
    module = courses_dir / "local-planning" / "02-services.md"
    module.write_text(
        "---\ntitle: Survey\nminutes: 5\nkind: survey\n---\n::: quiz\n? Useful?\n"
        "~ scale 1-5\n:::\n",
        encoding="utf-8",
    )
    before = module.read_bytes()
    result = app.test_cli_runner().invoke(
        args=["courses", "import-gift", str(gift), "--into", "local-planning/services"]
    )
    assert result.exit_code != 0
    assert "Nothing was written: the module would have problems." in result.output
    assert "a survey asks only scale" in result.output
    assert module.read_bytes() == before


def test_cli_explains_a_wrong_target(app, course, tmp_path):
    gift = tmp_path / "q.gift"
    gift.write_text("Q {T}", encoding="utf-8")
    runner = app.test_cli_runner()
    for target, message in [
        ("local-planning", "COURSE_SLUG/MODULE_SLUG"),
        ("nope/intro", "No course nope"),
        ("local-planning/nope", "has no module file NN-nope.md"),
    ]:
        result = runner.invoke(args=["courses", "import-gift", str(gift), "--into", target])
        assert result.exit_code != 0
        assert message in result.output, result.output


@pytest.mark.parametrize(
    ("language", "matching", "description"),
    [
        ("es", "pregunta de emparejamiento", "descripción (texto sin respuestas)"),
        ("fr", "appariement", "description (texte sans réponses)"),
    ],
)
def test_the_editor_gives_the_reasons_in_the_reader_language(
    client, login_as, owner, course, db, language, matching, description
):
    owner.language = language
    db.session.flush()
    login_as(owner)
    url = "/courses/local-planning/edit/modules/counting"
    response = client.post(
        url,
        data={
            "source": _module_text(db, "counting"),
            "base_hash": _base_hash(client, url),
            "gift": (io.BytesIO(b"Match. {=a -> b =c -> d}\n\nJust a description."), "q.gift"),
            "add_gift": "Add",
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert matching in html
    assert description in html
    assert "matching question" not in html
