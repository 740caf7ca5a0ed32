"""The editor's pages: who may use them, drafts, preview, conflicts, modules and assets."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from tests.authoring.test_publish import _base_hash, _module_text, _save_module
from tests.courses.conftest import PNG
from trainer.auth.models import Role
from trainer.authoring.models import CourseDraft, ModuleDraft
from trainer.courses.services import find_course

XSS = """\
---
title: Tricks
minutes: 5
---
<script>alert("body")</script>

<img src="x" onerror="alert('img')">

[Click](javascript:alert('link')) and <a href="javascript:alert(1)">this</a>

<svg onload="alert(2)"></svg>

::: quiz
? <script>alert("question")</script> Is this safe? {id=safe}
- (x) <img src=x onerror=alert(3)> yes
  > <script>alert("feedback")</script>
- ( ) no
:::
"""


def _draft_of(db, course) -> CourseDraft | None:
    return db.session.scalar(select(CourseDraft).where(CourseDraft.course_id == course.id))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("owner", 200),
        (Role.ADMIN, 200),
        (Role.TRAINER, 403),
        (Role.COORDINATOR, 403),
        (Role.PARTICIPANT, 403),
    ],
)
def test_only_owners_co_authors_and_admins_open_the_editor(
    client, login_as, make, owner, course, role, status
):
    login_as(owner if role == "owner" else make.user(role))
    for url in (
        "/courses/local-planning/edit",
        "/courses/local-planning/edit/modules/counting",
        "/courses/local-planning/edit/settings",
        "/courses/local-planning/versions",
        "/courses/local-planning/export",
    ):
        assert client.get(url).status_code == status, url
    response = client.post(
        "/courses/local-planning/edit/modules/counting",
        data={"source": "---\ntitle: X\n---\n", "base_hash": "x", "save": "Save draft"},
    )
    assert response.status_code == (200 if status == 200 else 403)


def test_every_editor_page_renders(client, login_as, owner, course):
    login_as(owner)
    for url in [
        "/authoring",
        "/authoring/courses/new",
        "/authoring/import",
        "/courses/local-planning/edit",
        "/courses/local-planning/edit/settings",
        "/courses/local-planning/edit/modules/counting",
        "/courses/local-planning/versions",
        "/courses/local-planning/versions/diff",
        "/courses/local-planning/export",
        "/courses/local-planning/edit/assets/map.png",
    ]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])


def test_co_author_named_in_the_draft_may_edit_before_publication(
    client, login_as, make, owner, course, db
):
    helper = make.user(Role.TRAINER, email="helper@example.org")
    login_as(helper)
    assert client.get("/courses/local-planning/edit").status_code == 403
    login_as(owner)
    yml = client.get("/courses/local-planning/edit/settings").get_data(as_text=True)
    base = re.search(r'name="base_hash" type="hidden" value="([0-9a-f]+)"', yml).group(1)
    response = client.post(
        "/courses/local-planning/edit/settings",
        data={
            "course_yml": (
                "title: Local planning\nsummary: S.\nlanguage: en\nversion: '2'\n"
                "owners: [owner@example.org]\nco_authors: [helper@example.org]\n"
            ),
            "base_hash": base,
            "save": "Save draft",
        },
    )
    assert response.status_code == 302
    login_as(helper)
    assert client.get("/courses/local-planning/edit").status_code == 200


def test_a_trainer_creates_a_course_and_owns_it(client, login_as, make, db, courses_dir):
    trainer = make.user(Role.TRAINER, email="ana@example.org")
    login_as(trainer)
    response = client.post(
        "/authoring/courses/new",
        data={
            "slug": "new-course",
            "title": "Nuevo curso",
            "summary": "Un curso.",
            "language": "es",
            "version": "2026.1",
            "estimated_hours": "2.5",
        },
    )
    assert response.headers["Location"].endswith("/courses/new-course/edit")
    course = find_course("new-course")
    assert (course.source, course.is_published, course.current_version_id) == ("web", False, None)
    draft = _draft_of(db, course)
    assert "owners:\n- ana@example.org" in draft.course_yml
    assert "estimated_hours: 2.5" in draft.course_yml
    page = client.get("/courses/new-course/edit").get_data(as_text=True)
    assert "this course has no modules" in page
    assert "/authoring" in client.get("/authoring").get_data(as_text=True)
    # Participants never see it; other trainers cannot edit it.
    login_as(make.user(Role.TRAINER))
    assert client.get("/courses/new-course/edit").status_code == 403


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Bad Slug", "Use 3 to 80 lowercase letters"),
        ("local-planning", "A course with this slug already exists."),
    ],
)
def test_new_course_slug_is_checked(client, login_as, owner, course, slug, message):
    login_as(owner)
    response = client.post(
        "/authoring/courses/new",
        data={"slug": slug, "title": "T", "summary": "S", "language": "en", "version": "1"},
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_a_slug_taken_by_a_course_folder_is_refused(client, login_as, owner, courses_dir):
    (courses_dir / "in-git").mkdir()
    login_as(owner)
    response = client.post(
        "/authoring/courses/new",
        data={"slug": "in-git", "title": "T", "summary": "S", "language": "en", "version": "1"},
    )
    assert "The course folders already have a “in-git”" in response.get_data(as_text=True)


def test_participants_and_coordinators_cannot_create_courses(client, login_as, make):
    for role in (Role.PARTICIPANT, Role.COORDINATOR):
        login_as(make.user(role))
        assert client.get("/authoring").status_code == 403
        assert client.get("/authoring/courses/new").status_code == 403


def test_saving_starts_a_draft_that_participants_do_not_see(
    client, login_as, owner, make, course, db
):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning needs data.", "Draft words.")
    assert _save_module(client, "local-planning", "counting", text).status_code == 302
    draft = _draft_of(db, course)
    assert draft.base_version_id == course.current_version_id
    assert len(draft.modules) == 2
    assert "Draft words." in client.get("/courses/local-planning/edit/modules/counting").get_data(
        as_text=True
    )
    login_as(make.user())
    page = client.get("/courses/local-planning/modules/counting").get_data(as_text=True)
    assert "Planning needs data." in page
    assert "Draft words." not in page


def test_preview_of_a_hostile_module_runs_no_script(client, login_as, owner, course):
    login_as(owner)
    assert _save_module(client, "local-planning", "counting", XSS).status_code == 302
    pages = [
        client.get("/courses/local-planning/edit/modules/counting").get_data(as_text=True),
        client.post(
            "/courses/local-planning/edit/preview", data={"module": "counting", "source": XSS}
        ).get_data(as_text=True),
        client.post(
            "/courses/local-planning/edit/modules/counting",
            data={"source": XSS, "base_hash": "x", "preview": "Preview"},
        ).get_data(as_text=True),
        client.get("/courses/local-planning/versions/diff").get_data(as_text=True),
    ]
    for html in pages:
        assert "Tricks" in html or "alert" in html
        assert "<script>alert" not in html
        assert "<script" not in html.replace('<script src="/static/js/editor.js" defer>', "")
        assert not re.search(r"<[a-z][^>]*\son(error|load)\s*=", html, re.IGNORECASE)
        assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    # The author still sees what they wrote, escaped, and the checker names the bad link.
    assert "&lt;script&gt;alert(&#34;body&#34;)&lt;/script&gt;" in pages[0]
    assert "`javascript:` links are not allowed" in pages[0]


def test_preview_button_shows_unsaved_text_without_saving(client, login_as, owner, course, db):
    login_as(owner)
    text = _module_text(db, "counting").replace("Why count", "Why we count")
    response = client.post(
        "/courses/local-planning/edit/modules/counting",
        data={"source": text, "base_hash": "stale", "preview": "Preview"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h2 id="why-we-count">Why we count</h2>' in html
    assert _draft_of(db, course) is None


def test_problems_are_listed_with_lines_that_lead_to_the_text(client, login_as, owner, course, db):
    login_as(owner)
    text = _module_text(db, "counting").replace("- (x) 17.18", "- ( ) 17.18")
    html = client.post(
        "/courses/local-planning/edit/modules/counting",
        data={"source": text, "base_hash": "x", "preview": "Preview"},
    ).get_data(as_text=True)
    assert '<a href="#source" data-line="14">Line 14</a>: question has no correct choice' in html
    assert 'aria-describedby="source-hint problems"' in html


def test_a_save_over_somebody_elses_save_is_refused_and_keeps_both(
    client, login_as, owner, make, course, db
):
    login_as(owner)
    url = "/courses/local-planning/edit/modules/counting"
    stale = _base_hash(client, url)
    original = _module_text(db, "counting")
    first = original.replace("Planning needs data.", "First editor's words.")
    assert _save_module(client, "local-planning", "counting", first).status_code == 302
    second = original.replace("Planning needs data.", "Second editor's words.")
    response = client.post(url, data={"source": second, "base_hash": stale, "save": "Save draft"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not saved: somebody else changed this text" in html
    assert "Second editor&#39;s words." in html  # still in the text box
    assert "First editor&#39;s words." in html  # shown as the saved text and in the diff
    module = db.session.scalar(select(ModuleDraft).where(ModuleDraft.slug == "counting"))
    assert "First editor's words." in module.source
    # The form now carries the saved text's hash: saving the merged text works.
    fresh = re.search(r'name="base_hash" type="hidden" value="([0-9a-f]+)"', html).group(1)
    response = client.post(url, data={"source": second, "base_hash": fresh, "save": "Save"})
    assert response.status_code == 302


def test_modules_are_added_moved_and_removed(client, login_as, owner, course, db):
    login_as(owner)
    response = client.post(
        "/courses/local-planning/edit/modules",
        data={"module_slug": "post-test", "module_title": "Post-test", "kind": "post-test",
              "minutes": 10},
    )  # fmt: skip
    assert response.headers["Location"].endswith("/edit/modules/post-test")
    draft = _draft_of(db, course)
    assert sorted(m.file_name for m in draft.modules) == [
        "01-counting.md",
        "02-services.md",
        "03-post-test.md",
    ]
    client.post("/courses/local-planning/edit/modules/post-test/move", data={"direction": "up"})
    assert sorted(m.file_name for m in _draft_of(db, course).modules) == [
        "01-counting.md",
        "02-post-test.md",
        "03-services.md",
    ]
    client.post("/courses/local-planning/edit/modules/counting/move", data={"direction": "up"})
    client.post("/courses/local-planning/edit/modules/services/delete")
    files = sorted(m.file_name for m in _draft_of(db, course).modules)
    assert files == ["01-counting.md", "02-post-test.md"]
    page = client.get("/courses/local-planning/edit").get_data(as_text=True)
    assert "The checker finds no problem" in page
    response = client.post("/courses/local-planning/edit/publish", data={"publish": "1"})
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Archived modules (participants&#39; progress in them is kept): services" in follow


def test_a_duplicate_module_slug_is_refused(client, login_as, owner, course):
    login_as(owner)
    response = client.post(
        "/courses/local-planning/edit/modules",
        data={"module_slug": "counting", "module_title": "Again", "kind": "lesson", "minutes": 5},
    )
    assert response.status_code == 200
    assert "The course already has a module with this slug." in response.get_data(as_text=True)


def _upload(client, name: str, data: bytes):
    return client.post(
        "/courses/local-planning/edit/assets",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_assets_are_checked_by_extension_and_content(client, login_as, owner, course, db):
    login_as(owner)
    response = _upload(client, "C:/Users/Ana/Mapa de Quito (2).PNG", PNG)
    assert response.status_code == 302
    draft = _draft_of(db, course)
    assert sorted(a.name for a in draft.assets) == ["Mapa-de-Quito-2.png", "map.png"]
    served = client.get("/courses/local-planning/edit/assets/Mapa-de-Quito-2.png")
    assert (served.data, served.headers["Content-Type"]) == (PNG, "image/png")
    assert "sandbox" in served.headers["Content-Security-Policy"]

    refused = {
        "fake.png": b"<html><script>alert(1)</script></html>",
        "page.html": b"<html></html>",
        "report.pdf": b"MZ\x90\x00 not a pdf",
        "data.csv": b"\xff\xfe\x00bad",
    }
    for name, data in refused.items():
        html = _upload(client, name, data).get_data(as_text=True)
        assert 'class="error" id="file-error"' in html, name
    db.session.expire_all()
    assert len(_draft_of(db, course).assets) == 2


def test_an_asset_over_the_limit_is_refused(client, login_as, owner, course, monkeypatch):
    monkeypatch.setattr("trainer.authoring.assets.MAX_ASSET_BYTES", len(PNG) - 1)
    login_as(owner)
    html = _upload(client, "big.png", PNG).get_data(as_text=True)
    assert "is larger than" in html


def test_assets_are_removed_from_the_draft(client, login_as, owner, course, db):
    login_as(owner)
    response = client.post("/courses/local-planning/edit/assets/delete", data={"name": "map.png"})
    assert response.status_code == 302
    assert _draft_of(db, course).assets == []
    page = client.get("/courses/local-planning/edit").get_data(as_text=True)
    assert "`assets/map.png` does not exist" in page


def test_settings_are_validated_by_the_course_parser(client, login_as, owner, course):
    login_as(owner)
    response = client.post(
        "/courses/local-planning/edit/settings",
        data={
            "course_yml": "title: T\nsummary: S\nlanguage: de\nversion: 1\nowners: []\n",
            "base_hash": "x",
            "check": "Check",
        },
    )
    html = response.get_data(as_text=True)
    assert '<a href="#course_yml" data-line="3">Line 3</a>: `language` must be one of' in html
    assert "`owners` needs at least one e-mail" in html


def test_discarding_the_draft_goes_back_to_the_version(client, login_as, owner, course, db):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning", "Scrapped")
    _save_module(client, "local-planning", "counting", text)
    assert client.post("/courses/local-planning/edit/discard").status_code == 302
    assert _draft_of(db, course) is not None  # not without ticking the box
    response = client.post("/courses/local-planning/edit/discard", data={"confirm": "y"})
    assert response.status_code == 302
    assert _draft_of(db, course) is None
    page = client.get("/courses/local-planning/edit/modules/counting").get_data(as_text=True)
    assert "Scrapped" not in page


def test_the_history_lists_versions_and_their_differences(client, login_as, owner, course, db):
    login_as(owner)
    text = _module_text(db, "counting").replace("Planning needs data.", "Planning <b>needs</b>.")
    _save_module(client, "local-planning", "counting", text)
    client.post("/courses/local-planning/edit/publish", data={"note": "Bold words"})
    html = client.get("/courses/local-planning/versions").get_data(as_text=True)
    assert "published in the editor" in html
    assert "course folder (courses import)" in html
    assert "Bold words" in html
    diff = client.get("/courses/local-planning/versions/diff?old=1&new=2").get_data(as_text=True)
    assert "01-counting.md" in diff
    assert "Planning &lt;b&gt;needs&lt;/b&gt;." in diff
    assert "<b>needs</b>" not in diff


def test_the_editor_pages_need_constant_queries(client, login_as, owner, course, db, count_queries):
    login_as(owner)
    pages = ("/courses/local-planning/edit", "/courses/local-planning/versions/diff")
    with count_queries() as without_draft:
        client.get(pages[0])
    _upload(client, "first.png", PNG)
    counts = []
    for extra in (0, 6):
        for n in range(extra):
            client.post(
                "/courses/local-planning/edit/modules",
                data={"module_slug": f"extra-{n}", "module_title": "E", "kind": "lesson",
                      "minutes": 5},
            )  # fmt: skip
            _upload(client, f"more-{n}.png", PNG)
        for page in pages:
            with count_queries() as statements:
                assert client.get(page).status_code == 200
            counts.append(len(statements))
    assert counts[:2] == counts[2:]
    # Without a draft the editor reads the published version instead (its modules, assets
    # and source): a fixed handful of queries too, one more than from the draft.
    assert len(without_draft) == counts[0] + 1


def test_the_preview_speaks_the_readers_language_and_number_format(
    client, login_as, owner, course, db
):
    owner.language = "fr"
    db.session.flush()
    login_as(owner)
    text = (
        _module_text(db, "counting")
        .replace("pass: 50", "pass: 62.5")
        .replace(
            ":::\n", "\n? How many? {points=1.5}\n= 3 +- 0.5\n\n? Counted? {id=tf}\n= false\n:::\n"
        )
    )
    html = client.post(
        "/courses/local-planning/edit/modules/counting",
        data={"source": text, "base_hash": "x", "preview": "Preview"},
    ).get_data(as_text=True)
    assert "seuil de réussite 62,5\u00a0%" in html
    assert "Environ 20\u00a0minutes" in html or "Environ 20 minutes" in html
    assert "Une seule bonne réponse" in html
    assert "1,5\u00a0points" in html or "1,5 points" in html
    assert "<code>3 ± 0,5</code>" in html
    assert "<code>Faux</code>" in html
    assert "· single" not in html
    assert "<code>false</code>" not in html


def test_the_checkers_problems_speak_the_readers_language(client, login_as, owner, course, db):
    owner.language = "es"
    db.session.flush()
    login_as(owner)
    text = _module_text(db, "counting").replace("- (x) 17.18", "- ( ) 17.18")
    html = client.post(
        "/courses/local-planning/edit/modules/counting",
        data={"source": text, "base_hash": "x", "preview": "Preview"},
    ).get_data(as_text=True)
    assert "Línea 14</a>: la pregunta no tiene ninguna opción correcta; marque una con (x)" in html
