"""Calendar feeds (public, personal, equipment), one event as .ics, and the subscribe page."""

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, public, signed_in
from ..auth.roles import Role
from ..equipment.models import EquipmentItem
from ..events.kinds import EventKind
from ..events.services import get_event
from ..extensions import db
from ..routing import enum_args, id_arg
from ..timezones import utcnow
from . import content, services
from .ical import CalendarInfo, build_calendar
from .models import FeedScope

bp = Blueprint("feeds", __name__)


def _host() -> str:
    return request.host.split(":")[0] or "csp-events"


def _event_url(event) -> str:
    return url_for("events.event_detail", event_id=event.id, _external=True)


def _kinds() -> list[EventKind]:
    return enum_args("kind", EventKind)


def serve(key: str, version: tuple[str, datetime | None], build, *, private: bool, name: str):
    """200 with the feed, or 304 with no body when the client already has this version."""
    digest, last_modified = version
    response = Response(status=200, mimetype="text/calendar")
    response.set_etag(digest)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age=900"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    unchanged = request.if_none_match.contains(digest) or (
        not request.if_none_match
        and request.if_modified_since is not None
        and last_modified is not None
        and last_modified.replace(microsecond=0) <= request.if_modified_since
    )
    if unchanged:
        response.status_code = 304
        return response
    response.set_data(services.feed_cache.get_or_build(f"{key}|{digest}", build))
    response.content_type = "text/calendar; charset=utf-8"
    return response


def _info(title: str, description: str) -> CalendarInfo:
    return CalendarInfo(f"{current_app.config['PARTNERSHIP_NAME']}: {title}", description)


@bp.get("/feeds/public.ics")
@public
def public_feed():
    kinds, venue_id, now = _kinds(), id_arg("venue"), utcnow()
    host = _host()
    label = ", ".join(k.label for k in kinds) or "all public events"

    def build() -> bytes:
        items = content.public_feed(kinds, venue_id, now, host, _event_url)
        return build_calendar(_info(label, "Community safety events open to the public."), items)

    key = f"public|{host}|{sorted(kinds)}|{venue_id}"
    return serve(
        key,
        services.version_memo.get(key, lambda: services.public_version(kinds, venue_id, now)),
        build,
        private=False,
        name="public",
    )


def _token_or_404(raw: str, scope: FeedScope):
    address = request.remote_addr or "unknown"
    if services.too_many_bad_tokens(address):
        abort(429)
    token = services.find_token(raw, scope)
    if token is None:
        services.record_bad_token(address)
        abort(404)
    return token


@bp.get("/feeds/u/<token>.ics")
@public
def personal_feed(token: str):
    feed_token = _token_or_404(token, FeedScope.PERSONAL)
    user, now, host = feed_token.user, utcnow(), _host()

    def build() -> bytes:
        items = content.personal_feed(user, feed_token.include_everything, now, host, _event_url)
        return build_calendar(
            _info(f"{user.name}'s sessions", "Your sessions and bookings."), items
        )

    key = f"personal|{host}|{feed_token.id}"
    return serve(
        key,
        services.version_memo.get(key, lambda: services.personal_version(feed_token, now)),
        build,
        private=True,
        name="my-sessions",
    )


@bp.get("/feeds/equipment/<int:item_id>.ics")
@public
def equipment_feed(item_id: int):
    feed_token = _token_or_404(request.args.get("token", ""), FeedScope.EQUIPMENT)
    if feed_token.item_id != item_id:
        abort(404)
    item, now, host = db.get_or_404(EquipmentItem, item_id), utcnow(), _host()

    def build() -> bytes:
        return build_calendar(
            _info(f"{item.name} bookings", f"Bookings of {item.name}."),
            content.equipment_feed(item, now, host),
        )

    key = f"equipment|{host}|{feed_token.id}"
    return serve(
        key,
        services.version_memo.get(key, lambda: services.equipment_version(feed_token, now)),
        build,
        private=True,
        name="equipment",
    )


@bp.get("/events/<int:event_id>.ics")
@signed_in
def event_ics(event_id: int):
    event = get_event(event_id) or abort(404)
    item = content.event_item(event, _host(), _event_url, utcnow())
    body = build_calendar(_info(item.summary, "One event"), [item])
    response = Response(body, mimetype="text/calendar")
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event.id}.ics"'
    return response


@bp.get("/feeds")
@signed_in
def subscribe():
    response = Response(
        render_template(
            "feeds/subscribe.html",
            public_feeds=public_feed_links(),
            personal=services.live_token(current_user, FeedScope.PERSONAL),
            item_tokens=services.live_item_tokens()
            if current_user.role == Role.COORDINATOR
            else {},
            items=db.session.execute(db.select(EquipmentItem).order_by(EquipmentItem.name))
            .scalars()
            .all()
            if current_user.role == Role.COORDINATOR
            else [],
        )
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def public_feed_links() -> list[tuple[str, str]]:
    links = [("All public events", url_for("feeds.public_feed", _external=True))]
    for kind in (EventKind.SURGERY, EventKind.SPEEDWATCH, EventKind.ROADSHOW, EventKind.POP_UP):
        links.append(
            (kind.plural_label, url_for("feeds.public_feed", kind=kind.value, _external=True))
        )
    return links


@bp.post("/feeds/personal")
@signed_in
def reset_personal():
    everything = current_user.role == Role.COORDINATOR and request.form.get("everything") == "yes"
    raw = services.issue_token(current_user, FeedScope.PERSONAL, include_everything=everything)
    url = url_for("feeds.personal_feed", token=raw, _external=True)
    return _show_new_address("Your personal calendar address", url, "My sessions")


@bp.post("/feeds/equipment/<int:item_id>")
@coordinator_only
def reset_equipment(item_id: int):
    item = db.get_or_404(EquipmentItem, item_id)
    raw = services.issue_token(current_user, FeedScope.EQUIPMENT, item=item)
    url = url_for("feeds.equipment_feed", item_id=item.id, token=raw, _external=True)
    return _show_new_address(f"Calendar address for {item.name}", url, f"{item.name} bookings")


def _show_new_address(title: str, url: str, feed_name: str):
    response = Response(
        render_template("feeds/new_address.html", title=title, url=url, feed_name=feed_name)
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/feeds/personal/new")
@signed_in
def confirm_new_personal():
    """Are you sure? A new address stops the old one working in every calendar that uses it."""
    everything = current_user.role == Role.COORDINATOR and request.args.get("everything") == "yes"
    return render_template(
        "confirm.html",
        heading="Create a new calendar address?",
        paragraphs=[
            (
                "Your current address stops working at once. Any calendar app subscribed to it "
                "stops updating and you will need to add the new address to it."
            ),
        ],
        action=url_for("feeds.reset_personal"),
        hidden={"everything": "yes"} if everything else {},
        button="Yes, create a new address",
        back=url_for("feeds.subscribe") + "#personal-heading",
    )


@bp.get("/feeds/equipment/<int:item_id>/new")
@coordinator_only
def confirm_new_equipment(item_id: int):
    item = db.get_or_404(EquipmentItem, item_id)
    return render_template(
        "confirm.html",
        caption=item.name,
        heading=f"Create a new calendar address for {item.name}?",
        paragraphs=[
            (
                "Its current address stops working at once. Whoever subscribed to it will need "
                "the new address."
            ),
        ],
        action=url_for("feeds.reset_equipment", item_id=item.id),
        button="Yes, create a new address",
        back=url_for("feeds.subscribe") + "#equipment-heading",
    )
