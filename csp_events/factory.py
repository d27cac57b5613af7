"""The app factory: configuration, extensions, blueprints, web layer and commands."""

from pathlib import Path

from flask import Flask

from .config import build_config, cache_prefix

REPO_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_app(overrides: dict | None = None) -> Flask:
    instance_path = Path((overrides or {}).get("INSTANCE_PATH", REPO_ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "static"),
    )
    app.config.update(build_config(instance_path))
    app.config.update(overrides or {})
    if "CACHE_KEY_PREFIX" not in (overrides or {}):
        app.config["CACHE_KEY_PREFIX"] = cache_prefix(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["CACHE_TYPE"] == "FileSystemCache" and "CACHE_DIR" not in (overrides or {}):
        # The file cache has no key prefix: a folder of its own per database instead.
        folder = app.config["CACHE_KEY_PREFIX"].strip(":").replace(":", "-")
        app.config["CACHE_DIR"] = str(instance_path / "cache" / folder)
    warn_of_missing_address(app)
    register_extensions(app)
    register_reactions()
    register_page_parts()
    register_blueprints(app)
    register_web_layer(app)
    register_commands(app)
    return app


def warn_of_missing_address(app: Flask) -> None:
    """In production every emailed link and every calendar UID comes from PUBLIC_BASE_URL:
    unset, they would all say 127.0.0.1."""
    import os

    if os.environ.get("CSP_ENV") == "production" and not os.environ.get("PUBLIC_BASE_URL"):
        app.logger.warning(
            "PUBLIC_BASE_URL is not set: emailed links and calendar UIDs would use %s. "
            "Set it to the site's address (and CALENDAR_UID_DOMAIN to keep existing UIDs).",
            app.config["PUBLIC_BASE_URL"],
        )


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table known to the metadata)
    from .auth.services import load_user
    from .changes import services as _changes  # noqa: F401  (the change log's listeners)
    from .database import configure_database
    from .extensions import cache, csrf, db, limiter, login_manager, mail, migrate
    from .reading_pages import register_reading_pages
    from .visits.keyring import register_keyring

    db.init_app(app)
    cache.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    configure_database(app)
    register_reading_pages(app)
    register_keyring(app)


def register_reactions() -> None:
    """Each area subscribes to the changes it reacts to (see changes/bus.py). The order is
    the order they run in: refusals first, then rosters, the speed gun, and notices last."""
    from .engagement import reactions as engagement
    from .equipment import speedwatch
    from .notices import reactions as notices
    from .referrals import reactions as referrals
    from .signups import reactions as signups

    for area in (engagement, referrals, signups, speedwatch, notices):
        area.subscribe_to_changes()
    from .auth.messages import AccountDeactivated
    from .changes.bus import subscribe

    subscribe(AccountDeactivated, _stop_the_feeds_of)


def register_page_parts() -> None:
    """The areas built on events add their parts to its pages (see page_parts.py), in the
    order the page shows them."""
    from .availability import views as availability
    from .cover import views as cover
    from .engagement import views as engagement
    from .equipment import views as equipment
    from .page_parts import Page, add_part
    from .signups import views as signups

    add_part(Page.CALENDAR, signups.calendar_part)
    for part in (
        signups.event_page_part,
        equipment.event_page_part,
        _home_visit_part,
        cover.event_page_part,
        engagement.event_page_part,
    ):
        add_part(Page.EVENT, part)
    add_part(Page.MY_SESSIONS, engagement.my_sessions_part)
    add_part(Page.PERSON, availability.person_page_part)


def _home_visit_part(event, viewer, now, manage) -> dict:
    """What the event page shows of a home visit: the pair, the referral's area and what the
    viewer may do (referrals/visit_panel.py)."""
    from .events.vocabulary import EventKind
    from .referrals.visit_panel import visit_panel

    return {
        "visit": visit_panel(event, viewer, now) if event.kind == EventKind.HOME_VISIT else None
    }


def _stop_the_feeds_of(message) -> None:
    """A deactivated account's feed addresses stop working. (feeds/ is being reorganised on a
    parallel branch; this handler can move into a feeds/reactions.py after it lands.)"""
    from .feeds.services import revoke_all_feeds

    revoke_all_feeds(message.user)


def register_blueprints(app: Flask) -> None:
    from .routing import DatabaseId

    app.url_map.converters["int"] = DatabaseId  # before any route is added
    from .auth.views import bp as auth_bp
    from .availability.views import bp as availability_bp
    from .cover.views import bp as cover_bp
    from .dashboard.views import bp as dashboard_bp
    from .engagement.views import bp as engagement_bp
    from .equipment.views import bp as equipment_bp
    from .events.views import bp as events_bp
    from .feeds.views import bp as feeds_bp
    from .imports.views import bp as imports_bp
    from .messaging.views import bp as messaging_bp
    from .ops.health import bp as ops_bp
    from .ops.outbox import bp as mail_bp
    from .people.views import bp as people_bp
    from .places.views import bp as places_bp
    from .referrals.views import bp as referrals_bp
    from .reminders.views import bp as reminders_bp
    from .reports.views import bp as reports_bp
    from .rotas.views import bp as rotas_bp
    from .series.views import bp as series_bp
    from .signups.views import bp as signups_bp
    from .stock.views import bp as stock_bp
    from .visits.views import bp as visits_bp
    from .whatson.api import bp as api_bp
    from .whatson.views import bp as whatson_bp

    for blueprint in (
        auth_bp,
        dashboard_bp,
        events_bp,
        series_bp,
        people_bp,
        places_bp,
        signups_bp,
        cover_bp,
        equipment_bp,
        feeds_bp,
        referrals_bp,
        visits_bp,
        engagement_bp,
        stock_bp,
        reports_bp,
        rotas_bp,
        imports_bp,
        mail_bp,
        messaging_bp,
        reminders_bp,
        availability_bp,
        ops_bp,
        whatson_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)


def register_web_layer(app: Flask) -> None:
    from .access import register_access_control
    from .compression import register_compression
    from .errorpages import register_error_pages
    from .feeds import answer_memo as feed_answers
    from .feeds.links import subscribe_links
    from .headers import register_security_headers
    from .ops import serving
    from .ops.log_redaction import install_log_redaction
    from .templating import configure_templates
    from .whatson import page_memo as page_answers

    configure_templates(app)
    register_compression(app)
    app.jinja_env.globals["subscribe_links"] = subscribe_links
    install_log_redaction()
    register_access_control(app)
    register_error_pages(app)
    register_security_headers(app)
    register_request_user(app)
    feed_answers.install(app)  # innermost: the request log and ProxyFix see replays too
    page_answers.install(app)
    serving.install(app)


def register_request_user(app: Flask) -> None:
    from flask import g, request
    from sqlalchemy import inspect

    @app.after_request
    def note_user_for_the_log(response):
        user = g.get("_login_user")
        if user is not None and user.is_authenticated:
            # From the identity map: after a view's commit, `user.id` would read the row again.
            identity = inspect(user).identity
            request.environ["csp_events.user_id"] = identity[0] if identity else None
        return response


def register_commands(app: Flask) -> None:
    from .cli import register_cli

    register_cli(app)
