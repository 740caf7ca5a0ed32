"""Log in and out, manage one's own password, and see and end one's log-ins."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from trainer.auth import logins, services
from trainer.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    SetPasswordForm,
)
from trainer.extensions import db
from trainer.mail import mail_configured
from trainer.urls import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""), email=request.args.get("email", ""))
    error = None
    if form.validate_on_submit():
        result = services.authenticate(
            form.email.data, form.password.data, request.remote_addr, can_reset=mail_configured()
        )
        if result.user is not None:
            logins.start(result.user, request.user_agent.string, remember=form.remember.data)
        db.session.commit()
        if result.user is not None:
            login_user(result.user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("main.index"))
        error = result.error
    status = 200 if error is None else 401
    return render_template(
        "auth/login.html", form=form, error=error, can_reset=mail_configured()
    ), status


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        return _log_out()
    return redirect(url_for("auth.login"))


def _log_out():
    """End this device's log-in, so no copy of its cookies opens a page again."""
    if current_user.is_authenticated:
        logins.end(current_user.get_id())
        db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            # Every log-in ended, this one too: a new one here means only *other* devices are
            # logged out, and a copy of this device's old cookies opens nothing.
            user = current_user._get_current_object()
            remember = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
            logins.start(user, request.user_agent.string, remember=remember)
            db.session.commit()
            login_user(user, remember=remember)
            flash(
                _("Your password has been changed. Other sessions have been logged out."), "success"
            )
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    if services.find_password_token(token) is None:
        return render_template("auth/link_expired.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.use_password_token(token, form.password.data)
        except services.AccountError as error:
            form.password.errors.append(str(error))
        else:
            # Every log-in of the person ended; whoever was logged in on this browser too.
            logins.end(current_user.get_id() if current_user.is_authenticated else None)
            db.session.commit()
            logout_user()
            flash(_("Your password is set. You can now log in."), "success")
            return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/set_password.html", form=form)


@bp.get("/account/sessions")
@login_required
def sessions():
    current = g.get("login_session")
    return render_template(
        "auth/sessions.html",
        logins=logins.of(current_user),
        current_login_id=current.id if current is not None else None,
    )


@bp.post("/account/sessions/<int:login_id>/end")
@login_required
def end_session(login_id: int):
    current = g.get("login_session")
    if current is not None and current.id == login_id:
        return _log_out()
    if not logins.end_one(current_user, login_id):
        abort(404)
    db.session.commit()
    flash(_("That device has been logged out."), "success")
    return redirect(url_for("auth.sessions"))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    logins.end_all(current_user, keep=g.get("login_session"))
    db.session.commit()
    flash(_("Every other device has been logged out."), "success")
    return redirect(url_for("auth.sessions"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    if not mail_configured():
        abort(404)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # The mail is queued after the commit and sent by a worker.
        services.request_password_reset(form.email.data, request.remote_addr)
        db.session.commit()
        # Same answer whether or not the address is known.
        flash(
            _("If that address belongs to an account, a link to set a new password is on its way."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)
