"""A worker builds a feed again from its own copy of what its last build was made of (fragments
and row memo) while the shared copy has not moved far beyond it, and shares its own once the
answer has gone. An older copy never shows anything stale."""

import pytest
from factories import make_event

from csp_events.extensions import cache, db
from csp_events.feeds import caching, services
from csp_events.feeds.caching import BEHIND_AT_MOST, BUILDS, FeedStore

FEED = "/feeds/public.ics"


@pytest.fixture
def shared_reads(monkeypatch):
    """How often a build fetched the shared copy of the fragments."""
    reads = []
    real = FeedStore.fragments

    def counting(self, feed):
        reads.append(feed)
        return real(self, feed)

    monkeypatch.setattr(FeedStore, "fragments", counting)
    yield reads
    services.feed_cache.forget_local()


def _feed_id() -> str:
    (feed,) = list(services.feed_cache._states.keys())
    return feed


def _builds_counted(feed: str) -> int:
    return cache.get(f"{BUILDS}:{feed}") or 0


def test_a_worker_builds_again_from_its_own_copy(client, shared_reads):
    event = make_event(title="Library pop-up")
    client.get(FEED)
    shared_reads.clear()
    event.title = "Library pop-up, moved indoors"
    db.session.commit()

    body = client.get(FEED).get_data()

    assert b"moved indoors" in body
    assert shared_reads == []


def test_its_build_is_shared_and_counted_once_the_answer_has_gone(client, shared_reads):
    make_event(title="Library pop-up")
    client.get(FEED)
    feed = _feed_id()
    state = services.feed_cache._states[feed]

    assert _builds_counted(feed) == state.builds == 1
    assert services.feed_cache.fragments(feed) == state.fragments
    assert services.feed_cache.row_memo(feed) == state.memo


def test_its_build_is_shared_only_after_the_server_has_sent_the_body(client, shared_reads):
    make_event(title="Library pop-up")
    answer = client.get(FEED, buffered=False)  # as a server: the body sent, then closed
    body = answer.get_data()
    feed = _feed_id()
    (key,) = list(services.feed_cache._stamps.keys())
    counted_while_sending = _builds_counted(feed)
    found_by_another_worker_while_sending = FeedStore().built(key)

    answer.close()

    assert b"Library pop-up" in body
    assert counted_while_sending == 0
    assert found_by_another_worker_while_sending is None
    assert _builds_counted(feed) == 1
    assert FeedStore().built(key).body == body


def test_a_copy_too_far_behind_the_shared_one_is_not_used(client, shared_reads):
    event = make_event(title="Library pop-up")
    client.get(FEED)
    feed = _feed_id()
    cache.set(f"{BUILDS}:{feed}", _builds_counted(feed) + BEHIND_AT_MOST + 1)
    shared_reads.clear()
    event.title = "Library pop-up, moved indoors"
    db.session.commit()

    client.get(FEED)

    assert shared_reads == [feed]


def test_an_emptied_shared_cache_leaves_nothing_to_build_from(client, shared_reads):
    event = make_event(title="Library pop-up")
    client.get(FEED)
    cache.clear()
    shared_reads.clear()
    event.title = "Library pop-up, moved indoors"
    db.session.commit()

    client.get(FEED)

    assert shared_reads == [_feed_id()]


def _shared_cache_refilled_by_another_worker(feed: str, commits_ahead: int) -> None:
    """The shared cache emptied, then filled by another worker's build from nothing, made
    `commits_ahead` commits after this worker's own copy: its count starts over at one."""
    own = services.feed_cache._states[feed].version
    epoch, newest, count = own.rsplit(".", 2)
    cache.clear()
    cache.set(f"{BUILDS}:{feed}", 1)
    cache.set(f"{BUILDS}:{feed}:version", f"{epoch}.{int(newest) + commits_ahead}.{count}")


@pytest.mark.parametrize(
    ("commits_ahead", "reads_shared"),
    [(1, False), (BEHIND_AT_MOST, False), (BEHIND_AT_MOST + 1, True)],
)
def test_after_the_shared_cache_starts_over_a_copy_a_few_commits_behind_is_used(
    client, shared_reads, commits_ahead, reads_shared
):
    event = make_event(title="Library pop-up")
    for title in ("Library pop-up, indoors", "Library pop-up, upstairs"):
        client.get(FEED)
        event.title = title
        db.session.commit()
    client.get(FEED)
    feed = _feed_id()
    _shared_cache_refilled_by_another_worker(feed, commits_ahead)
    shared_reads.clear()
    event.title = "Library pop-up, moved to the hall"
    db.session.commit()

    body = client.get(FEED).get_data()

    assert b"moved to the hall" in body
    assert (shared_reads == [feed]) is reads_shared


def test_a_build_from_an_older_copy_shows_every_change_since(client, shared_reads):
    """Another worker built twice since this one's copy: this build reads again the rows those
    builds changed, and gives the body a build from nothing gives."""
    first, second = make_event(title="Library pop-up"), make_event(title="Speed talk")
    client.get(FEED)
    feed = _feed_id()
    older = services.feed_cache._states[feed]
    for event, title in ((first, "Library pop-up moved indoors"), (second, "Speed talk now full")):
        event.title = title
        db.session.commit()
        client.get(FEED)
    services.feed_cache.remember_state(feed, older)  # as a worker that built neither would be
    first.title = "Library pop-up cancelled"
    db.session.commit()
    shared_reads.clear()

    body = client.get(FEED).get_data()

    assert shared_reads == []
    assert b"Library pop-up cancelled" in body
    assert b"Speed talk now full" in body
    services.feed_cache.forget_local()
    cache.clear()
    assert client.get(FEED).get_data() == body


def test_the_copies_kept_in_a_process_are_bounded_by_size():
    store = FeedStore(max_bytes=1000)
    small = caching.BuildState({"a": b"x" * 100}, {}, 0)
    store.remember_state("one", small)
    store.remember_state("two", small)
    store.remember_state("too big", caching.BuildState({"b": b"x" * 2000}, {}, 0))

    assert set(store._states.keys()) == {"one", "two"}


def test_an_answer_that_fails_after_its_build_still_shares_it_and_frees_the_claim(
    app, client, shared_reads, monkeypatch
):
    """The answer built is thrown away for an error page (here a hook after the view fails):
    it is never sent or closed, and the other workers must not wait on its claim."""
    make_event(title="Library pop-up")

    def failing(_response):
        raise RuntimeError("the answer could not be finished")

    hooks = dict(app.after_request_funcs)
    hooks[None] = [*hooks.get(None, []), failing]  # run first (Flask runs them in reverse)
    monkeypatch.setattr(app, "after_request_funcs", hooks)
    with pytest.raises(RuntimeError):  # in production: a 500 page instead
        client.get(FEED)

    (key,) = list(services.feed_cache._stamps.keys())
    assert cache.get(f"building:{key}") is None
    assert b"Library pop-up" in FeedStore().built(key).body
