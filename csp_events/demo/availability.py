"""Demo absences: one volunteer away for a fortnight soon, another who never does Sundays."""

from datetime import date, timedelta

from ..auth.models import User
from ..availability.models import Absence
from ..availability.vocabulary import AbsenceKind, Weekday
from ..extensions import db


def load_absences(today: date, volunteers: list[User]) -> None:
    fortnight_from = today + timedelta(days=21)
    db.session.add_all(
        [
            Absence(
                user_id=volunteers[1].id,
                kind=AbsenceKind.DATES,
                first_day=fortnight_from,
                last_day=fortnight_from + timedelta(days=13),
                note="On holiday in Cornwall",
            ),
            Absence(
                user_id=volunteers[2].id,
                kind=AbsenceKind.WEEKDAY,
                weekday=Weekday.SUNDAY,
                note="Church",
            ),
        ]
    )
    db.session.commit()
