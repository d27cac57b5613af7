"""Guessing passwords is slowed: per account and per address, shared by every worker."""

from conftest import post
from factories import PASSWORD, make_user

from csp_events import create_app
from csp_events.auth.rules import ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT


def attempt(client, email, password="wrong password", address="203.0.113.7"):
    return post(
        client,
        "/login",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_an_account_is_paused_after_repeated_failures_even_with_the_right_password(client):
    make_user(email="ann@example.org")
    for _ in range(ACCOUNT_FAILURE_LIMIT):
        assert attempt(client, "ann@example.org").status_code == 200
    paused = attempt(client, "ann@example.org", PASSWORD, address="198.51.100.9")
    assert paused.status_code == 429
    assert "Too many attempts to sign in" in paused.get_data(as_text=True)


def test_unknown_accounts_are_paused_the_same_way(client):
    for _ in range(ACCOUNT_FAILURE_LIMIT):
        attempt(client, "nobody@example.org")
    assert attempt(client, "nobody@example.org").status_code == 429


def test_one_address_trying_many_accounts_is_paused(client):
    make_user(email="ann@example.org")
    for n in range(ADDRESS_FAILURE_LIMIT):
        attempt(client, f"guess{n}@example.org")
    assert attempt(client, "ann@example.org", PASSWORD).status_code == 429
    assert attempt(client, "ann@example.org", PASSWORD, address="198.51.100.9").status_code == 302


def test_a_successful_sign_in_clears_the_accounts_failures(client):
    make_user(email="ann@example.org")
    for _ in range(ACCOUNT_FAILURE_LIMIT - 1):
        attempt(client, "ann@example.org")
    assert attempt(client, "ann@example.org", PASSWORD).status_code == 302
    assert attempt(client, "ann@example.org").status_code == 200


def test_failures_counted_by_one_worker_pause_sign_in_on_another(app, client, tmp_path):
    make_user(email="ann@example.org")
    other_worker = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SERVER_NAME": "csp.test",
        }
    )
    other_worker.test_client_class = type(client)
    other_client = other_worker.test_client()
    for n in range(ACCOUNT_FAILURE_LIMIT):
        attempt(client if n % 2 else other_client, "ann@example.org")
    assert attempt(client, "ann@example.org", PASSWORD).status_code == 429
    assert attempt(other_client, "ann@example.org", PASSWORD).status_code == 429
    with other_worker.app_context():
        from csp_events.extensions import db

        db.engine.dispose()
