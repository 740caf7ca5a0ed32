"""Light, accessible pages: no JavaScript, no inline style, every input labelled."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser

import pytest

from tests.learning.conftest import start
from trainer.courses.services import current_modules

EN = "migration-development-policy"
ES = "migracion-politicas-desarrollo"
BUDGET = 100 * 1024


class Inventory(HTMLParser):
    """Every element's tag and attributes, and the text of labels and legends."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def of(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.elements if name == tag]


def inventory(html: str) -> Inventory:
    parser = Inventory()
    parser.feed(html)
    return parser


def assert_no_script_or_inline_style(html: str) -> None:
    assert "<script" not in html
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def assert_every_control_is_labelled(html: str) -> None:
    found = inventory(html)
    labelled = {attrs.get("for") for attrs in found.of("label")}
    controls = [a for a in found.of("input") if a.get("type") != "hidden"]
    controls += found.of("textarea") + found.of("select")
    assert controls
    for control in controls:
        assert control.get("id") in labelled, control


@pytest.fixture
def enrolled(client, make, login_as, demo_courses):
    login_as(make.user())
    client.post(f"/courses/{EN}/enrol")
    return demo_courses


def test_module_pages_fit_in_100_kb_with_the_stylesheet(client, enrolled):
    with client.get("/static/css/trainer.css") as stylesheet:
        css = stylesheet.data
    sizes = {}
    for course in (EN, ES):
        for module in current_modules(enrolled[course]):
            response = client.get(f"/courses/{course}/modules/{module.slug}")
            assert response.status_code == 200
            html = response.get_data(as_text=True)
            assert_no_script_or_inline_style(html)
            sizes[(course, module.slug)] = len(response.data) + len(css)
    largest = max(sizes, key=sizes.get)
    assert largest[1] in {"employment-policy", "why-migration-matters", "urban-development"}
    assert sizes[largest] < BUDGET, sizes


def test_pages_work_without_javascript_and_label_everything(client, enrolled):
    attempt = start(client, EN, "post-test")
    survey = start(client, EN, "satisfaction-survey")
    for path in (
        "/",
        "/courses",
        f"/courses/{EN}",
        f"/attempts/{attempt}",
        f"/attempts/{survey}",
    ):
        html = client.get(path).get_data(as_text=True)
        assert_no_script_or_inline_style(html)
        assert_every_control_is_labelled(html)


def test_each_question_is_a_fieldset_with_a_legend(client, enrolled):
    html = client.get(f"/attempts/{start(client, EN, 'post-test')}").get_data(as_text=True)
    assert html.count("<fieldset") == 10
    assert html.count("<legend>") == 10
    assert "Question 1 of 10" in html
    # Course text carries the course's language, the interface its own.
    assert '<span class="question-text" id="question-two-way-text" lang="en">' in html


def test_spanish_content_is_marked_as_spanish_in_an_english_interface(client, enrolled):
    html = client.get(f"/courses/{ES}/modules/employment-policy").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<article lang="es">' in html
    page = client.get(f"/courses/{ES}").get_data(as_text=True)
    assert '<h1 lang="es">' in page


def test_progress_is_text_and_a_labelled_progress_element(client, enrolled):
    html = client.get(f"/courses/{EN}").get_data(as_text=True)
    progress = inventory(html).of("progress")
    assert len(progress) == 1
    assert f'<label for="{progress[0]["id"]}">Progress</label>' in html
    assert "0% complete" in html
    assert '<span class="badge status status-not-started">Not started</span>' in html


def test_the_interface_speaks_the_participant_language(client, make, login_as, demo_courses):
    login_as(make.user(language="es"))
    html = client.get(f"/courses/{ES}").get_data(as_text=True)
    assert '<html lang="es">' in html


WIRE_BUDGET = 12 * 1024


def _without_tokens(html: bytes) -> bytes:
    # The signed CSRF token carries the time: two fetches may differ there only.
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", html)


def test_the_largest_lesson_travels_in_under_12_kb(client, enrolled):
    pages = {}
    for course in (EN, ES):
        for module in current_modules(enrolled[course]):
            path = f"/courses/{course}/modules/{module.slug}"
            pages[path] = client.get(path).data
    largest = max(pages, key=lambda path: len(pages[path]))
    assert len(pages[largest]) > WIRE_BUDGET  # uncompressed, it would not fit
    response = client.get(largest, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(response.data) < WIRE_BUDGET
    assert _without_tokens(gzip.decompress(response.data)) == _without_tokens(pages[largest])
