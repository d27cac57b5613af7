"""Feed use cases: the current stamp and body of a feed (built from fragments only when its
version is new), one event as a .ics file, and what the subscribe page lists."""

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.exc import SQLAlchemyError

from ..auth.models import User
from ..changes.reads import TablesRead, recording_reads
from ..changes.scopes import overlaps
from ..changes.services import current_version, remembered_version, tables_changed_since
from ..database import read_every_commit_so_far
from ..equipment.models import EquipmentItem
from ..events.vocabulary import EventKind
from ..extensions import db
from ..mail.links import (
    calendar_uid_domain,
    configured_event_address,
    configured_event_url,
)
from ..timezones import utcnow
from . import assembly, caching, row_reuse, series_reuse
from .after_answer import after_answer
from .build_records import record_build, rehearse_record
from .caching import Basis, BuildState, BuiltFeed, FeedStamp
from .carrying import carried_forward, changes_since
from .feed_content import FeedContent
from .feed_items import own_view, single_event_item
from .ical import CalendarInfo, FeedEvent, build_calendar
from .models import FeedScope
from .revisions import forget_kept, load_revisions, revise_all, stamp_items
from .tokens import (
    BAD_TOKEN_LIMIT,
    TooManyBadTokens,
    issue_token,
    live_item_tokens,
    live_token,
    revoke_all_feeds,
    token_for_request,
)

# The token use cases are this area's too; callers outside feeds/ import them from here.
__all__ = [
    "BAD_TOKEN_LIMIT",
    "Feed",
    "TooManyBadTokens",
    "build_feed",
    "current_stamp",
    "event_file",
    "feed_body",
    "issue_token",
    "live_item_tokens",
    "live_token",
    "public_event_file",
    "revoke_all_feeds",
    "still_right",
    "token_for_request",
]

feed_cache = caching.FeedStore()


@contextmanager
def collection_paused():
    """A build makes tens of thousands of short-lived objects (rows, items, fragments) and no
    cycles to speak of: left on, the cycle collector ran full passes over the whole app
    during it, ~40% of a 10,000-event build. Anything left over is collected afterwards."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# Under gunicorn's 30 s timeout: a worker that waits this long for another's build and then
# builds itself still has the fragments the other saved.
BUILD_WAIT_SECONDS = 15
BUILD_CLAIM_SECONDS = 60
# Waiting for another worker's build: the first look after 5 ms, each later one after twice
# as long, up to every 200 ms.
FIRST_LOOK_SECONDS = 0.005
LAST_LOOK_SECONDS = 0.2


@dataclass(frozen=True)
class Feed:
    """One feed as asked for: `key` names it (its filters or its token), `audience` is whose
    revisions it shows, `items` reads what it carries at a moment, `found_by` the tables read
    to tell which feed was asked for (a secret address, its holder), None when not known."""

    key: str
    audience: str
    items: Callable[[datetime], FeedContent]
    info: CalendarInfo
    found_by: frozenset[str] | None = None

    def cache_id(self) -> str:
        # Where event links point is part of a feed's identity: a new PUBLIC_BASE_URL
        # changes every DESCRIPTION.
        return caching.feed_id(self.key, self.audience, self.info, configured_event_address(1))


def feed_version() -> str:
    """Moves with every committed change to anything shown (see changes/), and carries this
    database's epoch, so a database emptied and filled again never repeats one."""
    return current_version()


@contextmanager
def reads_noted() -> Iterator[TablesRead]:
    """The tables read inside the block (for Feed.found_by)."""
    with recording_reads(db.session) as reads:
        yield reads


@dataclass(frozen=True)
class FeedEntry:
    """A feed's current version as one request saw it: the key its body is kept under, its
    stamp, what the key was made of (the change log's version and the day), and every table
    the answer depends on (None: not known)."""

    key: str
    stamp: FeedStamp
    version: str
    day: date
    depends_on: frozenset[str] | None = None


def current_stamp(feed: Feed) -> FeedEntry:
    """The feed's ETag and Last-Modified now, and the key its body is kept under. Costs a
    version read and a cache look-up, whatever the feed's size. A new version costs one more
    query when nothing the feed's last build read has changed since (a sign-up does not touch
    the public feed); only then is it built (and once a day, as the window moves)."""
    now, version = utcnow(), feed_version()
    cache_id = feed.cache_id()
    key = caching.entry_key(cache_id, now.date(), version)
    stamp = feed_cache.stamp(key) or carried_forward(feed_cache, cache_id, key, version, now.date())
    if stamp is None:
        stamp = _build_and_keep(feed, key, now).stamp
    built_from = feed_cache.tables_read(cache_id, now.date(), stamp)
    depends_on = None if built_from is None or feed.found_by is None else built_from | feed.found_by
    return FeedEntry(key, stamp, version, now.date(), depends_on)


