"""SQL statements per page, counted in-process: the app on the seeded database behind
Flask's test client, an SQLAlchemy ``before_cursor_execute`` listener counting what each
request sends (savepoints and rollbacks aside, as the test suite's ``count_queries``).

Each page is asked for once to warm up (a first view writes progress, caches fill), then
once counted. Run as ``python -m benchkit.queries`` with a JSON plan on stdin; prints
{figure: count or null} as JSON. A process of its own per database, so nothing one
database put in a cache serves the other.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    request = json.load(sys.stdin)
    os.environ["DATABASE_URL"] = request["url"]
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from benchkit.web import PASSWORD, csrf_token, deep_page, form_answers
    from trainer import create_app
    from trainer.extensions import db

    app = create_app(
        "production",
        SECRET_KEY=secrets.token_hex(32),
        PUBLIC_BASE_URL="http://localhost",
        PREFERRED_URL_SCHEME="http",
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_SECURE=False,
        CERTIFICATE_LOOKUP_LIMIT="1000000 per minute",
        TASK_QUEUE="memory",
    )
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    clients = {}

    def client_of(email: str | None):
        if email not in clients:
            client = app.test_client()
            if email is not None:
                token = csrf_token(client.get("/login").get_data(as_text=True))
                client.post(
                    "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
                )
            clients[email] = client
        return clients[email]

    counts: dict[str, int | None] = {}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    for name, (email, path) in request["pages"].items():
        client = client_of(email)
        if name == "users_deep":  # found as the server run found it, by reading pages
            path, _how = deep_page(lambda p, c=client: c.get(p).get_data(as_text=True), path)
        client.get(path)
        statements.clear()
        status = client.get(path).status_code
        counts[name] = len(statements) if status == 200 else None
    quiz = request.get("quiz")
    if quiz:
        client = client_of(quiz["email"])
        counts["quiz_submission"] = None
        for counted in (False, True):  # the first attempt warms up, the second is counted
            token = csrf_token(client.get(quiz["module_path"]).get_data(as_text=True))
            started = client.post(quiz["start_path"], data={"csrf_token": token})
            attempt = started.headers.get("Location", "")
            answers = form_answers(client.get(attempt).get_data(as_text=True))
            statements.clear()
            sent = client.post(attempt, data=answers)
            if counted and sent.status_code == 302:
                counts["quiz_submission"] = len(statements)
    json.dump(counts, sys.stdout)


if __name__ == "__main__":
    main()
