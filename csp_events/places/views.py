"""Venues and Speedwatch sites pages."""

from flask import Blueprint, flash, redirect, render_template, url_for

from ..access import coordinator_only
from ..errors import DomainError
from ..formfields import show_error
from . import services
from .forms import SiteForm, VenueForm

bp = Blueprint("places", __name__)

VENUE_FIELDS = (
    "name",
    "kind",
    "address",
    "postcode",
    "ward",
    "notes",
    "accessibility",
    "latitude",
    "longitude",
)
SITE_FIELDS = (
    "road",
    "location",
    "speed_limit",
    "approval_status",
    "approval_expires_on",
    "risk_notes",
    "latitude",
    "longitude",
)


@bp.get("/venues")
@coordinator_only
def list_venues():
    return render_template("places/venues.html", venues=services.all_venues())


@bp.route("/venues/new", methods=["GET", "POST"], defaults={"venue_id": None})
@bp.route("/venues/<int:venue_id>", methods=["GET", "POST"])
@coordinator_only
def edit_venue(venue_id: int | None):
    venue = services.venue_or_new(venue_id)
    form = VenueForm(obj=venue if venue_id else None)
    if form.validate_on_submit():
        try:
            services.save_venue(venue, {f: getattr(form, f).data for f in VENUE_FIELDS})
        except DomainError as error:
            # A refusal without a field (a reaction to the change) shows by the name.
            show_error(getattr(form, error.field or "name"), error.message)
        else:
            flash(f"Saved {venue.name}.", "success")
            return redirect(url_for("places.list_venues"))
    return render_template("places/venue_form.html", form=form, venue=venue)


@bp.get("/sites")
@coordinator_only
def list_sites():
    return render_template("places/sites.html", sites=services.all_sites())


@bp.route("/sites/new", methods=["GET", "POST"], defaults={"site_id": None})
@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@coordinator_only
def edit_site(site_id: int | None):
    site = services.site_or_new(site_id)
    form = SiteForm(obj=site if site_id else None)
    if form.validate_on_submit():
        services.save_site(site, {f: getattr(form, f).data for f in SITE_FIELDS})
        flash(f"Saved {site.name}.", "success")
        return redirect(url_for("places.list_sites"))
    return render_template("places/site_form.html", form=form, site=site)
