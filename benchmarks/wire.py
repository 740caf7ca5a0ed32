"""Bytes on the wire of the largest lesson page, as sent with and without compression.

    from benchmarks.wire import lesson_wire_bytes
    lesson_wire_bytes(app.test_client())            # a logged-in Flask test client
    lesson_wire_bytes("http://127.0.0.1:8000", cookie="session=...")   # a running server

The client (or the cookie) must belong to a participant enrolled in COURSE. The course page
is read for its module links, each module page is fetched once uncompressed, and the largest
one is fetched again asking for gzip, br and zstd in turn. The figures are
body bytes as sent (Content-Length), without headers. Imports nothing from trainer, so the
bench harness can call it on any server.
"""

from __future__ import annotations

import gzip
import http.client
import re
import urllib.parse

COURSE = "/courses/migracion-politicas-desarrollo"
_MODULE_LINK = re.compile(r'href="(' + re.escape(COURSE) + r'/modules/[\w-]+)"')


def _fetcher(client_or_url, cookie: str | None):
    """fetch(path, accept_encoding) -> (status, headers as a dict, body bytes as sent)."""
    if isinstance(client_or_url, str):
        parts = urllib.parse.urlsplit(client_or_url)

        def fetch(path: str, encoding: str) -> tuple[int, dict, bytes]:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            headers = {"Accept-Encoding": encoding}
            if cookie:
                headers["Cookie"] = cookie
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                # http.client never decodes a body: these are the bytes as sent.
                return response.status, dict(response.getheaders()), response.read()
            finally:
                connection.close()

        return fetch

    def fetch(path: str, encoding: str) -> tuple[int, dict, bytes]:
        response = client_or_url.get(path, headers={"Accept-Encoding": encoding})
        return response.status_code, dict(response.headers), response.get_data()

    return fetch


def _decoded(headers: dict, body: bytes) -> bytes:
    encoding = {k.lower(): v for k, v in headers.items()}.get("content-encoding", "identity")
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "zstd":
        from backports import zstd

        return zstd.decompress(body)
    return body


def lesson_wire_bytes(client_or_url, cookie: str | None = None) -> dict:
    """{"path", "identity", "gzip", "br", "zstd"}: the largest lesson page's body bytes as
    sent uncompressed and in each encoding (None where the server does not offer it).
    Raises RuntimeError when a compressed body does not decode to the uncompressed page."""
    fetch = _fetcher(client_or_url, cookie)
    status, _headers, course_page = fetch(COURSE, "identity")
    if status != 200:
        raise RuntimeError(f"GET {COURSE}: {status}")
    sizes = {}
    for path in dict.fromkeys(_MODULE_LINK.findall(course_page.decode())):
        status, _headers, body = fetch(path, "identity")
        if status == 200:
            sizes[path] = (len(body), body)
    if not sizes:
        raise RuntimeError(f"{COURSE} links to no module page")
    path = max(sizes, key=lambda p: sizes[p][0])
    identity, plain = sizes[path]
    found = {"path": path, "identity": identity, "gzip": None, "br": None, "zstd": None}
    for encoding in ("gzip", "br", "zstd"):
        status, headers, body = fetch(path, encoding)
        sent = {k.lower(): v for k, v in headers.items()}.get("content-encoding")
        if status != 200 or sent != encoding:
            continue
        # The page carries a fresh CSRF token each time: compare it without them.
        if _without_tokens(_decoded(headers, body)) != _without_tokens(plain):
            raise RuntimeError(f"{path}: the {encoding} body is not the page")
        found[encoding] = len(body)
    return found


def _without_tokens(page: bytes) -> bytes:
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", page)
