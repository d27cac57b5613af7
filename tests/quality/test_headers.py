"""Security headers on every response, error pages included; cookies that cannot leak."""

import base64
import hashlib
import re

import pytest
from conftest import login_as
from factories import make_event, make_user

from csp_events import create_app
from csp_events.headers import inline_script_sources


@pytest.mark.parametrize("path", ["/login", "/no-such-page", "/static/css/app.css"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def _inline_scripts(page: str) -> list[str]:
    """Scripts a browser would run from the page's own text (a JSON-LD data block runs not)."""
    return [
        text
        for attrs, text in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", page, re.S)
        if "application/ld+json" not in attrs
    ]


def _hash_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", ["/login", "/whats-on", "/no-such-page"])
def test_every_inline_script_is_allowed_by_its_hash(client, path):
    response = client.get(path)
    scripts = _inline_scripts(response.get_data(as_text=True))
    script_src = re.search(r"script-src ([^;]+)", response.headers["Content-Security-Policy"])[1]
    assert scripts and all(_hash_source(text) in script_src.split() for text in scripts)


def test_the_policy_allows_no_inline_script_but_the_layouts(client, app):
    policy = client.get("/login").headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy)[1]
    assert script_src.split() == ["'self'", *inline_script_sources(app)]
    assert len(inline_script_sources(app)) == 1


def test_a_public_page_is_made_the_same_bytes_on_every_request(app, client, app_context):
    event = make_event()
    first = client.get(f"/whats-on/{event.id}")
    app.extensions["csp_page_answers"].forget()  # made again, not given from memory
    second = client.get(f"/whats-on/{event.id}")
    assert first.status_code == 200
    assert first.get_data() == second.get_data()
    assert first.headers["Content-Security-Policy"] == second.headers["Content-Security-Policy"]


def test_pages_with_personal_data_are_never_cached(client):
    login_as(client, make_user())
    assert client.get("/my-sessions").headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://csp.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_cookies_are_httponly_lax_and_secure_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("CSP_ENV", "production")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_session_cookie_is_httponly_and_lax(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_nul_character_in_any_field_is_refused_cleanly(client):
    from conftest import post

    answer = post(client, "/login", {"email": "\x00", "password": "0"})
    assert answer.status_code == 400
    assert client.get("/login?next=\x00").status_code == 400
