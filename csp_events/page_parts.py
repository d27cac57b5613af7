"""Parts of a page added by the areas built on the page's own area, so it imports none of them.

The event page shows the roster, the speed gun, the home visit, cover and the outcome; a
volunteer's sessions page shows the outcomes still to record. Each of those areas adds its
part at start-up (factory.register_page_parts), as they subscribe to changes (changes/bus.py).
A part takes the page's facts as keywords and returns the template values it provides.
"""

from collections import defaultdict
from collections.abc import Callable
from enum import StrEnum

Part = Callable[..., dict[str, object]]


class Page(StrEnum):
    EVENT = "event"  # events.event_detail: facts event, viewer, now, manage
    CALENDAR = "calendar"  # events.calendar: facts events
    MY_SESSIONS = "my_sessions"  # signups.my_sessions: facts viewer, now
    PERSON = "person"  # people.person_detail: facts person, today


_parts: dict[Page, list[Part]] = defaultdict(list)


def add_part(page: Page, part: Part) -> None:
    if part not in _parts[page]:
        _parts[page].append(part)


def parts_of(page: Page, **facts: object) -> dict[str, object]:
    """Every part's values for one page, in the order the parts were added."""
    values: dict[str, object] = {}
    for part in _parts[page]:
        values.update(part(**facts))
    return values
