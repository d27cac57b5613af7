"""gzip for clients that accept it, an ETag for each encoding, and 304 for either form."""

import gzip

import pytest
from factories import make_event, make_venue

FEED = "/feeds/public.ics"
GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture
def feed(client):
    venue = make_venue("Brentwood Library")
    for n in range(5):
        make_event(title=f"Library pop-up {n}", venue=venue)
    plain = client.get(FEED)
    return client, plain


def test_a_feed_is_gzipped_for_a_client_that_accepts_it(feed):
    client, plain = feed
    zipped = client.get(FEED, headers=GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert zipped.headers["ETag"] == plain.headers["ETag"].removesuffix('"') + '-gzip"'
    assert zipped.headers["Last-Modified"] == plain.headers["Last-Modified"]
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert "Accept-Encoding" in plain.headers["Vary"]
    assert "Content-Encoding" not in plain.headers


@pytest.mark.parametrize(
    "accept",
    # The last: gzip refused by name, whatever `*` says.
    ["gzip;q=0", "gzip; q=0", "identity", "br", "*;q=0", "gzip;q=0, *"],
)
def test_a_client_that_refuses_gzip_gets_the_plain_feed(feed, accept):
    client, plain = feed
    response = client.get(FEED, headers={"Accept-Encoding": accept})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == plain.get_data()
    assert response.headers["ETag"] == plain.headers["ETag"]


@pytest.mark.parametrize("accept", ["gzip, deflate, br", "deflate, gzip;q=0.5", "*"])
def test_any_acceptance_of_gzip_gets_it(feed, accept):
    client, _plain = feed
    response = client.get(FEED, headers={"Accept-Encoding": accept})
    assert response.headers["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("held", ["plain", "gzipped"])
@pytest.mark.parametrize("asks", ["plain", "gzipped"])
def test_either_etag_gives_304_in_either_encoding(feed, held, asks):
    client, plain = feed
    etag = plain.headers["ETag"]
    if held == "gzipped":
        etag = client.get(FEED, headers=GZIP).headers["ETag"]
    headers = {"If-None-Match": etag} | (GZIP if asks == "gzipped" else {})
    response = client.get(FEED, headers=headers)
    assert response.status_code == 304
    assert response.get_data() == b""
    # The 304 names the representation this client would get.
    assert response.headers["ETag"].endswith('-gzip"') == (asks == "gzipped")
    assert "Accept-Encoding" in response.headers["Vary"]


def test_a_weak_form_of_the_etag_still_gives_304(feed):
    """Proxies that compress turn strong ETags weak: the feed is the same one."""
    client, plain = feed
    response = client.get(FEED, headers={"If-None-Match": "W/" + plain.headers["ETag"]})
    assert response.status_code == 304


def test_if_modified_since_gives_304_in_either_encoding(feed):
    client, plain = feed
    since = {"If-Modified-Since": plain.headers["Last-Modified"]}
    assert client.get(FEED, headers=since).status_code == 304
    assert client.get(FEED, headers=since | GZIP).status_code == 304


def test_head_of_a_gzipped_feed_has_its_headers_and_no_body(feed):
    client, _plain = feed
    response = client.head(FEED, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.get_data() == b""


def test_pages_are_gzipped_for_clients_that_accept_them(client):
    make_event(title="Library pop-up", venue=make_venue("Brentwood Library"))
    plain = client.get("/whats-on")
    zipped = client.get("/whats-on", headers=GZIP)
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert b"Library pop-up" in gzip.decompress(zipped.get_data())
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert "Content-Encoding" not in plain.headers
    refused = client.get("/whats-on", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_the_api_has_an_etag_per_encoding_and_304_for_either(client):
    for n in range(8):
        make_event(title=f"Library pop-up {n}", venue=make_venue(f"Library {n}"))
    plain = client.get("/api/v1/events")
    zipped = client.get("/api/v1/events", headers=GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert zipped.headers["ETag"] == plain.headers["ETag"].removesuffix('"') + '-gzip"'
    for etag in (plain.headers["ETag"], zipped.headers["ETag"]):
        for extra in ({}, GZIP):
            again = client.get("/api/v1/events", headers={"If-None-Match": etag} | extra)
            assert again.status_code == 304, (etag, extra)


def test_small_answers_and_redirects_are_not_gzipped(client):
    redirect = client.get("/", headers=GZIP)
    assert redirect.status_code in (301, 302, 303)
    assert "Content-Encoding" not in redirect.headers
    missing = client.get("/api/v1/events/999999", headers=GZIP)
    assert "Content-Encoding" not in missing.headers


def test_pages_for_someone_with_a_session_are_never_gzipped(client):
    """A signed-in page holds a CSRF token and personal details next to text the request can
    put there; compressed, its length could reveal them (BREACH), so it goes plain."""
    from conftest import login_as
    from factories import make_coordinator

    make_event(title="Library pop-up", venue=make_venue("Brentwood Library"))
    login_as(client, make_coordinator())
    page = client.get("/dashboard?q=csrf_token", headers=GZIP)
    assert page.status_code == 200
    assert "Content-Encoding" not in page.headers
    listing = client.get("/whats-on", headers=GZIP)
    assert "Content-Encoding" not in listing.headers
    api = client.get("/api/v1/events", headers=GZIP)
    assert api.headers.get("Content-Encoding") == "gzip"
