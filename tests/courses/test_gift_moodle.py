"""Every form of Moodle's GIFT documentation (docs.moodle.org, "GIFT format"): each one is
converted into our quiz syntax, which our quiz parser accepts, or reported by its line with
a reason. Examples in the spirit of the documentation's, one item per form."""

from __future__ import annotations

import pytest

from trainer.courses.gift import BLANK, convert_gift
from trainer.courses.module import parse_module


def _parse(markdown: str, kind: str = "lesson"):
    module, problems = parse_module(
        f"---\ntitle: T\nminutes: 5\nkind: {kind}\n---\n::: quiz\n{markdown}\n:::\n",
        "m.md",
        slug="m",
        number=1,
        position=1,
        content_hash="",
        asset_names=(),
    )
    assert problems == [], [str(p) for p in problems]
    return module.quiz.questions


CONVERTED = [
    pytest.param(
        "Who is buried in Grant's tomb? {=Grant ~no one ~Napoleon}",
        "? Who is buried in Grant's tomb? {id=gift-1}\n- (x) Grant\n- ( ) no one\n- ( ) Napoleon",
        "single",
        id="multiple-choice",
    ),
    pytest.param(
        "What colour is a white horse? {\n  ~red\n  =white\n  ~black\n}",
        "? What colour is a white horse? {id=gift-1}\n- ( ) red\n- (x) white\n- ( ) black",
        "single",
        id="multiple-choice-on-several-lines",
    ),
    pytest.param(
        "Which two people lie in Grant's tomb? {\n~%-100%No one\n~%50%Grant\n"
        "~%50%Grant's wife\n~%-100%Grant's father\n}",
        "? Which two people lie in Grant's tomb? {id=gift-1}\n"
        "- [ ] No one\n- [x] Grant\n- [x] Grant's wife\n- [ ] Grant's father",
        "multiple",
        id="multiple-answers-with-weights",
    ),
    pytest.param(
        "Grant is buried in a tomb in New York City.{T}",
        "? Grant is buried in a tomb in New York City. {id=gift-1}\n= true",
        "true_false",
        id="true-false-T",
    ),
    pytest.param(
        "The sun rises in the west.{F}",
        "? The sun rises in the west. {id=gift-1}\n= false",
        "true_false",
        id="true-false-F",
    ),
    pytest.param(
        "The sun rises in the east.{TRUE}",
        "? The sun rises in the east. {id=gift-1}\n= true",
        "true_false",
        id="true-false-TRUE",
    ),
    pytest.param(
        "The moon is made of cheese.{FALSE#Not quite: look again.#Right: it is rock.}",
        "? The moon is made of cheese. {id=gift-1}\n= false\n"
        "> Right: it is rock.\n>\n> Not quite: look again.",
        "true_false",
        id="true-false-FALSE-with-feedback",
    ),
    pytest.param(
        "Who is buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}",
        "? Who is buried in Grant's tomb? {id=gift-1}\n"
        "= Grant\n= Ulysses S. Grant\n= Ulysses Grant",
        "short_text",
        id="short-answer",
    ),
    pytest.param(
        "Two plus two equals {=four =4}.",
        f"? Two plus two equals {BLANK}. {{id=gift-1}}\n= four\n= 4",
        "short_text",
        id="short-answer-as-missing-word",
    ),
    pytest.param(
        "Grant is {~buried =entombed ~living} in Grant's tomb.",
        f"? Grant is {BLANK} in Grant's tomb. {{id=gift-1}}\n"
        "- ( ) buried\n- (x) entombed\n- ( ) living",
        "single",
        id="missing-word",
    ),
    pytest.param(
        "Moodle costs {~lots of money =nothing ~a small amount}\nto download from the web.",
        f"? Moodle costs {BLANK} {{id=gift-1}}\nto download from the web.\n"
        "- ( ) lots of money\n- (x) nothing\n- ( ) a small amount",
        "single",
        id="missing-word-text-on-the-next-line",
    ),
    pytest.param(
        "When was Ulysses S. Grant born?{#1822:5}",
        "? When was Ulysses S. Grant born? {id=gift-1}\n= 1822 +- 5",
        "numeric",
        id="numerical-with-tolerance",
    ),
    pytest.param(
        "What is the value of pi (to 3 decimal places)? {#3.14159:0.0005}.",
        "? What is the value of pi (to 3 decimal places)? {id=gift-1}\n= 3.14159 +- 0.0005",
        "numeric",
        id="numerical-with-a-bare-final-period",
    ),
    pytest.param(
        "What is the value of pi (to 3 decimal places)? {#3.141..3.142}.",
        "? What is the value of pi (to 3 decimal places)? {id=gift-1}\n= 3.141..3.142",
        "numeric",
        id="numerical-range",
    ),
    pytest.param(
        "When was Ulysses S. Grant born? {#\n=1822:0 # Correct: full credit.\n"
        "=%50%1822:2 # Close: half credit.\n}",
        "? When was Ulysses S. Grant born? {id=gift-1}\n= 1822\n= 1822 +- 2\n"
        "> Correct: full credit.\n>\n> Close: half credit.",
        "numeric",
        id="multiple-numerical-answers-with-partial-credit",
    ),
    pytest.param(
        "// a comment line, dropped\n::Grant's tomb::Who is buried there?{=Grant ~Lincoln}",
        "? Who is buried there? {id=grants-tomb}\n- (x) Grant\n- ( ) Lincoln",
        "single",
        id="comment-and-title",
    ),
    pytest.param(
        "Which is a tilde: \\~, an equal sign: \\=, a hash: \\#, braces: \\{ \\} and a colon"
        " \\: ?{=\\~ ~\\=}",
        "? Which is a tilde: ~, an equal sign: =, a hash: #, braces: { } and a colon : ?"
        " {id=gift-1}\n- (x) ~\n- ( ) =",
        "single",
        id="escapes",
    ),
    pytest.param(
        "[html]Is <b>this</b> bold?<br>Look again.{T}",
        "? Is **this** bold? {id=gift-1}\nLook again.\n= true",
        "true_false",
        id="format-html",
    ),
    pytest.param(
        "[moodle]Is <i>this</i> slanted?{T}",
        "? Is *this* slanted? {id=gift-1}\n= true",
        "true_false",
        id="format-moodle",
    ),
    pytest.param(
        "[markdown]Is **this** bold?{T}",
        "? Is **this** bold? {id=gift-1}\n= true",
        "true_false",
        id="format-markdown",
    ),
    pytest.param(
        "[plain]Is **this** plain?{T}",
        "? Is \\*\\*this\\*\\* plain? {id=gift-1}\n= true",
        "true_false",
        id="format-plain",
    ),
    pytest.param(
        "What is 2 + 2?{=4 # Yes: four.\n~3 # Count again.\n####Addition is counting on.}",
        "? What is 2 + 2? {id=gift-1}\n- (x) 4\n  > Yes: four.\n- ( ) 3\n  > Count again.\n"
        "> Addition is counting on.",
        "single",
        id="per-answer-and-general-feedback",
    ),
]


