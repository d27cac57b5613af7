"""Sign in, sign out, accept an invitation, change password."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from ..access import public, signed_in
from ..errors import DomainError
from ..extensions import limiter
from ..formfields import show_error
from ..mail.delivery import after_response, send_quietly
from ..mail.links import external_url
from . import emails, services
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, SetPasswordForm
from .rules import is_safe_next

bp = Blueprint("auth", __name__)

SIGN_IN_FAILED = "Enter a correct email address and password."
SIGN_IN_PAUSED = (
    "Too many attempts to sign in. Wait 15 minutes and try again, or ask the coordinator "
    "to reset your password."
)


def home_for(_user) -> str:
    return url_for("dashboard.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        try:
            user = services.sign_in(form.email.data or "", form.password.data or "", address)
        except services.SignInPaused:
            show_error(form.email, SIGN_IN_PAUSED)
            return render_template("auth/login.html", form=form), 429
        except services.SignInFailed:
            show_error(form.email, SIGN_IN_FAILED)
        else:
            session.clear()
            login_user(user, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else home_for(user))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@signed_in
def logout():
    services.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def accept_invite(token: str):
    return _choose_password(
        services.find_valid_invite(token),
        lambda password: services.accept_invite(token, password),
        "auth/invite_invalid.html",
        "auth/accept_invite.html",
        "Your password is set and you are signed in.",
    )


def _choose_password(link, set_password, invalid_page: str, page: str, done: str):
    """An invitation or a reset link: choose a password, then be signed in afresh."""
    if link is None:
        return render_template(invalid_page), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = set_password(form.password.data)
        except DomainError as error:
            show_error(form.password, error.message)
        else:
            session.clear()
            login_user(user)
            flash(done, "success")
            return redirect(home_for(user))
    return render_template(page, form=form, person=link.user)


@bp.get("/account")
@signed_in
def account():
    """Where "Account" leads: the password, the emails the person gets, and (for a
    volunteer) the dates they are away, each one tap away."""
    return render_template("auth/account.html")


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(
                user, form.current_password.data or "", form.password.data or ""
            )
        except DomainError as error:
            getattr(form, error.field or "password").errors.append(error.message)
        else:
            login_user(user)  # the old cookie no longer works; give this browser a new one
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect(home_for(user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    """The same answer whether or not the address has an account; the mail goes after it."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        minutes = current_app.config["PASSWORD_RESET_VALID_MINUTES"]
        address = form.email.data or ""

        def issue_and_send() -> None:
            # After the response: whether an account exists changes nothing anyone can time.
            found = services.request_password_reset(address, minutes)
            if found is not None:
                person, token = found
                send_quietly(emails.password_reset(person, reset_url(token), minutes))

        after_response(issue_and_send)
        return render_template("auth/reset_sent.html", email=address.strip())
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    return _choose_password(
        services.find_valid_reset(token),
        lambda password: services.reset_password(token, password),
        "auth/reset_invalid.html",
        "auth/reset_password.html",
        "Your new password is saved and you are signed in.",
    )


def reset_url(token: str) -> str:
    return external_url("auth.reset_password", token=token)


def invite_url(token: str) -> str:
    return external_url("auth.accept_invite", token=token)


def invite_valid_days() -> int:
    return current_app.config["INVITE_VALID_DAYS"]
