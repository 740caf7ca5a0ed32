"""Responses travel compressed when the browser accepts it: pages, stylesheets, JSON; files
and downloads go as they are, small answers too, and COMPRESS_RESPONSES=0 turns it off."""

from __future__ import annotations

import gzip

import brotli
import pytest
from backports import zstd
from flask import Response, jsonify

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}
BROWSER = "gzip, deflate, br, zstd"
FILLER = "Módulo de aprendizaje sobre migración y desarrollo. " * 40  # about 2 KB


def _routes(app):
    """Large enough answers of each kind a view sends, on an extra application."""

    def page():
        return f"<!doctype html><title>t</title><p>{FILLER}</p>"

    def download(mimetype: str):
        return lambda: Response(FILLER.encode() * 2, mimetype=mimetype)

    def streamed():
        return Response((FILLER for _ in range(3)), mimetype="text/html")

    app.add_url_rule("/t/page", "t_page", page)
    app.add_url_rule("/t/json", "t_json", lambda: jsonify(items=[FILLER]))
    for name, mimetype in {
        "pdf": "application/pdf",
        "zip": "application/zip",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv",
    }.items():
        app.add_url_rule(f"/t/{name}", f"t_{name}", download(mimetype))
    app.add_url_rule("/t/streamed", "t_streamed", streamed)
    return app


@pytest.fixture
def extra(make_app, db):
    return _routes(make_app()).test_client()


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_a_page_and_json_travel_in_the_encoding_asked_for(extra, encoding):
    for path in ("/t/page", "/t/json"):
        plain = extra.get(path)
        response = extra.get(path, headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.data)
        assert len(response.data) < len(plain.data) / 3
        assert DECODE[encoding](response.data) == plain.data


def test_the_browsers_preferences_are_followed(extra):
    assert "Content-Encoding" not in extra.get("/t/page").headers
    quality = {"Accept-Encoding": "gzip;q=1.0, br;q=0.5"}
    assert extra.get("/t/page", headers=quality).headers["Content-Encoding"] == "gzip"
    refused = {"Accept-Encoding": "gzip;q=0, identity"}
    assert "Content-Encoding" not in extra.get("/t/page", headers=refused).headers
    # Of equal choices, zstd first: the cheapest to make.
    chosen = extra.get("/t/page", headers={"Accept-Encoding": BROWSER})
    assert chosen.headers["Content-Encoding"] == "zstd"


@pytest.mark.parametrize("name", ["pdf", "zip", "xlsx", "csv", "streamed"])
def test_downloads_go_as_they_are(extra, name):
    plain = extra.get(f"/t/{name}")
    response = extra.get(f"/t/{name}", headers={"Accept-Encoding": BROWSER})
    assert "Content-Encoding" not in response.headers
    assert response.data == plain.data


def test_small_answers_are_not_compressed(client):
    response = client.get("/healthz", headers={"Accept-Encoding": BROWSER})
    assert response.status_code == 200
    assert len(response.data) < 500
    assert "Content-Encoding" not in response.headers


def test_security_headers_stay_on_compressed_pages(client):
    response = client.get("/login", headers={"Accept-Encoding": BROWSER})
    assert response.headers["Content-Encoding"] == "zstd"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The form's CSRF token travels in the compressed page.
    assert b'name="csrf_token"' in zstd.decompress(response.data)


def test_the_stylesheet_is_compressed_and_revalidates(client):
    plain = client.get("/static/css/trainer.css")
    response = client.get("/static/css/trainer.css", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == plain.get_data()
    etag = response.headers["ETag"]
    assert etag.endswith(':br"')  # not the uncompressed file's ETag
    again = client.get(
        "/static/css/trainer.css", headers={"Accept-Encoding": "br", "If-None-Match": etag}
    )
    assert again.status_code == 304
    plain.close()
    response.close()
    again.close()


def test_off_when_a_proxy_compresses(make_app, db):
    client = _routes(make_app(COMPRESS_REGISTER=False)).test_client()
    response = client.get("/t/page", headers={"Accept-Encoding": BROWSER})
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" not in response.headers.get("Vary", "")
