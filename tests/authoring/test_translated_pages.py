"""Pages read in Spanish or French hold no English sentence.

The editor, its preview, the settings and zip import pages are fed a course that sets off
every checker message that can reach a browser; a participant then takes a pre-test and a
lesson quiz. The visible text of each page, in es and in fr, must contain no English
message id of three words or more from the catalogue.
"""

from __future__ import annotations

import html as html_lib
import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.authoring.conftest import make_zip
from tests.authoring.test_publish import _base_hash
from tests.learning.conftest import WRONG, import_folder, quiz_module, start, take
from tests.learning.conftest import write_course as write_quiz_course
from trainer.authoring import validate
from trainer.courses.messages import MESSAGES, Msg

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "trainer" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")

# Checker messages no browser upload can set off, and why; test_validator.py covers them.
NOT_FROM_A_BROWSER = {
    "folder-not-found": "the web checks a folder it has just written",
    "course-folder-not-found": "the web checks a folder it has just written",
    "no-course-folders": "only `courses check` is given a root of many courses",
    "course-yml-missing": "a zip without course.yml is refused before the checker",
    "course-yml-missing-rename": "a zip without course.yml is refused before the checker",
    "link-to-outside-file": "zips refuse symbolic links before extraction",
    "link-to-outside-folder": "zips refuse symbolic links before extraction",
    "file-unreadable": "files written by the web are always readable",
    "yaml-invalid": "PyYAML errors without a position do not come from text input",
    "translation-twin": "the web checks one translation at a time",
    "translation-of-a-translation": "needs a published translation; test_validator covers it",
    "folder-name-not-slug": "the web names the folder by a slug it has already checked",
    "things-institution-slugs": "`audience` is read as a list only when it is one",
    "things-module-slugs": "`completion` lists are read as lists only when they are ones",
    "shrink-asset": "uploads refuse a file over the asset limit before the checker",
    "detail-order": "local-planning's quiz has a single question, so no order to change",
}


# -- what counts as English left on a page ---------------------------------------------------


def _patterns() -> dict[str, re.Pattern]:
    """Each English msgid of three or more words, as a pattern over visible text."""
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    found = {}
    for message in template:
        for english in message.id if isinstance(message.id, tuple) else (message.id,):
            literal = " ".join(PLACEHOLDER.sub(" ", english).split())
            if len(re.findall(r"[A-Za-z]{2,}", literal)) < 3:
                continue
            parts = [re.escape(" ".join(p.split())) for p in PLACEHOLDER.split(english)]
            body = r".{0,300}?".join(p.replace(r"\ ", r"\s+") for p in parts if p.strip())
            found[english] = re.compile(body)
    return found


def _same_in(language: str) -> set[str]:
    """Msgids whose translation is the English text itself (none today, but allowed)."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.string == m.id}


PATTERNS = _patterns()


class _Visible(HTMLParser):
    """Text a person reads or hears: text nodes and the attributes that are shown or spoken."""

    SHOWN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        values = dict(attrs)
        self.parts += [values[a] or "" for a in self.SHOWN if a in values]
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(html_lib.unescape(" ".join(parser.parts)).split())


def english_left(page: str, language: str) -> list[str]:
    text = visible_text(page)
    same = _same_in(language) if language != "en" else set()
    return [e for e, pattern in PATTERNS.items() if e not in same and pattern.search(text)]


# -- a course that sets off the checker ------------------------------------------------------

BROKEN_YML = """\
title: 12
summary: ""
language: de
version: "1"
estimated_hours: -1
owners: [owner@example.org]
co_authors: [ana@example.org, ana@example.org, not-an-address]
audience: everyone
self_enrolment: maybe
translation_of: Not A Slug
estimated_hour: 3
completion:
  modules: [counting, nowhere]
  quizzes: [pre, feedback, services, nowhere-quiz]
  attendance_percent: 120
  survey: true
  extra: 1
certificate:
  kinds: ["", diploma]
  validity_months: 0
  signatories:
    - Ana Pérez
    - name: Ana
      rol: Chair
