"""Home page (a participant's dashboard), language picker and health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from trainer import dbtypes
from trainer.cohorts.queries import upcoming_sessions
from trainer.extensions import db
from trainer.learning.policy import is_participant
from trainer.learning.progress import dashboard
from trainer.main.forms import LanguageForm
from trainer.ops import health
from trainer.urls import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if not is_participant(current_user):
        return render_template("main/index.html", entries=None, next_session=None)
    coming = upcoming_sessions(current_user, now=dbtypes.utcnow(), limit=1, cancelled=False)
    return render_template(
        "main/index.html",
        entries=dashboard(current_user),
        next_session=coming[0] if coming else None,
    )


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            current_user.language = form.language.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("main.index"))


@bp.get("/healthz")
def healthz():
    """One round trip to the database, for load balancers; with ?full=1, for monitoring,
    also the task queue and the outbox (503 naming what failed)."""
    try:
        db.session.execute(text("SELECT 1"))
        if request.args.get("full") != "1":
            return jsonify(status="ok", database="ok")
        outbox = health.outbox_state(dbtypes.utcnow())
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    task_queue = health.queue_state(current_app)
    failing = [] if task_queue["status"] == "ok" else ["queue"]
    return jsonify(
        status="unavailable" if failing else "ok",
        failing=failing,
        database="ok",
        queue=task_queue,
        outbox=outbox,
    ), 503 if failing else 200
