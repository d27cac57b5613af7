"""Security headers on every response, error pages included; cookies that cannot leak."""

import re

import pytest
from conftest import login_as
from factories import make_user

from csp_events import create_app


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


def test_the_one_inline_script_carries_the_nonce_the_policy_allows(client):
    response = client.get("/login")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    page = response.get_data(as_text=True)
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline_scripts and all(f'nonce="{nonce}"' in attrs for attrs in inline_scripts)


def test_a_fresh_nonce_on_every_request(client):
    first = client.get("/login").headers["Content-Security-Policy"]
    assert first != client.get("/login").headers["Content-Security-Policy"]


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
