"""Keeping the lists of venues and Speedwatch sites."""

from sqlalchemy.exc import IntegrityError

from ..errors import DomainError
from ..extensions import db
from .models import SpeedwatchSite, Venue


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
