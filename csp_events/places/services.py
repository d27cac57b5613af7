"""Keeping the lists of venues and Speedwatch sites."""

from datetime import date

from sqlalchemy.exc import IntegrityError

from ..errors import DomainError
from ..extensions import db
from .models import SpeedwatchSite, Venue
from .rules import APPROVAL_WARNING, approval_ending_soon


def all_venues() -> list[Venue]:
    return list(db.session.execute(db.select(Venue).order_by(Venue.name)).scalars())


def all_sites() -> list[SpeedwatchSite]:
    return list(
        db.session.execute(db.select(SpeedwatchSite).order_by(SpeedwatchSite.road)).scalars()
    )


def save_venue(venue: Venue, fields: dict) -> Venue:
    """Venue names are unique so people can tell them apart in lists."""
    for name, value in fields.items():
        setattr(venue, name, value)
    db.session.add(venue)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError("There is already a venue with this name.", field="name") from None
    return venue


def save_site(site: SpeedwatchSite, fields: dict) -> SpeedwatchSite:
    for name, value in fields.items():
        setattr(site, name, value)
    db.session.add(site)
    db.session.commit()
    return site


def approvals_ending(today: date) -> list[SpeedwatchSite]:
    """Approved sites whose police approval ends within 30 days, soonest first."""
    rows = db.session.execute(
        db.select(SpeedwatchSite)
        .where(SpeedwatchSite.approval_expires_on <= today + APPROVAL_WARNING)
        .order_by(SpeedwatchSite.approval_expires_on, SpeedwatchSite.road)
    ).scalars()
    return [
        s for s in rows if approval_ending_soon(s.approval_status, s.approval_expires_on, today)
    ]


def venue_choices() -> list:
    """Every venue's id and name (rows), by name: the calendar's filter."""
    return list(db.session.execute(db.select(Venue.id, Venue.name).order_by(Venue.name)).all())


def venue_or_new(venue_id: int | None) -> Venue:
    """The venue to edit (404 if there is none by that id), or a new one."""
    return db.get_or_404(Venue, venue_id) if venue_id else Venue()


def site_or_new(site_id: int | None) -> SpeedwatchSite:
    """The site to edit (404 if there is none by that id), or a new one."""
    return db.get_or_404(SpeedwatchSite, site_id) if site_id else SpeedwatchSite()
