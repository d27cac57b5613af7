"""After a commit that changed nothing a feed shows (a sign-up, for the public feed), its body
is carried forward to the new version: each worker answers from its own copy of what the body
stands on, and every feed standing on the same version shares one read of the change log."""

import pytest
from factories import make_event, make_user

from csp_events.feeds import carrying, services
from csp_events.feeds.caching import FeedStore
from csp_events.signups.services import sign_up

FEEDS = ("/feeds/public.ics", "/feeds/public.ics?kind=pop_up")


@pytest.fixture
def counted(monkeypatch):
    """Reads of the change log, of the shared copies of bases, and builds."""
    seen = {"change log": 0, "shared basis": 0, "builds": 0}

    def count(name, real):
        def counting(*args, **kwargs):
            seen[name] += 1
            return real(*args, **kwargs)

        return counting

    monkeypatch.setattr(
        carrying, "tables_changed_since", count("change log", carrying.tables_changed_since)
    )
    monkeypatch.setattr(FeedStore, "basis", count("shared basis", FeedStore.basis))
    monkeypatch.setattr(services, "_build", count("builds", services._build))
    return seen


def someone_signs_up(event):
    sign_up(event, make_user(name="Nina Newcomer"), by=make_user(role="coordinator"))


def polls_with_etags(client, etags):
    return {feed: client.get(feed, headers={"If-None-Match": etags[feed]}) for feed in FEEDS}


def test_feeds_standing_on_one_version_share_one_read_of_the_change_log(client, counted):
    popup = make_event(title="Library pop-up")
    etags = {feed: client.get(feed).headers["ETag"] for feed in FEEDS}
    someone_signs_up(popup)
    counted.update({"change log": 0, "builds": 0})

    answers = polls_with_etags(client, etags)

    assert [a.status_code for a in answers.values()] == [304, 304]
    assert counted["change log"] == 1
    assert counted["builds"] == 0


def test_a_worker_carries_a_feed_forward_from_its_own_copy_of_the_basis(client, counted):
    popup = make_event(title="Library pop-up")
    etags = {feed: client.get(feed).headers["ETag"] for feed in FEEDS}
    someone_signs_up(popup)
    counted["shared basis"] = 0

    answers = polls_with_etags(client, etags)

    assert [a.status_code for a in answers.values()] == [304, 304]
    assert counted["shared basis"] == 0


def test_a_copy_overtaken_by_another_workers_build_gives_way_to_the_shared_one(client, counted):
    popup = make_event(title="Library pop-up")
    client.get(FEEDS[0])
    own_copy = dict(services.feed_cache._bases)
    popup.title = "Library pop-up, moved indoors"
    rebuilt = client.get(FEEDS[0])  # as another worker would, sharing its basis
    services.feed_cache._bases.update(own_copy)  # this worker never saw that build
    someone_signs_up(popup)
    counted.update({"builds": 0, "shared basis": 0})

    answer = client.get(FEEDS[0], headers={"If-None-Match": rebuilt.headers["ETag"]})

    assert answer.status_code == 304
    assert counted["shared basis"] == 1
    assert counted["builds"] == 0
