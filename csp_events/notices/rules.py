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
        case NoticeKind.PARTNER_UNNAMED:
            return Wording(
                f"No longer named as attending: {what}",
                [
                    f"The coordinator has taken you off {facts.summary} on {facts.when}: you are"
                    " no longer named as attending it.",
                    "It has gone from your calendar feed. If you added it to your calendar "
                    "yourself, you can delete it.",
                ],
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


@dataclass(frozen=True)
class SessionChange:
    """One of several sessions changed together (a whole series), as the person may see it."""

    span: str
    was_span: str = ""
    place: str = ""
    was_place: str = ""


# The change to several sessions at once that one email tells of, by kind of notice.
_GROUP_SUBJECTS = {
    NoticeKind.SESSION_MOVED: "Changed",
    NoticeKind.SESSION_CANCELLED: "Cancelled",
    NoticeKind.SESSION_REINSTATED: "Back on",
}
_GROUP_OPENINGS = {
    NoticeKind.SESSION_MOVED: "The details of these {n} sessions you are part of have changed:",
    NoticeKind.SESSION_CANCELLED: "These {n} sessions you are part of have been cancelled. "
    "Please do not go:",
    NoticeKind.SESSION_REINSTATED: "These {n} sessions you are part of are going ahead after all:",
}


def groups(kind: NoticeKind) -> bool:
    """Whether one email tells of this kind for every session of a series changed at once."""
    return kind in _GROUP_SUBJECTS


def group_wording(kind: NoticeKind, summary: str, sessions: list[SessionChange]) -> Wording:
    """One email for a change to several sessions of a series (a series moved, cancelled or
    back on): each session on a line of its own, with what it was if that changed."""
    subject = f"{_GROUP_SUBJECTS[kind]}: {summary}, {len(sessions)} sessions"
    lines = [_GROUP_OPENINGS[kind].format(n=len(sessions))]
    for session in sessions:
        line = f"- {session.span}"
        if session.was_span and session.was_span != session.span:
            line += f" (it was {session.was_span})"
        if session.was_place:
            line += f", now at {session.place} (it was at {session.was_place})"
        lines.append(line)
    return Wording(subject, lines)


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
