"""Password policy and safe redirects after sign-in."""

import pytest

from csp_events.auth.rules import is_safe_next, password_problem


@pytest.mark.parametrize(
    "password", ["short", "password", "123456789", "qwertyuiop", "aaaaaaaaaa", "x" * 129]
)
def test_weak_or_absurd_passwords_are_refused(password):
    assert password_problem(password) is not None


@pytest.mark.parametrize(
    "password", ["correct horse battery", "lighthouse-walrus-22", "x" * 3 + "y" * 5 + "z" * 56]
)
def test_long_uncommon_passwords_are_accepted_without_composition_rules(password):
    assert password_problem(password) is None


def test_a_password_may_not_be_the_persons_email():
    assert (
        password_problem("jean.morrison@example.org", email="jean.morrison@example.org") is not None
    )


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/calendar", True),
        ("/events/3?x=1", True),
        ("https://evil.example/", False),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
        ("calendar", False),
        ("/\x00x", False),
    ],
)
def test_only_relative_paths_are_followed_after_sign_in(target, safe):
    assert is_safe_next(target) is safe
