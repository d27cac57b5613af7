"""What each notice says, from plain values: no Flask, no database."""

from dataclasses import dataclass

from .enums import NoticeKind


@dataclass(frozen=True)
class NoticeFacts:
    """The event as the person may see it (a home visit is only "Home visit – CM15")."""

    summary: str
    when: str
    place: str
    was_when: str = ""
    # Start to end ("Thu 24 Dec 2026, 10:00 to 12:00"): a change of the end time alone shows.
    span: str = ""
    was_span: str = ""
    was_place: str = ""
    reason: str = ""
    waiting: bool = False


@dataclass(frozen=True)
class Wording:
    subject: str
    lines: list[str]


def wording(kind: NoticeKind, facts: NoticeFacts) -> Wording:
    """The subject and the paragraphs of the email for this kind of notice."""
    what = f"{facts.summary}, {facts.when}"
    match kind:
        case NoticeKind.SESSION_CANCELLED:
            return Wording(
                f"Cancelled: {what}",
                [f"{facts.summary} on {facts.when} has been cancelled. Please do not go."],
            )
        case NoticeKind.SESSION_MOVED:
            return Wording(f"Changed: {what}", _what_changed(facts))
        case NoticeKind.SESSION_REINSTATED:
            return Wording(
                f"Back on: {what}",
                [f"{facts.summary} on {facts.when} is going ahead after all."],
            )
        case NoticeKind.PLACE_PROMOTED:
            return Wording(
                f"You have a place: {what}",
                [
                    (
                        "Good news: a place has come up and you have moved up from the waiting "
                        "list. You are now signed up."
                    ),
                    (
                        "If you can no longer come, withdraw on the session page so the next "
                        "person can have the place."
                    ),
                ],
            )
        case NoticeKind.REMOVED:
            return Wording(f"Taken off: {what}", _why_removed(facts))
        case NoticeKind.ADDED if facts.waiting:
            return Wording(
                f"On the waiting list: {what}",
                [
                    (
                        f"The coordinator has put you on the waiting list for {facts.summary} on "
                        f"{facts.when}. It is full for now: you will hear at once if a place "
                        "comes up."
                    ),
                ],
            )
        case NoticeKind.ADDED:
            return Wording(
                f"You are on: {what}",
                [
                    f"The coordinator has signed you up for {facts.summary} on {facts.when}.",
                    "If you cannot come, withdraw on the session page or tell the coordinator.",
                ],
            )
        case NoticeKind.PARTNER_NAMED:
            return Wording(
                f"You are named as attending: {what}",
                ["You are named as attending this event. It is now in your calendar feed."],
            )
        case NoticeKind.COVER_REQUEST:
            return Wording(
                f"Can you cover? {what}",
                [
                    "A session is short of volunteers and you are free and trained for it.",
                    (
                        "If you can do it, open the link below and press “I can do it”. The first "
                        "person to answer gets the place."
                    ),
                ],
            )
    raise ValueError(kind)  # pragma: no cover


def _what_changed(facts: NoticeFacts) -> list[str]:
    """A moved session names only what moved: the time, the place, or both."""
    lines = ["The details of a session you are part of have changed."]
    if facts.was_span and facts.was_span != facts.span:
        lines.append(f"It was: {facts.was_span}. It is now: {facts.span}.")
    elif facts.was_when and facts.was_when != facts.when:  # queued before ends were kept
        lines.append(f"It was: {facts.was_when}. It is now: {facts.when}.")
    if facts.was_place and facts.was_place != facts.place:
        lines.append(f"It was at: {facts.was_place}. It is now at: {facts.place}.")
    return lines


def _why_removed(facts: NoticeFacts) -> list[str]:
    """Someone taken off a session hears the coordinator's reason when one was given."""
    lines = [f"The coordinator has taken you off {facts.summary} on {facts.when}."]
    if facts.reason:
        lines.append(f"The reason given: {facts.reason}")
    return lines
