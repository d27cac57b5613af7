"""`flask send-reminders` as a newcomer meets it: sign up for tomorrow, run it, run it again."""

from datetime import timedelta

from conftest import post
from factories import make_event, make_user

from csp_events.timezones import utcnow


def run(app, *args):
    return app.test_cli_runner().invoke(args=["send-reminders", *args])


def test_signing_up_for_tomorrow_puts_one_reminder_in_the_outbox(app, client, as_user, outbox):
    ann = make_user(email="ann@example.org")
    event = make_event(starts_at=utcnow() + timedelta(days=1), min_volunteers=0)
    as_user(ann)
    assert post(client, f"/events/{event.id}/sign-up").status_code == 302
    first = run(app)
    assert first.exit_code == 0 and first.output.startswith("1 sent, 0 failed")
    second = run(app)
    assert second.exit_code == 0 and second.output.startswith("0 sent, 0 failed, 1 sent before")
    assert len(list(outbox.glob("*.eml"))) == 1


def test_a_dry_run_lists_what_is_due_and_sends_nothing(app, app_context, outbox):
    ann = make_user()
    from csp_events.signups.services import sign_up

    sign_up(make_event(starts_at=utcnow() + timedelta(hours=5), min_volunteers=0), ann, by=ann)
    listed = run(app, "--dry-run")
    assert "due: session_first about #" in listed.output and f"user #{ann.id}" in listed.output
    assert not outbox.exists() or not list(outbox.glob("*.eml"))
    assert run(app, "--now", "2020-01-01T09:00Z").output.startswith("0 sent")


def test_a_time_that_is_not_a_time_is_refused(app):
    result = run(app, "--now", "tomorrow-ish")
    assert result.exit_code == 2 and "is not an ISO 8601 time" in result.output


def test_failures_make_the_command_fail_so_the_timer_shows_it(app, app_context, outbox):
    from mailserver import free_port, mail_through

    from csp_events.signups.services import sign_up

    ann = make_user()
    sign_up(make_event(starts_at=utcnow() + timedelta(hours=5), min_volunteers=0), ann, by=ann)
    with mail_through(app, free_port()):
        result = run(app)
    assert result.exit_code == 1 and "0 sent, 1 failed" in result.output