def still_right(
    entry: FeedEntry, reading: Callable[[], AbstractContextManager] = nullcontext
) -> FeedEntry | None:
    """`entry` as of the current version, if an answer made from it may be given again: it is
    still its day, and the current version is one this process can vouch for without reading
    it (changes.services.memo: at most its TTL old, forgotten at once by a commit here) and
    either is the entry's own or came only from commits that changed no table the answer
    depends on (a sign-up by somebody else leaves a personal feed's 304 as it was). Else None.
    Costs no query, or one per process for each pair of versions (carrying.changes_since),
    made inside `reading()` (outside a request: the database's context for it)."""
    now = remembered_version()
    if now is None or utcnow().date() != entry.day:
        return None
    if now == entry.version:
        return entry
    if entry.depends_on is None:
        return None
    try:
        with reading():
            changed = changes_since.tables(entry.version, now)
    except SQLAlchemyError:  # the app itself will say what is wrong with the database
        return None
    if changed is None or overlaps(changed, entry.depends_on):
        return None
    feed, _day, _version = entry.key.split(":", 2)
    return replace(entry, key=caching.entry_key(feed, entry.day, now), version=now)


def feed_body(feed: Feed, key: str) -> BuiltFeed:
    """The bodies kept under `key` (plain and gzipped); built again if they have gone."""
    return feed_cache.built(key) or _build_and_keep(feed, key, utcnow())


def _build_and_keep(feed: Feed, key: str, now: datetime) -> BuiltFeed:
    """Build this version once, whichever worker is asked first: the others wait for it (a
    cold 10,000-event feed built by five workers at once took each of them five times as long
    and past gunicorn's timeout), and build it themselves, from the fragments saved so far,
    only if it does not come in time. The bodies, and what the next build starts from, are
    shared once the answer has gone (kept in this process at once): no calendar waits on
    the shared cache's writes."""
    if not feed_cache.claim(key, BUILD_CLAIM_SECONDS):
        waited = _wait_for(key)
        if waited is not None:
            return waited
    cache_id = feed.cache_id()

    def save(fragments) -> None:
        feed_cache.keep_fragments(cache_id, fragments)

    try:
        built, state, tables = _build(feed, now, feed_cache.build_state(cache_id), save)
    except BaseException:
        feed_cache.release(key)
        raise
    # The version was read before the build read anything: what it shows is at least that
    # new, so a change after it is found by the next carrying.carried_forward.
    day, version = caching.key_parts(key)
    state = replace(state, version=version)
    feed_cache.remember_state(cache_id, state)
    basis = Basis(version, tables, built.stamp)
    feed_cache.remember_basis(cache_id, day, basis)

    def share() -> None:
        """Bodies, basis and build state for the other workers; until then they wait on the
        claim, so none builds the same version again."""
        try:
            feed_cache.share(key, built)
            feed_cache.keep_basis(cache_id, day, basis)
            feed_cache.share_state(cache_id, state)
        finally:
            feed_cache.release(key)

    after_answer(share)
    return feed_cache.keep_here(key, built)


def rehearse_rebuild(feed: Feed) -> bool:
    """Build the feed again from its kept fragments, as the first change after a worker starts
    would, keeping any new fragments but no body: that first rebuild in a worker forked from
    gunicorn's master cost ~35 ms more CPU than later ones (the pages it touches are copied
    from the master's on first write), on a user's time. What a build records (revisions,
    Last-Modified, the row memo) it records as any build would. False, having built nothing,
    when no fragments are kept: built from none, it would be a cold build (seconds at 10,000
    events) in every worker."""
    cache_id = feed.cache_id()
    known = feed_cache.build_state(cache_id)
    if not known.fragments:
        return False
    # One row and one series made again, as after a change: their queries are compiled here
    # (a worker's first compile of each took milliseconds on that first change).
    memo = dict(known.memo)
    memo.pop(next(iter(memo), ""), None)
    series_reuse.forget_one()
    _built, state, _tables = _build(feed, utcnow(), BuildState(known.fragments, memo, known.builds))
    feed_cache.remember_state(cache_id, state)
    if state.fragments.keys() - known.fragments.keys():
        # Its row memo now names them: shared, later builds use them.
        feed_cache.share_state(cache_id, state)
    # And what that change's rebuild runs besides: the check whether the feed's last body can
    # be carried to the new version, and the writes of a build that found something new.
    tables_changed_since(feed_version())
    rehearse_record(feed.audience, load_revisions(feed.audience), feed.key)
    return True


