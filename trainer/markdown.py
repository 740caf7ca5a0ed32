"""Markdown -> safe HTML: the only place in trainer that renders Markdown or imports bleach.

Guarantees of `render_markdown` / `render_markdown_with_toc`:
- The output contains only the tags in `ALLOWED_TAGS` and, on them, only the attributes that
  `_allowed_attribute` accepts: no `style`, no event handlers, `class` and `id` only with the
  values that admonitions, footnotes, the table of contents and fenced code produce.
- `href`/`src` are http, https, mailto, relative or `#...`; javascript:, vbscript:, data: and
  every other scheme are dropped, however they are spelled (entities, whitespace, case).
- Raw HTML outside the allowlist is escaped, not removed, so authors see what they wrote;
  HTML comments are removed. Bare URLs in text are not turned into links (use `<https://...>`).
- Absolute links (http, https or `//host`) get `rel="noopener noreferrer"`; other links get no
  `rel` at all (an author's own `rel` is dropped).
- With `asset_url_prefix`, `assets/<name>` and `./assets/<name>` in `href`/`src` become
  `<asset_url_prefix>/<name>`.
Building a Markdown instance and a bleach Cleaner costs far more than converting a fragment, and
a course import converts hundreds. Each thread therefore keeps one of each and reuses it,
resetting the Markdown state before every fragment: the output is byte for byte what fresh
instances give (tests/test_markdown.py compares them on the demo courses). Neither class is
thread-safe, hence one pair per thread: gunicorn's sync workers have one thread, the test live
server and a threaded `flask run` have several.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from functools import partial
from typing import Any, TypedDict
from urllib.parse import urlsplit

import markdown
from bleach.html5lib_shim import Filter
from bleach.sanitizer import Cleaner
from markdown.extensions.toc import slugify_unicode

_EXTENSIONS = ["tables", "fenced_code", "toc", "admonition", "footnotes", "sane_lists"]
_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"slugify": slugify_unicode},
    # Python-Markdown aligns table cells with `style` by default; we allow no style at all.
    "tables": {"use_align_attribute": True},
}

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u",
        "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead",
        "tbody", "tr", "th", "td", "sup", "sub", "div", "span", "dl", "dt", "dd", "del", "ins",
        "abbr", "figure", "figcaption",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
ADMONITION_TYPES = frozenset(
    {
        "note", "info", "tip", "hint", "important", "success", "question", "example",
        "warning", "caution", "attention", "danger", "error", "failure", "bug", "quote",
        "seealso",
    }
)  # fmt: skip

_PLAIN_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
_CLASSES = {
    "div": {"admonition", "footnote", "toc"} | ADMONITION_TYPES,
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
}
_ID_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "sup", "li"})
_ID_RE = re.compile(r"[\w:.-]+")  # toc slugs (Unicode word characters), fn:x, fnref2:x
_LANGUAGE_CLASS_RE = re.compile(r"language-[a-z0-9_+#.-]+")
_ASSET_RE = re.compile(r"(?:\./)?assets/(?P<name>[^/?#].*)", re.DOTALL)
_IGNORED_IN_URL_RE = re.compile(r"[\x00-\x20\x7f\s]+")
EXTERNAL_REL = "noopener noreferrer"


class TocEntry(TypedDict):
    id: str
    name: str
    level: int
    children: list[TocEntry]


def render_markdown(text: str, asset_url_prefix: str | None = None) -> str:
    """Return `text` (Markdown) as sanitised HTML; see the module docstring."""
    return render_markdown_with_toc(text, asset_url_prefix)[0]


def render_markdown_with_toc(
    text: str, asset_url_prefix: str | None = None
) -> tuple[str, list[TocEntry]]:
    """Return the sanitised HTML of `text` and its headings as a tree of plain-text entries."""
    renderer = _renderer()
    md = renderer.markdown.reset()
    raw = md.convert(text)
    toc = _plain_toc(md.toc_tokens)  # type: ignore[attr-defined]
    renderer.asset_url_prefix = asset_url_prefix
    try:
        return renderer.cleaner.clean(raw), toc
    finally:
        renderer.asset_url_prefix = None


class _Renderer:
    """One Markdown converter and one Cleaner, used by one thread at a time.

    `asset_url_prefix` is read by the Cleaner's link filter during `clean()`: it is set for
    the duration of one call, so one Cleaner serves every course.
    """

    def __init__(self) -> None:
        self.asset_url_prefix: str | None = None
        self.markdown = markdown.Markdown(
            extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS
        )
        self.cleaner = Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allowed_attribute,
            protocols=ALLOWED_PROTOCOLS,
            strip=False,
            strip_comments=True,
            filters=[partial(_LinkFilter, renderer=self)],
        )


_per_thread = threading.local()


def _renderer() -> _Renderer:
    renderer = getattr(_per_thread, "renderer", None)
    if renderer is None:
        renderer = _per_thread.renderer = _Renderer()
    return renderer


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in _PLAIN_ATTRIBUTES.get(tag, ()):
        return name not in {"colspan", "rowspan"} or (value.isascii() and value.isdigit())
    if name == "id":
        return tag in _ID_TAGS and _ID_RE.fullmatch(value) is not None
    if name == "class":
        classes = value.split()
        if tag == "code":
            return len(classes) == 1 and _LANGUAGE_CLASS_RE.fullmatch(classes[0]) is not None
        return bool(classes) and set(classes) <= _CLASSES.get(tag, set())
    if name == "align":
        return tag in {"th", "td"} and value in {"left", "right", "center"}
    if name == "start":
        return tag == "ol" and value.isascii() and value.isdigit()
    return False


class _LinkFilter(Filter):
    """Runs after bleach's sanitiser: rewrites asset URLs and sets `rel` on links."""

    def __init__(self, source: Any, renderer: _Renderer) -> None:
        super().__init__(source)
        self.asset_url_prefix = renderer.asset_url_prefix

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"} and token["name"] in {"a", "img"}:
                token["data"] = self._fix_attributes(token["name"], dict(token["data"]))
            yield token

    def _fix_attributes(self, tag: str, attrs: dict[tuple[str | None, str], str]) -> dict:
        url_key = (None, "href" if tag == "a" else "src")
        url = attrs.get(url_key)
        if url is not None and self.asset_url_prefix is not None:
            match = _ASSET_RE.fullmatch(url)
            if match:
                url = attrs[url_key] = f"{self.asset_url_prefix.rstrip('/')}/{match['name']}"
        if tag == "a":
            attrs.pop((None, "rel"), None)
            if url is not None and _is_absolute(url):
                attrs[(None, "rel")] = EXTERNAL_REL
        return attrs


def _is_absolute(url: str) -> bool:
    # Normalise the way browsers read it: entities, stray whitespace, `\` as `/`, any case.
    normalized = _IGNORED_IN_URL_RE.sub("", html.unescape(url)).replace("\\", "/").lower()
    parts = urlsplit(normalized)
    return parts.scheme in {"http", "https"} or bool(parts.netloc)


def _plain_toc(tokens: list[dict[str, Any]]) -> list[TocEntry]:
    # Python-Markdown gives names with tags removed but entities kept ("A &amp; B").
    return [
        TocEntry(
            id=token["id"],
            name=html.unescape(token["name"]),
            level=token["level"],
            children=_plain_toc(token["children"]),
        )
        for token in tokens
    ]
