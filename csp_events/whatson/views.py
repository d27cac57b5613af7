"""Public "What's on" pages, an event's page and .ics, the embeddable listing and its snippet."""

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from ..access import coordinator_only, public
from ..headers import embeddable
from ..mail.links import configured_event_url
from ..routing import LARGEST_ID
from ..timezones import utcnow
from . import page_memo, pages
from .listing import lenient_filter

bp = Blueprint("whatson", __name__)

PER_PAGE = 20


def _filters():
    return lenient_filter(request.args.getlist, request.args.get, LARGEST_ID)


def feed_event_url(event) -> str:
    # The public feed's own link for each event: the .ics must match it byte for byte.
    return configured_event_url(event)


@bp.get("/whats-on")
@public
def listing():
    page = max(1, min(request.args.get("page", 1, type=int), 1000))
    view = pages.listing_view(_filters(), utcnow(), page, PER_PAGE)
    return render_template("whatson/listing.html", view=view)


@bp.get("/whats-on/<int:event_id>")
@public
def event_page(event_id: int):
    view = pages.event_view(event_id, utcnow(), current_app.config["PARTNERSHIP_NAME"])
    if view is None:
        abort(404)
    page_memo.may_replay(view.version, view.event.ends_at)
    return render_template("whatson/event.html", view=view)


@bp.get("/whats-on/<int:event_id>.ics")
@public
def event_ics(event_id: int):
    found = pages.calendar_file(event_id, utcnow(), feed_event_url) or abort(404)
    response = Response(found, mimetype="text/calendar")
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event_id}.ics"'
    return response


@bp.get("/embed")
@public
@embeddable
def embed():
    view = pages.embed_view(_filters(), utcnow(), request.args)
    response = Response(render_template("whatson/embed.html", view=view))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/embed/snippet")
@coordinator_only
def snippet():
    filters = _filters()
    embed_url = url_for("whatson.embed", _external=True, **pages.embed_args(filters, request.args))
    view = pages.snippet_view(filters, utcnow(), embed_url, request.args)
    return render_template("whatson/snippet.html", view=view)