@pytest.mark.parametrize(("gift", "markdown", "kind"), CONVERTED)
def test_each_documented_form_is_converted(gift, markdown, kind):
    result = convert_gift(gift)
    assert result.skipped == ()
    assert [q.markdown for q in result.questions] == [markdown]
    assert [q.type for q in _parse(result.markdown)] == [kind]


def test_a_category_line_is_dropped_and_line_numbers_stay_right():
    result = convert_gift("$CATEGORY: tom/dick/harry\n\n// note\n\nQ?{T}\n\nInfo only.")
    assert [q.line for q in result.questions] == [5]
    assert [(s.line, s.reason.split(" ")[0]) for s in result.skipped] == [(7, "description")]


@pytest.mark.parametrize("kind", ["lesson", "post-test", "survey"])
def test_an_essay_becomes_an_ungraded_free_text_question_in_any_quiz(kind):
    result = convert_gift("::Essay::Write a short biography of Dag Hammarskjöld. {}")
    assert result.questions[0].markdown == (
        "? Write a short biography of Dag Hammarskjöld. {id=essay}\n~ text"
    )
    assert [q.type for q in _parse(result.markdown, kind=kind)] == ["free_text"]


@pytest.mark.parametrize(
    ("gift", "line", "reason"),
    [
        pytest.param(
            "// matching\n\nMatch the capitals. {\n=Ecuador -> Quito\n=Peru -> Lima\n}",
            3,
            "matching question: there is no matching type here",
            id="matching",
        ),
        pytest.param(
            "You may use pencil and paper for the next questions.",
            1,
            "description (text without answers): nothing to convert",
            id="description",
        ),
        pytest.param(
            "Grant is {~buried =entombed} in {=Grant's ~Lee's} tomb.",
            1,
            "several answer blocks `{...}` in one question: split it into one per block",
            id="two-blanks",
        ),
    ],
)
def test_each_form_that_is_not_converted_is_reported_by_line(gift, line, reason):
    result = convert_gift(gift)
    assert result.questions == ()
    assert [(s.line, s.reason) for s in result.skipped] == [(line, reason)]


def test_reasons_keep_their_parameters_apart_for_translation():
    skip = convert_gift("Q {#5..1}").skipped[0]
    assert skip.message == "numeric range `%(range)s` goes from high to low"
    assert skip.params == {"range": "5..1"}
    assert skip.reason == "numeric range `5..1` goes from high to low"
