"""Fifty people at once through gunicorn, on either engine: every answer is a success, a
redirect or a clean refusal, never an error; and the rules still hold."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from factories import PASSWORD, make_event, make_item, next_weekday, speedwatch_volunteer
from gunicorn_server import CSRF, gunicorn

from csp_events.equipment.models import EquipmentBooking
from csp_events.equipment.vocabulary import BookingStatus
from csp_events.events.models import Event
from csp_events.extensions import db
from csp_events.signups.vocabulary import SignupStatus

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("app_context")]
PEOPLE = 50
CAPACITY = 10
SATURDAY = 5
# 4xx answers that are a page telling the person why (a full session, a taken slot).
CLEAN_REFUSALS = {400, 404, 409, 422, 429}


def all_at_once(browsers, path: str, form: dict, *, form_page: str) -> list[tuple[int, float]]:
    """Every browser fetches its form first, then all post together; (status, seconds) each."""
    tokens = []
    for browser in browsers:
        _status, page = browser.open(form_page)
        match = CSRF.search(page)
        tokens.append(match[1] or match[2])
    start = threading.Barrier(len(browsers))

    def send(browser, token, data):
        start.wait()
        began = time.perf_counter()
        status, _page = browser.open(path, {**data, "csrf_token": token})
        return status, time.perf_counter() - began

    with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
        answers = pool.map(
            send, browsers, tokens, [form(b) if callable(form) else form for b in browsers]
        )
        return list(answers)


def statuses(answers) -> list[int]:
    return sorted(status for status, _seconds in answers)


def slowest(answers) -> float:
    return max(seconds for _status, seconds in answers)


def test_fifty_people_sign_in_sign_up_and_book_at_once_without_one_error(app, tmp_path):
    people = [speedwatch_volunteer(email=f"crowd{n}@example.org") for n in range(PEOPLE)]
    emails = [person.email for person in people]
    event_id = make_event(max_volunteers=CAPACITY).id
    item_id = make_item(volunteers_may_book=True).id
    db.session.commit()  # hold no lock (SQLite) while the workers run
    with gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, workers=4) as server:
        assert "Server" not in server.headers("/healthz"), "no software name for scanners"
        browsers = [server.browser() for _ in people]
        by_browser = dict(zip(map(id, browsers), emails, strict=True))

        signed_in = all_at_once(
            browsers,
            "/login",
            lambda b: {"email": by_browser[id(b)], "password": PASSWORD},
            form_page="/login",
        )
        print(
            f"\n{PEOPLE} sign-ins: {Counter(statuses(signed_in))}, "
            f"slowest {slowest(signed_in):.1f} s"
        )
        assert statuses(signed_in) == [302] * PEOPLE

        signed_up = all_at_once(browsers, f"/events/{event_id}/sign-up", {}, form_page="/sessions")
        print(f"{PEOPLE} sign-ups at once: slowest {slowest(signed_up):.1f} s")
        assert set(statuses(signed_up)) <= {200, 302, 303} | CLEAN_REFUSALS

        day = next_weekday(SATURDAY)
        parts = [str(day.day), str(day.month), str(day.year)]
        booked = all_at_once(
            browsers,
            f"/equipment/{item_id}/book",
            {
                "start_date": parts,
                "start_time": "10:00",
                "end_date": parts,
                "end_time": "12:00",
                "purpose": "Street surgery",
            },
            form_page=f"/equipment/{item_id}/book",
        )
        print(f"{PEOPLE} bookings at once: slowest {slowest(booked):.1f} s")
        assert set(statuses(booked)) <= {200, 302, 303} | CLEAN_REFUSALS
        assert statuses(booked).count(302) == 1, "one winner for one slot"
        errors = [line for line in server.request_lines() if line["status"] >= 500]
    assert errors == []
    db.session.expire_all()
    signups = [s.status for s in db.session.get(Event, event_id).signups]
    assert signups.count(SignupStatus.CONFIRMED) == CAPACITY
    assert signups.count(SignupStatus.WAITLISTED) == PEOPLE - CAPACITY
    active = db.session.execute(
        db.select(EquipmentBooking).where(
            EquipmentBooking.item_id == item_id, EquipmentBooking.status == BookingStatus.ACTIVE
        )
    ).scalars()
    assert len(list(active)) == 1


def test_the_crowd_helpers_notice_an_error_answer():
    """The test above can fail: a 500 among the answers is not a clean refusal."""
    answers = [(302, 0.1), (500, 11.0)]
    assert not set(statuses(answers)) <= {200, 302, 303} | CLEAN_REFUSALS
    assert slowest(answers) == pytest.approx(11.0)
