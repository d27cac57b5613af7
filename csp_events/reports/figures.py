"""The figures of one report, as plain values (pure: the services fill them from the database)."""

from dataclasses import dataclass, field

from ..events.vocabulary import EventKind, Theme
from .rules import Period, share


@dataclass
class KindFigures:
    """Events of one kind: how many in each slice (quarter), with outcomes, people reached."""

    kind: EventKind
    per_slice: list[int]
    people_per_slice: list[int]
    with_outcome: int = 0

    @property
    def events(self) -> int:
        return sum(self.per_slice)

    @property
    def people(self) -> int:
        return sum(self.people_per_slice)


@dataclass
class ThemeFigures:
    theme: Theme | None
    events: int
    people: int


@dataclass
class SiteFigures:
    """Speedwatch at one site: sessions held, vehicles checked, and how many were too fast."""

    name: str
    speed_limit: int
    sessions: int
    with_outcome: int
    checked: int
    over: int
    highest: int | None

    @property
    def share_over(self) -> float | None:
        return share(self.over, self.checked)


@dataclass
class VolunteerFigures:
    name: str
    minutes: int
    sessions: int
    no_shows: int


@dataclass
class HomeVisitFigures:
    """Home visits held, what was handed out or fitted from stock at them, and the measures
    the visit flow records (filled in by `homevisits.measures_fitted`)."""

    visits: int = 0
    items: list[tuple[str, int]] = field(default_factory=list)
    measures: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Figures:
    period: Period
    slices: list[Period]
    kinds: list[KindFigures]
    themes: list[ThemeFigures] = field(default_factory=list)
    items: list[tuple[str, int]] = field(default_factory=list)
    wards: list[tuple[str, int]] = field(default_factory=list)
    sites: list[SiteFigures] = field(default_factory=list)
    volunteers: list[VolunteerFigures] = field(default_factory=list)
    minutes_per_slice: list[int] = field(default_factory=list)
    home_visits: HomeVisitFigures = field(default_factory=HomeVisitFigures)

    def kind(self, kind: EventKind) -> KindFigures:
        return next(k for k in self.kinds if k.kind == kind)

    @property
    def events(self) -> int:
        return sum(k.events for k in self.kinds)

    @property
    def events_without_outcome(self) -> int:
        return sum(k.events - k.with_outcome for k in self.kinds)

    @property
    def people(self) -> int:
        return sum(k.people for k in self.kinds)

    @property
    def people_per_slice(self) -> list[int]:
        return [sum(k.people_per_slice[i] for k in self.kinds) for i in range(len(self.slices))]

    @property
    def events_per_slice(self) -> list[int]:
        return [sum(k.per_slice[i] for k in self.kinds) for i in range(len(self.slices))]

    @property
    def items_total(self) -> int:
        return sum(n for _, n in self.items)

    @property
    def speedwatch_sessions(self) -> int:
        return sum(s.sessions for s in self.sites)

    @property
    def vehicles_checked(self) -> int:
        return sum(s.checked for s in self.sites)

    @property
    def vehicles_over(self) -> int:
        return sum(s.over for s in self.sites)

    @property
    def minutes(self) -> int:
        return sum(v.minutes for v in self.volunteers)

    @property
    def volunteer_count(self) -> int:
        return sum(1 for v in self.volunteers if v.minutes)

    def item(self, name: str) -> int:
        return next((n for item, n in self.items if item == name), 0)
