"""Home page (a participant's dashboard), language picker and health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from trainer import dbtypes
from trainer.cohorts.queries import upcoming_sessions
from trainer.extensions import db
from trainer.learning.policy import is_participant
from trainer.learning.progress import dashboard
from trainer.main.forms import LanguageForm
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
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
