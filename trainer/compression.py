"""Compressed responses when gunicorn serves directly (Flask-Compress, set up in config.py).

Flask-Compress compresses what a view returns whole. Responses sent in chunks are left as
they are (COMPRESS_STREAMS off): compressing them as the chunks go would never close the file
behind them. Stylesheets and scripts are sent in chunks from their file too, so they are read
into memory first, and compressed like pages: they are a few kilobytes each.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from trainer.extensions import compress


def init_compression(app: Flask) -> None:
    compress.init_app(app)
    if app.config["COMPRESS_REGISTER"]:
        # Registered after Flask-Compress's hook, so it runs before it.
        app.after_request(_read_static_text)


def _read_static_text(response: Response) -> Response:
    if (
        request.endpoint == "static"
        and response.status_code == 200
        and response.is_streamed
        and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]
    ):
        response.direct_passthrough = False
        response.make_sequence()  # closes the file when the response is closed
    return response
