"""Calendar feeds (public, personal, equipment), one event as .ics, and the subscribe page."""

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user

from ..access import coordinator_only, public, signed_in
from ..auth.roles import Role
from ..events.forms import kinds_asked_for
from ..events.services import get_event
from ..events.vocabulary import EventKind, Theme
from ..mail.links import calendar_uid_domain, configured_event_urls
from ..places.wards import WARDS
from ..routing import id_arg
from . import after_answer, answer_memo, feed_items, responses, services
from .feed_content import FeedContent
from .ical import CalendarInfo
from .models import FeedScope

bp = Blueprint("feeds", __name__)
bp.teardown_request(after_answer.run_unsent)


def feed_answer(feed: services.Feed, *, private: bool, name: str):
    """200 with the feed (gzipped when the client accepts it), or 304 with no body when the
    client already has this version in either encoding. Only a new version is built. The
    answer may be given again from memory while its version is current (answer_memo.py)."""
    entry = services.current_stamp(feed)
    gzipped = responses.wants_gzip(request)
    request.environ[answer_memo.REPLAYABLE] = entry
    if responses.is_current(request, entry.stamp):
        return responses.feed_response(
            entry.stamp, None, gzipped=gzipped, private=private, name=name
        )
    built = services.feed_body(feed, entry.key)
    body = built.gzipped if gzipped else built.body
    return responses.feed_response(built.stamp, body, gzipped=gzipped, private=private, name=name)


def _info(title: str, description: str) -> CalendarInfo:
    return CalendarInfo(f"{current_app.config['PARTNERSHIP_NAME']}: {title}", description)


def _themes() -> list[Theme]:
    return [Theme(t) for t in request.args.getlist("theme") if t in Theme._value2member_map_]


def _ward() -> str:
    ward = request.args.get("ward", "")
    return ward if ward in WARDS else ""


@bp.get("/feeds/public.ics")
@public
def public_feed():
    return feed_answer(public_feed_asked_for(), private=False, name="public")


def public_feed_asked_for() -> services.Feed:
    """The public feed with the filters in this request's query string (none: every event)."""
    with services.reads_noted() as reads:
        kinds, venue_id, domain = kinds_asked_for(), id_arg("venue"), calendar_uid_domain()
        themes, ward = _themes(), _ward()
    label = ", ".join([k.label for k in kinds] + [t.label for t in themes] + [ward] * bool(ward))
    return services.Feed(
        f"public|{domain}|{sorted(kinds)}|{venue_id}|{sorted(themes)}|{ward}",
        "public",
        lambda now: feed_items.public_feed(
            kinds, venue_id, now, domain, configured_event_urls(), themes=themes, ward=ward
        ),
        _info(label or "all public events", "Community safety events open to the public."),
        reads.result(),
    )


def _token_or_404(raw: str, scope: FeedScope):
    try:
        token = services.token_for_request(raw, scope, request.remote_addr or "unknown")
    except services.TooManyBadTokens:
        abort(429)
    return token or abort(404)


@bp.get("/feeds/u/<token>.ics")
@public
def personal_feed(token: str):
    with services.reads_noted() as reads:
        feed_token = _token_or_404(token, FeedScope.PERSONAL)
    user, everything, domain = feed_token.user, feed_token.include_everything, calendar_uid_domain()
    feed = services.Feed(
        f"personal|{domain}|{feed_token.id}",
        services.personal_audience(user, everything),
        lambda now: FeedContent.of(
            feed_items.personal_feed(user, everything, now, domain, configured_event_urls())
        ),
        _info(f"{user.name}'s sessions", "Your sessions and bookings."),
        reads.result(),
    )
    return feed_answer(feed, private=True, name="my-sessions")


@bp.get("/feeds/equipment/<int:item_id>.ics")
@public
def equipment_feed(item_id: int):
    with services.reads_noted() as reads:
        feed_token = _token_or_404(request.args.get("token", ""), FeedScope.EQUIPMENT)
        if feed_token.item_id != item_id:
            abort(404)
        item, domain = services.equipment_item(item_id) or abort(404), calendar_uid_domain()
    feed = services.Feed(
        f"equipment|{domain}|{feed_token.id}",
        f"item-{item.id}",
        lambda now: FeedContent.of(feed_items.equipment_feed(item, now, domain)),
        _info(f"{item.name} bookings", f"Bookings of {item.name}."),
        reads.result(),
    )
    return feed_answer(feed, private=True, name="equipment")


@bp.get("/events/<int:event_id>.ics")
@signed_in
def event_ics(event_id: int):
    event = get_event(event_id) or abort(404)
    body = services.event_file(event, current_user)
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
            items=services.equipment_items() if current_user.role == Role.COORDINATOR else [],
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
    item = services.equipment_item(item_id) or abort(404)
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
    item = services.equipment_item(item_id) or abort(404)
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
