"""GIFT text to Markdown: escapes, and the four formats a GIFT question's text may use.

`[markdown]` is kept, `[plain]` is escaped, `[html]` and `[moodle]` (the default) become
Markdown: paragraphs, line breaks, bold, italics, code, links, images and lists; other tags are
dropped. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["convert", "escape_markdown", "hide_escapes", "show"]

# Escaped characters are swapped for private-use ones while the structure is read.
_ESCAPABLE = "~=#{}:\\"
_HIDE = {c: chr(0xE000 + i) for i, c in enumerate(_ESCAPABLE)}
_SHOW = {v: k for k, v in _HIDE.items()}
_ESCAPE_RE = re.compile(r"\\([~=#{}:\\n])")


def hide_escapes(text: str) -> str:
    """`\\~` and friends become private-use characters, `\\n` a line break."""
    return _ESCAPE_RE.sub(lambda m: "\n" if m.group(1) == "n" else _HIDE[m.group(1)], text)


def show(text: str) -> str:
    """The escaped characters back, as themselves."""
    return "".join(_SHOW.get(c, c) for c in text)


def convert(text: str, text_format: str) -> str:
    """GIFT text (escapes hidden) in its format -> Markdown, escapes restored."""
    if text_format == "markdown":
        result = show(text)
    elif text_format == "plain":
        result = escape_markdown(show(text))
    else:
        keep_breaks = text_format == "moodle"
        result = _HtmlToMarkdown.convert(show(text), keep_breaks=keep_breaks)
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in result.split("\n")))
    return result.strip()


def escape_markdown(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return re.sub(r"(?m)^(\s*)([#>])", r"\1\\\2", text)


class _HtmlToMarkdown(HTMLParser):
    """The handful of tags quiz text uses, as Markdown; every other tag is dropped."""

    _INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
    _BLOCKS = {"p", "div", "ul", "ol", "table", "tr", "blockquote", "pre"}

    def __init__(self, keep_breaks: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_breaks = keep_breaks
        self.out: list[str] = []
        self.links: list[str] = []

    @classmethod
    def convert(cls, text: str, *, keep_breaks: bool) -> str:
        parser = cls(keep_breaks)
        parser.feed(text)
        parser.close()
        return "".join(parser.out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in self._INLINE:
            self.out.append(self._INLINE[tag])
        elif tag == "br":
            self.out.append("\n")
        elif tag in self._BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + ("### " if tag.startswith("h") else ""))
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "a":
            self.out.append("[")
            self.links.append(values.get("href", ""))
        elif tag == "img":
            alt = escape_markdown(values.get("alt", ""))
            self.out.append(f"![{alt}]({values.get('src', '')})")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._INLINE:
            self.out.append(self._INLINE[tag])
        elif tag in self._BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n")
        elif tag == "a" and self.links:
            self.out.append(f"]({self.links.pop()})")

    def handle_data(self, data: str) -> None:
        if not self.keep_breaks:
            data = re.sub(r"\s+", " ", data)
        self.out.append(escape_markdown(data))
