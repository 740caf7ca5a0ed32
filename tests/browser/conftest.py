"""Browser tests: the app served from a thread on a committed SQLite file, driven by
Debian's Chromium through Playwright, at a 360 px phone viewport.

Every page a test opens is checked for sideways scrolling: the document may not be wider
than the 360 px viewport (a wide table or code block scrolls inside its own box instead).

They are skipped, with the reason printed, when /usr/bin/chromium is missing; `.ci/run`
installs it so CI always runs them. Screenshots of failures go to test-results/.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
# The narrowest phones in common use; every page must fit without scrolling sideways.
PHONE = {"width": 360, "height": 780}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

HERE = Path(__file__).resolve().parent

# A participant of the browser tests only, with no preferred language: the browser's
# Accept-Language (or the language picker) decides, and the demo accounts stay untouched.
READER = ("reader@example.org", "browser-reader-pass")
# Another such participant, who fails a lesson's quiz (its result page is checked).
LEARNER = ("learner@example.org", "browser-learner-pass")


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def live_app(live_server):
    """The app behind ``live_server``: a test module adds the data its journey needs with
    ``with live_app.app_context(): ...; db.session.commit()`` (the server sees it at once)."""
    return _LIVE["app"]


_LIVE: dict = {}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The real app with demo data and the demo courses, on 127.0.0.1 and a free port."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from config import TestingConfig
    from trainer import create_app
    from trainer.courses.checks import check_courses
    from trainer.courses.services import import_course
    from trainer.demo import seed_demo
    from trainer.extensions import db

    database = tmp_path_factory.mktemp("browser") / "browser.db"
    # Check-in codes rotate every 5 s, so the journey sees a rotation without a long wait.
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", CHECKIN_CODE_SECONDS=5
    )
    with app.app_context():
        upgrade()
        # As `make run` does: the courses first, since the demo data has a cohort of one.
        specs, problems = check_courses(ROOT / "courses")
        assert not problems, problems
        for spec in specs:
            import_course(spec)
        assert seed_demo().cohort is not None
        _create_reader()
        db.session.commit()
    _LIVE["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def _create_reader() -> None:
    from sqlalchemy import select

    from trainer.auth import services as accounts
    from trainer.auth.models import Institution, Role
    from trainer.extensions import db

    institution = db.session.scalar(select(Institution).where(Institution.slug == "gad-cuenca"))
    for (email, password), name in ((READER, "Rita Reader"), (LEARNER, "Luis Learner")):
        accounts.create_user(
            email, name, Role.PARTICIPANT, institution=institution, password=password
        )


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture
def new_page(browser, live_server, request) -> Iterator[Callable]:
    """Open a phone-sized page; `language` sets Accept-Language, `javascript` can be off."""
    contexts = []
    pages: list[FittingPage] = []

    def open_page(language: str = "en", javascript: bool = True, bypass_csp: bool = False):
        context = browser.new_context(
            viewport=PHONE,
            locale=language,
            extra_http_headers={"Accept-Language": language},
            java_script_enabled=javascript,
            bypass_csp=bypass_csp,
            base_url=live_server,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        pages.append(FittingPage(page))
        return pages[-1]

    yield open_page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if not failed:
        for page in pages:  # the last document a test showed, if it never used it
            page.check()
    for index, context in enumerate(contexts):
        if failed:
            RESULTS.mkdir(exist_ok=True)
            for number, page in enumerate(context.pages):
                name = f"{request.node.name}-{index}-{number}.png".replace("/", "_")
                page.screenshot(path=str(RESULTS / name), full_page=True)
        context.close()


# The document's overflow, and the outermost elements sticking out past the viewport's right
# edge (those inside a box that scrolls or clips on its own are fine). Works with JS off.
_SIDEWAYS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    [...e.classList].map((c) => '.' + c).join('');
  const wide = [...document.body.querySelectorAll('*')].filter(
    (e) => e.getBoundingClientRect().right > root.clientWidth + 0.5 && !clipped(e));
  const outermost = wide.filter((e) => !wide.includes(e.parentElement));
  return {scroll: root.scrollWidth, client: root.clientWidth,
          elements: outermost.slice(0, 5).map(name)};
}"""


def assert_fits(page) -> None:
    """The loaded page does not scroll sideways at the viewport's width."""
    for _ in range(3):
        try:
            page.wait_for_load_state("load")
            overflow = page.evaluate(_SIDEWAYS)
            break
        except PlaywrightError as error:  # a navigation replaced the document meanwhile
            if "destroyed" not in str(error) and "navigat" not in str(error):
                raise
    else:
        return
    assert overflow is None, (
        f"{page.url} scrolls sideways at {overflow['client']} px: it is {overflow['scroll']} px "
        f"wide because of {', '.join(overflow['elements']) or 'an element'}"
    )


class FittingPage:
    """A Playwright page that checks every document it shows with assert_fits().

    The main frame's navigations are counted as they happen; the check runs on the next use
    of the page after one (any locator, goto, wait_for_url, expect_navigation...), once the
    new document has loaded, so a test never has to remember it.
    """

    def __init__(self, page) -> None:
        self._page = page
        self._navigations = 0
        self._checked = 0
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self._page.main_frame:
            self._navigations += 1

    def check(self) -> None:
        if self._navigations != self._checked and not self._page.is_closed():
            self._checked = self._navigations
            assert_fits(self._page)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        self.check()
        return getattr(self._page, name)

    def goto(self, *args, **kwargs):
        response = self._page.goto(*args, **kwargs)
        self.check()
        return response

    def wait_for_url(self, *args, **kwargs) -> None:
        self._page.wait_for_url(*args, **kwargs)
        self.check()

    @contextmanager
    def expect_navigation(self, *args, **kwargs):
        with self._page.expect_navigation(*args, **kwargs) as navigation:
            yield navigation
        self.check()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    submit(page, page.locator("form[action='/login'] [type=submit]"))


def submit(page, button) -> None:
    """Click a button that sends a form, and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def choose_language(page, code: str) -> None:
    """Pick the interface language with the header's picker (kept as the user's preference)."""
    picker = page.locator("form.language-picker")
    picker.get_by_label(re.compile("^(Idioma|Language|Langue)$")).select_option(code)
    submit(page, picker.get_by_role("button"))
    assert page.locator("html").get_attribute("lang") == code


def answer_quiz(page, answers: dict[str, str | list[str]]) -> None:
    """Fill the open attempt's form from {question id: answer}, then send it.

    Inputs are found by their name (``q-<question id>``) and, for choices, their value: a
    choice key (``a``, ``b``...), ``true``/``false`` or a scale point; a list ticks several
    check boxes; text and numeric answers are typed. Every question on the page must be given.
    """
    form = page.locator("form.quiz")
    asked = form.locator("fieldset.question")
    assert asked.count() == len(answers), f"{asked.count()} questions, {len(answers)} answers"
    for question_id, answer in answers.items():
        fields = form.locator(f"[name='q-{question_id}']")
        assert fields.count() > 0, f"no question {question_id} on the page"
        kind = fields.first.get_attribute("type")
        if kind in ("radio", "checkbox"):
            for value in [answer] if isinstance(answer, str) else answer:
                form.locator(f"[name='q-{question_id}'][value='{value}']").check()
        else:
            fields.fill(str(answer))
    submit(page, form.locator("[type=submit]"))