def _wait_for(key: str) -> BuiltFeed | None:
    """The body another worker is building, looked for soon and then less often (a feed after
    one change is built in tens of milliseconds; a cold 10,000-event one takes seconds), by
    its small stamp first so a large body is fetched once."""
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    pause = FIRST_LOOK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, LAST_LOOK_SECONDS)
        if feed_cache.stamp(key) is not None:
            built = feed_cache.built(key)
            if built is not None:
                return built
    return None


def _build(
    feed: Feed, now: datetime, known: BuildState, save_progress=None
) -> tuple[BuiltFeed, BuildState, frozenset[str] | None]:
    """The feed built now, what the next build starts from, and the tables this one read."""
    for _attempt in range(3):
        # The body must be at least as new as its version, as carrying.carried_forward
        # assumes: the reading transaction ends (SQLite's snapshot may predate a version
        # another thread read), and what the request loaded before the version was read (a
        # feed's owner, an item; never deleted, only made inactive) is read again.
        read_every_commit_so_far()
        with collection_paused(), recording_reads(db.session) as reads:
            content = feed.items(now)
            stored = load_revisions(feed.audience)
            # A feed of few items (a person's own) has no rows to remember.
            memo = known.memo if content.marks else {}
            rows = row_reuse.split(feed.audience, content, memo, stored, known.fragments)
            revised, changed = revise_all(rows.fresh, stored, now)
            assembled = assembly.assemble(
                feed.audience, revised, feed.info, known.fragments, save_progress, rows.kept
            )
            memo = row_reuse.remember(feed.audience, rows, revised) if content.marks else {}
        newest = assembly.newest_change(revised, now, rows.kept)
        # New revisions and the body's change time, in one write (the only one a build makes).
        changed_at = record_build(
            feed.audience, changed, stored, feed.key, assembled.etag, newest, now
        )
        if changed_at is not None:
            stamp = FeedStamp(assembled.etag, changed_at)
            state = BuildState(assembled.fragments, memo, known.builds)
            return BuiltFeed(assembled.body, assembled.gzipped, stamp), state, reads.result()
        # Another process wrote some of these revisions first: built again on what it wrote.
        forget_kept(feed.audience)
    raise RuntimeError("feed revisions kept changing under us")  # pragma: no cover


def build_feed(
    feed_key: str, audience: str, items: list[FeedEvent], info: CalendarInfo
) -> BuiltFeed:
    """The feed of these items built now, from no fragments (nothing is kept)."""
    feed = Feed(feed_key, audience, lambda _now: FeedContent.of(items), info)
    return _build(feed, utcnow(), BuildState({}, {}, 0))[0]


def equipment_item(item_id: int) -> EquipmentItem | None:
    return db.session.get(EquipmentItem, item_id)


def equipment_items() -> list[EquipmentItem]:
    return list(db.session.execute(db.select(EquipmentItem).order_by(EquipmentItem.name)).scalars())


def personal_audience(person: User, include_everything: bool) -> str:
    return f"user-{person.id}{'-all' if include_everything else ''}"


def event_file(event, person: User) -> bytes:
    """One event as a .ics file for this person, exactly as the feed they would have it from
    shows it (same UID, status, SEQUENCE): their own feed when it carries the event (their
    place on it, withdrawn or waiting), else the public feed (a series session with the
    series' UID and RECURRENCE-ID). A private event in neither keeps its own stamps."""
    return events_file([event], person)


def events_file(events: list, person: User) -> bytes:
    """Several events (sessions of a series changed at once) as one .ics file for this
    person, each as event_file gives it."""
    now, domain = utcnow(), calendar_uid_domain()
    token = live_token(person, FeedScope.PERSONAL)
    everything = bool(token and token.include_everything)
    items, audiences = [], []
    for event in events:
        item = own_view(person, everything, event, domain, configured_event_url, now)
        audience = personal_audience(person, everything) if item is not None else None
        if item is None:
            item = single_event_item(event, domain, configured_event_url, now)
            if event.is_public and event.kind != EventKind.HOME_VISIT:
                audience = "public"
        items.append(item)
        audiences.append(audience)
    # Stamped per audience, in one short transaction each rather than one per event.
    for audience in {a for a in audiences if a is not None}:
        places = [n for n, a in enumerate(audiences) if a == audience]
        stamped = stamp_items(audience, [items[n] for n in places], now)
        for n, item in zip(places, stamped, strict=True):
            items[n] = item
    what = "One event" if len(items) == 1 else f"{len(items)} events"
    return build_calendar(CalendarInfo(items[0].summary, what), items)


def public_event_file(event) -> bytes:
    """One public event as a .ics file, exactly as the public feed carries it (same UID and
    SEQUENCE), so adding it and subscribing to the feed never show it twice."""
    now = utcnow()
    item = single_event_item(event, calendar_uid_domain(), configured_event_url, now)
    (stamped,) = stamp_items("public", [item], now)
    return build_calendar(CalendarInfo(item.summary, "One event"), [stamped])
