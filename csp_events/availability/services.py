"""Recording when volunteers are away, and finding who is away for a session."""

from collections import defaultdict
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, and_, bindparam, or_

from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from .models import Absence
from .rules import Away, absence_problems, is_away, session_days
from .vocabulary import AbsenceKind


class AbsenceProblems(DomainError):
    """The absence cannot be recorded as given; `problems` maps form fields to messages."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def away_of(absence: Absence) -> Away:
    return Away(absence.kind, absence.first_day, absence.last_day, absence.weekday)


def absences_of(person: User, today: date) -> list[Absence]:
    """The person's weekdays off and the absences not yet over, soonest first."""
    rows = db.session.execute(
        db.select(Absence)
        .where(
            Absence.user_id == person.id,
            or_(Absence.kind == AbsenceKind.WEEKDAY, Absence.last_day >= today),
        )
        .order_by(Absence.kind.desc(), Absence.weekday, Absence.first_day, Absence.id)
    ).scalars()
    return list(rows)


def record_absence(
    person: User,
    *,
    kind: AbsenceKind,
    first_day: date | None,
    last_day: date | None,
    weekday: int | None,
    note: str,
    today: date,
) -> Absence:
    """A volunteer says when they are away: a date range from today on, or a weekday."""
    problems = absence_problems(kind, first_day, last_day, today)
    if kind == AbsenceKind.WEEKDAY and weekday not in range(7):
        problems["weekday"] = "Choose the day of the week"
    if problems:
        raise AbsenceProblems(problems)
    dates = kind == AbsenceKind.DATES
    absence = Absence(
        user_id=person.id,
        kind=kind,
        first_day=first_day if dates else None,
        last_day=last_day if dates else None,
        weekday=None if dates else weekday,
        note=note.strip(),
    )
    db.session.add(absence)
    db.session.commit()
    return absence


def delete_absence(person: User, absence_id: int) -> None:
    """Only the volunteer who recorded an absence removes it."""
    absence = db.session.get(Absence, absence_id)
    if absence is None or absence.user_id != person.id:
        raise DomainError("That absence is not on your list.")
    db.session.delete(absence)
    db.session.commit()


# Built once (on first use, when every model is mapped) with bound parameters: every event
# page asks.
@cache
def _absences_touching() -> Select:
    return db.select(Absence).where(
        Absence.user_id.in_(bindparam("people", expanding=True)),
        or_(
            Absence.kind == AbsenceKind.WEEKDAY,
            and_(Absence.first_day <= bindparam("last"), Absence.last_day >= bindparam("first")),
        ),
    )


def people_away(user_ids, starts_at: datetime, ends_at: datetime) -> set[int]:
    """Which of these people said they are away for a session at these times (one query)."""
    ids = set(user_ids)
    if not ids:
        return set()
    days = session_days(starts_at, ends_at)
    rows = db.session.execute(
        _absences_touching(), {"people": sorted(ids), "first": days[0], "last": days[-1]}
    ).scalars()
    by_person: dict[int, list[Away]] = defaultdict(list)
    for absence in rows:
        by_person[absence.user_id].append(away_of(absence))
    return {uid for uid, aways in by_person.items() if is_away(aways, starts_at, ends_at)}


def is_person_away(person: User, starts_at: datetime, ends_at: datetime) -> bool:
    return person.id in people_away([person.id], starts_at, ends_at)
