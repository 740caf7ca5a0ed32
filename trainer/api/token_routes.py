"""The "API tokens" page: coordinators create, see and revoke the tokens of the JSON API.

A new token is shown once, on the page that answers its creation (never in a redirect, a
flash message or the session), and is kept only as a hash afterwards.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.api import tokens
from trainer.api.forms import NewTokenForm
from trainer.auth.models import Role
from trainer.auth.policy import check, roles_required
from trainer.extensions import db

bp = Blueprint("api_tokens", __name__, template_folder="templates")


@bp.get("/account/api-tokens")
@roles_required(Role.COORDINATOR)
def index():
    check(tokens.can_hold_tokens(current_user))
    return _page(NewTokenForm())


@bp.post("/account/api-tokens")
@roles_required(Role.COORDINATOR)
def create():
    check(tokens.can_hold_tokens(current_user))
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _page(form), 400
    if tokens.working_count(current_user) >= tokens.MAX_TOKENS:
        form.name.errors.append(
            _("You have %(count)d working tokens: revoke one first.", count=tokens.MAX_TOKENS)
        )
        return _page(form), 400
    new = tokens.create(current_user, form.name.data)
    db.session.commit()
    return _page(NewTokenForm(formdata=None), new=new)


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@roles_required(Role.COORDINATOR)
def revoke(token_id: int):
    token = tokens.revoke(current_user, token_id)
    if token is None:
        abort(404)
    db.session.commit()
    flash(
        _("The token “%(name)s” is revoked: it no longer opens the API.", name=token.name),
        "success",
    )
    return redirect(url_for("api_tokens.index"))


def _page(form: NewTokenForm, new: tokens.NewToken | None = None) -> str:
    return render_template(
        "api/tokens.html", form=form, tokens=tokens.tokens_of(current_user), new=new
    )
