"""trainer.markdown: the output is safe whatever the author writes, and the Markdown still works.

Pure tests: no app, no database. The output is parsed (html.parser) and every tag and attribute
is checked, rather than string-searched.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest

import trainer.markdown
from trainer.courses import storage
from trainer.courses.checks import check_courses
from trainer.markdown import render_markdown, render_markdown_with_toc

# What may appear in the output at all, written out here independently of the implementation.
EXPECTED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u",
    "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead",
    "tbody", "tr", "th", "td", "sup", "sub", "div", "span", "dl", "dt", "dd", "del", "ins",
    "abbr", "figure", "figcaption",
}  # fmt: skip
EXPECTED_ATTRIBUTES = {
    "a": {"href", "title", "rel", "class"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "div": {"class"},
    "p": {"class"},
    "code": {"class"},
    "ol": {"start"},
    "sup": {"id"},
    "li": {"id"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
BAD_SCHEME_RE = re.compile(r"(javascript|vbscript|data|livescript):")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def parse(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element of `html` as (tag, attributes), attribute values with entities decoded."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def elements(html: str, tag: str) -> list[dict[str, str]]:
    return [attrs for name, attrs in parse(html) if name == tag]


def assert_safe(html: str) -> None:
    assert "<script" not in html.lower()
    assert "<!--" not in html  # comments are removed, so no comment parsing tricks reach a browser
    for tag, attrs in parse(html):
        assert tag in EXPECTED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            assert name in EXPECTED_ATTRIBUTES.get(tag, set()), (tag, name)
            if name in URL_ATTRIBUTES:
                normalized = re.sub(r"[\x00-\x20\x7f-\xa0\s]+", "", value).lower()
                assert not BAD_SCHEME_RE.match(normalized), (tag, name, value)


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    "<IMG SRC=x ONERROR=alert(1)>",
    '<img src="x" alt="a"onerror="alert(1)">',
    '<img src="x" alt=\'"\' onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#09;script:alert(1)">x</a>',
    '<a href=" \x01javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="#" onclick="alert(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<span style="behavior:url(x.htc)">x</span>',
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<form action="javascript:alert(1)"><input type="submit" formaction="javascript:alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mi href="javascript:alert(1)">x</mi></math>',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<textarea><script>alert(1)</script></textarea>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<!-- --!><img src=x onerror=alert(1)>-->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    '<div class="admonition note" onclick="alert(1)" style="x">x</div>',
    '<h2 id="x" onmouseover="alert(1)">x</h2>',
    # Markdown syntax
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    '![x](x.png "a\\" onerror=\\"alert(1)")',
    "![x](x.png \"' onerror='alert(1)\")",
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "![x][evil]\n\n[evil]: data:image/svg+xml,<svg/onload=alert(1)>",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "# <img src=x onerror=alert(1)>",
    "## Heading <script>alert(1)</script>",
    "Text[^1]\n\n[^1]: <img src=x onerror=alert(1)> [y](javascript:alert(1))",
    '!!! note "<img src=x onerror=alert(1)>"\n    body',
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "`<script>alert(1)</script>` and\n\n```\n<script>alert(1)</script>\n```",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_neutralised(payload: str) -> None:
    assert_safe(render_markdown(payload))
    assert_safe(render_markdown(payload, asset_url_prefix="/courses/demo/assets"))
    html, _ = render_markdown_with_toc(f"# Title\n\n{payload}\n\n## End")
    assert_safe(html)


def test_toc_names_are_plain_text_without_markup() -> None:
    _, toc = render_markdown_with_toc("# <img src=x onerror=alert(1)>Safe & sound <b>x</b>")
    assert toc[0]["name"] == "Safe & sound x"


def test_unknown_raw_html_is_escaped_so_the_author_sees_it() -> None:
    html = render_markdown("Before <marquee>moving</marquee> after")
    assert "&lt;marquee&gt;moving&lt;/marquee&gt;" in html
    assert [tag for tag, _ in parse(html)] == ["p"]


def test_script_is_shown_as_text_not_run() -> None:
    html = render_markdown("<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_allowed_raw_html_is_kept_without_disallowed_attributes() -> None:
    html = render_markdown('E = mc<sup>2</sup>, press <kbd style="color:red">Ctrl</kbd>')
    assert "<sup>2</sup>" in html
    assert "<kbd>Ctrl</kbd>" in html


def test_html_comments_are_removed() -> None:
    assert "secret" not in render_markdown("Visible\n\n<!-- secret -->\n\nText <!-- secret -->")


def test_no_style_attribute_survives() -> None:
    html = render_markdown(
        '<p style="color:red">a</p>\n\n<span style="x">b</span>\n\n| l | r |\n|:--|--:|\n| 1 | 2 |'
    )
    assert all("style" not in attrs for _, attrs in parse(html))


def test_bare_urls_in_text_are_not_linkified() -> None:
    html = render_markdown("See https://gov.example/policy and markdown.py")
    assert elements(html, "a") == []


def test_tables_render_with_align_attributes() -> None:
    html = render_markdown("| Name | Score |\n|:-----|------:|\n| Ana | 9 |")
    assert elements(html, "th") == [{"align": "left"}, {"align": "right"}]
    assert elements(html, "td") == [{"align": "left"}, {"align": "right"}]
    assert "<thead>" in html
    assert "<tbody>" in html


def test_fenced_code_keeps_language_class_and_escapes_content() -> None:
    html = render_markdown("```python\nif a < b:\n    print('<b>')\n```")
    assert elements(html, "code") == [{"class": "language-python"}]
    assert "if a &lt; b:" in html
    assert "&lt;b&gt;" in html
    assert elements(html, "b") == []


def test_odd_language_class_is_dropped() -> None:
    html = render_markdown('<pre><code class="language-x evil">x</code></pre>')
    assert elements(html, "code") == [{}]


def test_admonitions_keep_their_classes() -> None:
    html = render_markdown('!!! warning "Deadline"\n    Submit by Friday.')
    assert elements(html, "div") == [{"class": "admonition warning"}]
    assert elements(html, "p")[0] == {"class": "admonition-title"}
    assert "Deadline" in html
    assert "Submit by Friday." in html


def test_unknown_admonition_type_loses_its_class_but_keeps_its_text() -> None:
    html = render_markdown("!!! warning blink\n    Body text.")
    assert elements(html, "div") == [{}]
    assert "Body text." in html


def test_raw_html_cannot_use_classes_outside_the_allowlist() -> None:
    html = render_markdown('<div class="admin-only">x</div>\n\n<p class="note">y</p>')
    assert all("class" not in attrs for _, attrs in parse(html))


def test_footnotes_work() -> None:
    html = render_markdown("Claim.[^src]\n\n[^src]: Ministry report, 2023.")
    assert elements(html, "sup") == [{"id": "fnref:src"}]
    refs = elements(html, "a")
    assert refs[0] == {"class": "footnote-ref", "href": "#fn:src"}
    assert refs[1]["class"] == "footnote-backref"
    assert refs[1]["href"] == "#fnref:src"
    assert elements(html, "li") == [{"id": "fn:src"}]
    assert {"class": "footnote"} in elements(html, "div")
    assert "Ministry report, 2023." in html


def test_footnotes_do_not_leak_between_calls() -> None:
    render_markdown("Claim.[^1]\n\n[^1]: First document's note.")
    html = render_markdown("No notes here.")
    assert "footnote" not in html
    assert "First document" not in html


def test_toc_ids_keep_unicode() -> None:
    html = render_markdown("## Política migratoria\n\n## Ελληνικά κείμενα")
    assert elements(html, "h2") == [{"id": "política-migratoria"}, {"id": "ελληνικά-κείμενα"}]


def test_duplicate_headings_get_distinct_ids() -> None:
    html = render_markdown("## Resumen\n\n## Resumen")
    assert elements(html, "h2") == [{"id": "resumen"}, {"id": "resumen_1"}]


def test_toc_tokens_are_returned_as_a_tree() -> None:
    html, toc = render_markdown_with_toc(
        "# Política migratoria\n\n## Marco legal & derechos\n\n### Artículo `12`\n\n## Fin"
    )
    assert toc == [
        {
            "id": "política-migratoria",
            "name": "Política migratoria",
            "level": 1,
            "children": [
                {
                    "id": "marco-legal-derechos",
                    "name": "Marco legal & derechos",
                    "level": 2,
                    "children": [
                        {"id": "artículo-12", "name": "Artículo 12", "level": 3, "children": []}
                    ],
                },
                {"id": "fin", "name": "Fin", "level": 2, "children": []},
            ],
        }
    ]
    assert html == render_markdown(
        "# Política migratoria\n\n## Marco legal & derechos\n\n### Artículo `12`\n\n## Fin"
    )


def test_toc_marker_renders_a_toc_block() -> None:
    html = render_markdown("[TOC]\n\n## Uno\n\n## Dos")
    assert {"class": "toc"} in elements(html, "div")
    assert {"href": "#uno"} in elements(html, "a")


@pytest.mark.parametrize(
    "source",
    [
        "[Law](https://gov.example/law)",
        "[Law](HTTP://gov.example/law)",
        "[Law](//gov.example/law)",
        "<https://gov.example/law>",
        '<a href="https://gov.example/law" rel="opener">Law</a>',
        '<a href="&#104;ttps://gov.example/law">Law</a>',
        '<a href=" HTTPS://gov.example/law">Law</a>',
        '<a href="/\\gov.example/law">Law</a>',
    ],
)
def test_external_links_get_rel(source: str) -> None:
    assert elements(render_markdown(source), "a")[0]["rel"] == "noopener noreferrer"


@pytest.mark.parametrize(
    "source",
    [
        "[Next](02-next.md)",
        "[Up](../index.html)",
        "[Root](/courses/demo)",
        "[Section](#politica)",
        "[Mail](mailto:help@gov.example)",
        "<help@gov.example>",
        '<a href="/x" rel="opener">x</a>',
    ],
)
def test_internal_links_get_no_rel(source: str) -> None:
    links = elements(render_markdown(source), "a")
    assert links
    assert "rel" not in links[0]
    assert "href" in links[0]


def test_external_image_source_is_kept() -> None:
    html = render_markdown("![Map](https://maps.example/a.png)")
    assert elements(html, "img") == [{"alt": "Map", "src": "https://maps.example/a.png"}]


@pytest.mark.parametrize("prefix", ["/courses/demo/assets", "/courses/demo/assets/"])
def test_assets_are_rewritten_with_the_prefix(prefix: str) -> None:
    html = render_markdown(
        '![Map](assets/map.png "Region")\n\n[Guide](./assets/docs/guide.pdf?v=2#p3)',
        asset_url_prefix=prefix,
    )
    assert elements(html, "img") == [
        {"alt": "Map", "src": "/courses/demo/assets/map.png", "title": "Region"}
    ]
    assert elements(html, "a") == [{"href": "/courses/demo/assets/docs/guide.pdf?v=2#p3"}]


@pytest.mark.parametrize(
    "href",
    ["other.md", "../assets/map.png", "images/assets/map.png", "assets/", "/assets/map.png"],
)
def test_other_relative_links_are_left_alone(href: str) -> None:
    html = render_markdown(f"[x]({href})", asset_url_prefix="/courses/demo/assets")
    assert elements(html, "a") == [{"href": href}]


def test_assets_are_left_alone_without_a_prefix() -> None:
    html = render_markdown("![Map](assets/map.png)")
    assert elements(html, "img") == [{"alt": "Map", "src": "assets/map.png"}]


def test_sane_lists_keep_the_start_number() -> None:
    html = render_markdown("3. three\n4. four\n\n* bullet")
    assert elements(html, "ol") == [{"start": "3"}]
    assert len(elements(html, "ul")) == 1


def test_empty_input_gives_empty_output() -> None:
    assert render_markdown("") == ""
    assert render_markdown_with_toc("") == ("", [])


def test_concurrent_calls_give_the_same_result() -> None:
    sources = [f"# Título {n}\n\nText[^a]\n\n[^a]: Note {n}." for n in range(40)]
    expected = [render_markdown(source) for source in sources]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(render_markdown, sources)) == expected


def _demo_course_html() -> list:
    """Everything an import of the demo courses renders, in import order."""
    specs, problems = check_courses(Path(__file__).resolve().parents[1] / "courses")
    assert specs
    assert not problems
    return [
        (storage.render_module(module, spec.slug), storage.quiz_json(module.quiz, spec.slug))
        for spec in specs
        for module in spec.modules
    ]


def test_reused_renderer_gives_the_demo_courses_byte_for_byte_what_fresh_ones_give(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    render_markdown("# Before[^1]\n\n[^1]: Leftover state must not reach the next fragment.")
    reused = _demo_course_html()
    again = _demo_course_html()
    monkeypatch.setattr(trainer.markdown, "_renderer", trainer.markdown._Renderer)
    fresh = _demo_course_html()
    assert reused == fresh
    assert again == fresh
