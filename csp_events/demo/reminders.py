"""Demo data that makes reminders visible at once: a session tomorrow with free places, and a
camera a volunteer should have brought back yesterday."""

from datetime import date, time, timedelta

from ..auth.models import User
from ..equipment.models import EquipmentCheckout, EquipmentItem
from ..equipment.vocabulary import Condition
from ..events.models import Event
from ..events.vocabulary import EventKind, EventStatus, Theme
from ..extensions import db
from ..places.models import Venue
from ..timezones import local_to_utc, utcnow


def load_reminder_examples(today: date, volunteers: list[User]) -> None:
    centre = db.session.execute(db.select(Venue).filter_by(name="Brentwood Centre")).scalar_one()
    tomorrow = today + timedelta(days=1)
    starts = local_to_utc(tomorrow, time(18, 30))
    db.session.add(
        Event(
            title="Bike marking evening – Brentwood Centre",
            kind=EventKind.POP_UP,
            theme=Theme.CYCLE_THEFT,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            venue=centre,
            min_volunteers=2,
            max_volunteers=4,
            status=EventStatus.PLANNED,
            is_public=True,
            notes="Essex Police bring the marking kit; volunteers register bikes and give advice.",
        )
    )
    camera = db.session.execute(
        db.select(EquipmentItem).filter_by(name="Body-worn camera 2")
    ).scalar_one()
    # Entered directly: the check-out service rightly refuses a return time in the past.
    db.session.add(
        EquipmentCheckout(
            item_id=camera.id,
            collected_by_id=volunteers[1].id,
            collected_at=utcnow() - timedelta(days=4),
            due_back_at=utcnow() - timedelta(days=1),
            condition_out=Condition.GOOD,
            notes="For the Shenfield station patrol.",
        )
    )
    db.session.commit()
