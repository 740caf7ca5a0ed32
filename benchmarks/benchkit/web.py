"""Logged-in HTTP clients on http.client, and what the harness reads in pages: the CSRF
token, links, a form's inputs and the people list's next link."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PASSWORD = "bench-password"  # noqa: S105  (bench-seed's shared password)
DEEP_HOPS = 50  # next links followed to reach a deep page of a keyset-paginated list
BROWSER_ENCODING = "gzip, br"


class PageError(RuntimeError):
    """An answer the harness did not expect (status, missing form or link)."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes  # as sent: compressed if the server compressed it
    header_bytes: int
    milliseconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> Response:
    """One request on its own connection (gunicorn's sync workers close each one), timed
    from connecting to the last byte."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        payload = answer.read()
        pairs = answer.getheaders()
    finally:
        connection.close()
    elapsed = (time.perf_counter() - started) * 1000
    header_bytes = len(f"HTTP/1.1 {answer.status} {answer.reason}\r\n") + sum(
        len(f"{name}: {value}\r\n") for name, value in pairs
    )
    found: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        found[key] = f"{found[key]}\n{value}" if key in found else value
    return Response(answer.status, found, payload, header_bytes + 2, elapsed)


@dataclass
class Browser:
    """A client with its cookies, as one person's browser."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    email: str = ""

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        found = {"Cookie": self.cookie_header} if self.cookies else {}
        return found | (extra or {})

    def _keep(self, response: Response) -> Response:
        for line in response.headers.get("set-cookie", "").split("\n"):
            pair = line.split(";", 1)[0]
            name, equals, value = pair.partition("=")
            if equals:
                if value and "max-age=0" not in line.lower():
                    self.cookies[name.strip()] = value.strip()
                else:
                    self.cookies.pop(name.strip(), None)
        return response

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self._keep(request(self.port, "GET", path, self.headers(headers)))

    def post(self, path: str, fields: list[tuple[str, str]] | dict[str, str]) -> Response:
        body = urlencode(fields).encode()
        headers = self.headers({"Content-Type": "application/x-www-form-urlencoded"})
        return self._keep(request(self.port, "POST", path, headers, body))

    def page(self, path: str) -> str:
        """A page that must answer 200, as text (the harness asks for it uncompressed)."""
        response = self.get(path)
        if response.status != 200:
            raise PageError(f"GET {path} as {self.email or 'anyone'}: {response.status}")
        return response.text


def log_in(port: int, email: str) -> Browser:
    browser = Browser(port, email=email)
    token = csrf_token(browser.page("/login"))
    answer = browser.post("/login", {"email": email, "password": PASSWORD, "csrf_token": token})
    if answer.status != 302:
        raise PageError(f"logging in {email}: {answer.status}")
    return browser


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if found is None:
        raise PageError("no CSRF token in the page")
    return found[1]


def hrefs(html: str, pattern: str) -> list[str]:
    """The links whose address matches ``pattern``, unescaped, in page order, once each."""
    found = [unescape(h) for h in re.findall(r'href="([^"]+)"', html) if re.search(pattern, h)]
    return list(dict.fromkeys(found))


def next_link(html: str) -> str | None:
    for tag in re.findall(r"<a\b[^>]*>", html):
        if re.search(r'\brel="[^"]*\bnext\b', tag):
            href = re.search(r'href="([^"]+)"', tag)
            if href:
                return unescape(href[1])
    return None


def deep_page(fetch, first: str) -> tuple[str, str]:
    """A deep page of a paginated list, reached as a person would, and how: by the last
    page number when the next link numbers pages (offset pagination, whose last page costs
    most), else by following next links (keyset pagination) up to DEEP_HOPS times.
    ``fetch(path)`` returns the page's HTML."""
    html = fetch(first)
    following = next_link(html)
    if following is None:
        return first, "the list has one page"
    query = dict(parse_qsl(urlsplit(following).query))
    if query.get("page", "").isdigit():
        total = re.search(r"\bof ([\d,]+)</span>", html)
        if total is not None:
            last = int(total[1].replace(",", ""))
            return _with(following, page=str(last)), f"page {last} of {last} (offset)"
    hops, current = 0, first
    while following is not None and hops < DEEP_HOPS:
        current, hops = following, hops + 1
        following = next_link(fetch(current))
    return current, f"{hops} next links from the first page"


def _with(path: str, **values: str) -> str:
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query)) | values
    return urlunsplit(parts._replace(query=urlencode(query)))


class _Inputs(HTMLParser):
    """The answers a quiz form can take: the first choice of each radio or checkbox group,
    and a short text for each text or number field."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name, kind = found.get("name"), (found.get("type") or "text").lower()
        if tag not in {"input", "textarea"} or not name or name == "csrf_token":
            return
        if kind in {"radio", "checkbox"}:
            self.fields.setdefault(name, found.get("value") or "on")
        elif kind == "hidden":
            self.fields[name] = found.get("value") or ""
        elif kind in {"text", "number"} or tag == "textarea":
            self.fields.setdefault(name, "3")


def form_answers(html: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(html)
    return parser.fields
