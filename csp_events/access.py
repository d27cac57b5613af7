"""Deny by default: every view declares who may reach it, or nobody can."""

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, request
from flask_login import current_user

from .auth.roles import Role
from .extensions import login_manager

PUBLIC = "public"
SIGNED_IN = "signed_in"


# Each mark is an attribute of the view function itself (Flask keeps that function, so the
# mark travels with it), set through vars(): mypy lets no function have attributes.


def public(view: Callable) -> Callable:
    vars(view)["access"] = PUBLIC
    return view


def signed_in(view: Callable) -> Callable:
    vars(view)["access"] = SIGNED_IN
    return view


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        vars(wrapper)["access"] = frozenset(allowed)
        return wrapper

    return decorate


coordinator_only = roles(Role.COORDINATOR)


def absent_to_others(view: Callable) -> Callable:
    """Those the view is not for are told it is not found, as for the record itself: a 403
    would tell them that a resident's referral with this number exists."""
    vars(view)["refused_with"] = 404
    return view


def register_access_control(app: Flask) -> None:
    @app.before_request
    def enforce_declared_access():
        if request.endpoint is None or request.endpoint == "static":
            return None
        view = app.view_functions.get(request.endpoint)
        access = getattr(view, "access", None)
        if access is None:
            abort(404)  # a view that forgot to declare its access is reachable by no one
        if access == PUBLIC:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if access != SIGNED_IN and current_user.role not in access:
            abort(getattr(view, "refused_with", 403))
        return None