"""

SETTINGS_VARIANTS = [
    # Each is checked on the settings page of local-planning (English, two modules).
    "title: " + "T" * 301 + "\nsummary: S\nlanguage: en\nversion: '1'\nowners: ana@example.org\n"
    "audience: []\ntranslation_of: local-planning\ncompletion:\n  modules: nope\n"
    "  quizzes: some\n  survey: true\ncertificate: all\nlanguage: es\n",
    "just some words\n",
    "title: T\nsummary: S\nlanguage: es\nversion: '1'\nowners: [owner@example.org]\n"
    "translation_of: nowhere-course\ncertificate:\n  signatories: Ana\n",
    "title: T\nsummary: S\nlanguage: en\nversion: '1'\nowners: []\n"
    "audience: [Bad Slug, x, x]\ncompletion:\n  modules: [Bad Slug]\n  quizzes: [counting-x]\n"
    "certificate:\n  kinds: completion\n",
]

QUIZ_PROBLEMS = """\
---
title: Quiz problems
minutes: 0
kind: lesson
---
Read [a](file:///C:/notes.pdf), [b](ftp://example.org/x), [c](//example.org/x),
[d](/etc/passwd), [e](assets\\map.png), [f](../x.png), [g](other/x.png), [h](assets/mapp.png).

::: quiz
pass: 150
attempts: many
time-limit: soon
shuffle: maybe
reveal: sometimes
pas: 50
attempts: 2
anonymous: yes
late: refuse

? Bad id {id=Bad_Id}
- (x) a
- ( ) b

? {points=0 color=red id}
- (x) a
- ( ) b

? Twice {id=a id=b}
- (x) a
- ( ) b

? Brackets
- (x] a
- ( ) b

? Markers
- (x) a
- [ ] b

? Same id {id=dup}
= 1

? Same again {id=dup}
= 2

? Explicit q9 {id=q9}
= 3

? Automatic id taken

= 4

? No answers at all

? Mixed
- (x) a
= b

? Too few
- (x) only

? None right
- ( ) a
- ( ) b

? Two right
- (x) a
- (x) b

? Empty choice
- (x)
- ( ) b

? Empty answer
=

? Both
= true
= false

? Bad range
= 40..30

? Essay
~ essay

? Scale in a lesson
~ scale 1-5

? Feedback apart
- (x) a

  > too far

? Answer after feedback
- (x) a
> feedback
- ( ) b

? Stray dash
= 1
- no marker

? Indented
= 1
  indented

? Unexpected
= 1
plain words

? Code after answers
= 1
```
code
```
:::
"""

BLOCKS = """\
---
title: Blocks
minutes: 5
---
::: quiz
:::

::: quiz
? Never closed
= 1
"""

STRAY = """\
---
title: Stray
minutes: 5
---
::: quiz

pass: 50
hello there
? Q
= 1
:::
"""

PRE_TEST = """\
---
title: Pre
minutes: 5
kind: pre-test
---
::: quiz
attempts: 3

? Q
= 1
:::
"""

SURVEY = """\
---
title: Feedback
minutes: 5
kind: survey
---
::: quiz
? Graded
= 1

? Scale twice
~ text
~ text

? Bad scale
~ scale 5-1

? Long scale
~ scale 1-1000
:::
"""

ZIP_FILES: dict[str, str | bytes] = {
    "course.yml": BROKEN_YML,
    "course.yaml": "title: T\n",
    "notes.txt": "notes",
    "extra/readme.md": "x",
    "intro.md": "x",
    "02-Bad Name.md": "x",
    "03-dup.md": "---\ntitle: A\nminutes: 1\n---\nA\n",
    "04-dup.md": "---\ntitle: B\nminutes: 1\n---\nB\n",
    "05-one.md": "---\ntitle: One\nminutes: 1\n---\n",
    "05-two.md": "---\ntitle: Two\nminutes: 1\n---\n",
    "06-quiz.md": QUIZ_PROBLEMS,
    "07-blocks.md": BLOCKS,
    "08-stray.md": STRAY,
    "09-pre.md": PRE_TEST,
    "10-pre-again.md": PRE_TEST,
    "11-feedback.md": SURVEY,
    "12-post.md": "---\ntitle: Post\nminutes: 5\nkind: post-test\n---\nNo questions.\n",
    "13-colon.md": "---\ntitle: Policy: a primer\nminutes: 5\n---\n",
    "14-tab.md": "---\ntitle: T\nminutes:\t5\n\tkind: lesson\n---\n",
    "15-alias.md": "---\ntitle: *x\nminutes: 5\n---\n",
    "16-bell.md": "---\ntitle: T\u0007\nminutes: 5\n---\n",
    "17-list.md": "---\n- a list\n---\n",
    "18-bare.md": "# No front matter\n",
    "19-open.md": "---\ntitle: T\nminutes: 5\n",
    "20-bracket.md": "---\ntitle: [unclosed\nminutes: 5\n---\n",
    "21-latin1.md": "---\ntitle: Año\nminutes: 5\n---\n".encode("latin-1"),
    "22-huge.md": "---\ntitle: Huge\nminutes: 5\n---\n" + os.urandom(300 * 1024).hex(),
    "23-missing.md": "---\ntitle: T\n---\n",
    "24-long.md": "---\ntitle: " + "T" * 301 + "\nminutes: 5\nkind: quiz\ntitle2: x\n---\n",
    "25-services.md": "---\ntitle: T\nminutes: '5'\n---\n",
    # Bounds against hostile files: anchors, tags, depth, size, long numbers, costly Markdown.
    "26-anchor.md": "---\ntitle: &t Anchored\nminutes: 5\n---\n",
    "27-tag.md": "---\ntitle: !!str Tagged\nminutes: 5\n---\n",
    "28-deep.md": "---\ntitle: T\nminutes: 5\nextra: " + "[" * 30 + "]" * 30 + "\n---\n",
    "29-many.md": "---\ntitle: T\nminutes: 5\nextra: [" + "1, " * 2100 + "]\n---\n",
    "30-long-yaml.md": "---\ntitle: T\nminutes: 5\n# " + "x" * 17000 + "\n---\n",
    "31-number.md": "---\ntitle: T\nminutes: " + "9" * 40 + "\n---\n",
    "32-numbers.md": "---\ntitle: T\nminutes: 5\n---\n::: quiz\n? Big\n= 1" + "0" * 20 + "\n:::\n",
    "33-brackets.md": "---\ntitle: T\nminutes: 5\n---\n" + "[" * 2000 + "\n",
    "34-date.md": "---\ntitle: T\nminutes: 5\nwhen: 2026-13-45\n---\n",
    "assets/run.exe": b"MZ",
    "assets/README": b"read me",
    "assets/map.png": b"\x89PNG\r\n\x1a\n",
}

# A Spanish and a French translation of local-planning whose modules differ from it.
SPANISH_YML = (
    "title: Planificación\nsummary: S\nlanguage: es\nversion: '1'\n"
    "owners: [owner@example.org]\ntranslation_of: local-planning\n"
)
SPANISH_TRANSLATION = {
    "course.yml": SPANISH_YML,
    "01-counting.md": "---\ntitle: Contar\nminutes: 5\n---\n::: quiz\n? P {id=data-target}\n= 1\n"
    "\n? Q {id=other}\n= 2\n:::\n",
    "03-extra.md": "---\ntitle: Extra\nminutes: 5\n---\nTexto.\n",
}
SPANISH_AGAIN = {
    "course.yml": SPANISH_YML,
    "01-counting.md": "---\ntitle: Contar\nminutes: 5\n---\n::: quiz\n? P {id=other}\n= 1\n:::\n",
}
SPANISH_WITH_A_QUIZ_MORE = {
    "course.yml": SPANISH_YML,
    "01-counting.md": "---\ntitle: Contar\nminutes: 5\n---\n::: quiz\n? P {id=data-target}\n"
    "- ( ) 10.7\n- (x) 17.18\n:::\n",
    "02-services.md": "---\ntitle: Servicios\nminutes: 5\n---\n::: quiz\n? P\n= 1\n:::\n",
}
FRENCH_TRANSLATION = {
    "course.yml": "title: Planification\nsummary: S\nlanguage: fr\nversion: '1'\n"
    "owners: [owner@example.org]\ntranslation_of: local-planning\n",
    "01-services.md": "---\ntitle: Services\nminutes: 5\nkind: survey\n---\n"
    "::: quiz\n? Avis\n~ text\n:::\n",
    "02-counting.md": "---\ntitle: Compter\nminutes: 5\n---\nTexte.\n",
}
SAME_LANGUAGE_TRANSLATION = {
    "course.yml": "title: Again\nsummary: S\nlanguage: en\nversion: '1'\n"
    "owners: [owner@example.org]\ntranslation_of: local-planning\n",
    "01-counting.md": "---\ntitle: C\nminutes: 5\n---\nText.\n",
    "assets": b"a file where the assets folder belongs",
}
BIG_SETTINGS = {"course.yml": "title: T\n# " + os.urandom(40 * 1024).hex() + "\n"}
FAKE_IMAGE = {
    "course.yml": "title: Fake\nsummary: S\nlanguage: en\nversion: '1'\n"
    "owners: [owner@example.org]\n",
    "01-intro.md": "---\ntitle: Intro\nminutes: 5\n---\n![Map](assets/map.png)\n",
    "assets/map.png": b"<html>not a picture</html>",
}


def _codes(what: Msg) -> set[str]:
    nested = {c for _, value in what.params if isinstance(value, Msg) for c in _codes(value)}
    return {what.code} | nested


@pytest.fixture
def shown(monkeypatch) -> set[str]:
    """The checker message ids that reach a page during the test."""
    codes: set[str] = set()

    class Recording(validate.Message):
        def __init__(self, file, line, what):
            super().__init__(file, line, what)
            codes.update(_codes(what))

    monkeypatch.setattr(validate, "Message", Recording)
    return codes


def _zip(client, slug: str, files: dict[str, str | bytes]) -> str:
    data = make_zip({f"{slug}/{name}": content for name, content in files.items()})
    response = client.post(
        "/authoring/import",
        data={"zip_file": (io.BytesIO(data), f"{slug}.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _editor_pages(client, db) -> dict[str, str]:
    pages = {}
    url = "/courses/local-planning/edit/modules/counting"
    text = QUIZ_PROBLEMS.replace("title: Quiz problems", "title: Counting")
    pages["preview"] = client.post(
        url, data={"source": text, "base_hash": "x", "preview": "Preview"}
    ).get_data(as_text=True)
    saved = client.post(
        url, data={"source": text, "base_hash": _base_hash(client, url), "save": "Save draft"}
    )
    assert saved.status_code in (200, 302)
    pages["editor"] = client.get("/courses/local-planning/edit").get_data(as_text=True)
    pages["module editor"] = client.get(url).get_data(as_text=True)
    for number, variant in enumerate(SETTINGS_VARIANTS):
        pages[f"settings {number}"] = client.post(
            "/courses/local-planning/edit/settings",
            data={"course_yml": variant, "base_hash": "x", "check": "Check"},
        ).get_data(as_text=True)
    pages["zip import"] = _zip(client, "broken-course", ZIP_FILES)
    pages["zip of a translation"] = _zip(client, "planificacion", SPANISH_TRANSLATION)
    pages["zip of a shorter translation"] = _zip(client, "planificacion", SPANISH_AGAIN)
    pages["zip of a translation with a quiz more"] = _zip(
        client, "planificacion", SPANISH_WITH_A_QUIZ_MORE
    )
    pages["zip with large settings"] = _zip(client, "big-settings", BIG_SETTINGS)
    pages["zip of another translation"] = _zip(client, "planification", FRENCH_TRANSLATION)
    pages["zip in the same language"] = _zip(client, "again", SAME_LANGUAGE_TRANSLATION)
    pages["zip with a fake image"] = _zip(client, "fake-image", FAKE_IMAGE)
    return pages


def _participant_pages(client, make, login_as, tmp_path, language) -> dict[str, str]:
    survey = (
        "? How useful? {id=useful}\n~ scale 1-5: Not at all | Very\n\n? Why? {id=why}\n~ text\n"
    )
    folder = write_quiz_course(
        tmp_path,
        "quiz-pages",
        {
            "01-pre.md": quiz_module("", kind="pre-test"),
            "02-lesson.md": quiz_module("pass: 75\nattempts: 3\ntime-limit: 30\nreveal: always"),
            "03-survey.md": quiz_module("anonymous: yes", questions=survey, kind="survey"),
        },
        estimated_hours=1,
    )
    import_folder(folder)
    login_as(make.user(language=language))
    pages = {"catalogue before": client.get("/courses").get_data(as_text=True)}
    assert client.post("/courses/quiz-pages/enrol").status_code == 302
    pages["course"] = client.get("/courses/quiz-pages").get_data(as_text=True)
    pages["catalogue"] = client.get("/courses").get_data(as_text=True)
    pages["module"] = client.get("/courses/quiz-pages/modules/lesson").get_data(as_text=True)
    for module in ("pre", "lesson"):
        attempt = take(client, "quiz-pages", module, WRONG)
        pages[f"{module} result"] = client.get(f"/attempts/{attempt}").get_data(as_text=True)
    attempt = start(client, "quiz-pages", "lesson")
    pages["attempt"] = client.get(f"/attempts/{attempt}").get_data(as_text=True)
    attempt = start(client, "quiz-pages", "survey")
    pages["survey attempt"] = client.get(f"/attempts/{attempt}").get_data(as_text=True)
    pages["home"] = client.get("/").get_data(as_text=True)
    return pages


@pytest.mark.parametrize("language", ["es", "fr", "en"])
def test_no_english_is_left_on_the_pages(
    client, login_as, make, owner, course, db, tmp_path, shown, language
):
    owner.language = language
    db.session.flush()
    login_as(owner)
    pages = _editor_pages(client, db)
    pages |= _participant_pages(client, make, login_as, tmp_path, language)
    assert f'<html lang="{language}">' in pages["editor"]
    never_shown = set(MESSAGES) - shown - set(NOT_FROM_A_BROWSER)
    assert never_shown == set(), sorted(never_shown)
    left = {name: english_left(page, language) for name, page in pages.items()}
    if language == "en":
        # The same pages in English: the search does find what it looks for.
        assert all(left[name] for name in ("preview", "zip import", "attempt", "lesson result"))
    else:
        assert {name: found for name, found in left.items() if found} == {}


def test_the_pattern_finds_english_with_its_values_filled_in():
    page = "<p>Módulo</p><p>question id `q1` is already used on line 4: give this question</p>"
    assert english_left(page, "es") == []
    page = "<li>question has no correct choice; mark one with (x)</li>"
    assert english_left(page, "es") == ["question has no correct choice; mark one with %(mark)s"]


def test_no_message_is_excused_without_a_reason():
    assert set(NOT_FROM_A_BROWSER) <= set(MESSAGES)
    assert all(NOT_FROM_A_BROWSER.values())
