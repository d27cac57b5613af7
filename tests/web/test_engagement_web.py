"""Tried as a new user would, through the pages: an outcome after a roadshow takes items
from stock and shows in the quarter's report and CSV; last year's spreadsheet is imported;
a file with a bad row is refused with the row named, and nothing is imported."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import login_as, post
from factories import make_coordinator, make_event, make_user, make_venue
from sqlalchemy import func, select

from csp_events.auth.roles import Role
from csp_events.engagement.models import Attendance
from csp_events.engagement.services import OutcomeFields, record_outcome
from csp_events.events.models import Event
from csp_events.events.vocabulary import EventKind, EventStatus
from csp_events.extensions import db
from csp_events.imports.models import ImportBatch
from csp_events.places.models import SpeedwatchSite
from csp_events.places.vocabulary import ApprovalStatus
from csp_events.reports.rules import quarter_of
from csp_events.signups.models import Signup
from csp_events.signups.vocabulary import SignupStatus
from csp_events.stock.models import StockItem
from csp_events.timezones import to_local, utcnow

EXAMPLE = Path(__file__).resolve().parents[2] / "static" / "examples" / "past-activity.csv"
ITEM_NAMES = [
    "Purse bells",
    "Leaflets and booklets",
    "ID magnifiers",
    "Purse cables",
    "Key-ring torches",
    "Timer switches",
    "Window alarms",
    "Property marker pens",
    "Personal alarms",
]


@pytest.fixture
def partnership(app_context):
    coordinator = make_coordinator(name="Sam Coordinator")
    volunteer = make_user(name="Margaret Hughes")
    venues = {
        name: make_venue(name)
        for name in (
            "Bay Tree Centre",
            "Brentwood Library",
            "Brentwood High Street",
            "Union Church",
            "Brentwood County High School",
        )
    }
    for road in ("Wash Road", "Ongar Road", "Hutton Road"):
        db.session.add(
            SpeedwatchSite(
                road=road,
                location="By the shops",
                speed_limit=30,
                approval_status=ApprovalStatus.APPROVED,
            )
        )
    for name in ITEM_NAMES:
        db.session.add(StockItem(name=name, low_stock_level=10))
    db.session.commit()
    return coordinator, volunteer, venues


def item(name: str) -> StockItem:
    return db.session.scalar(select(StockItem).where(StockItem.name == name))


def upload(client, content: bytes, name: str):
    return post(
        client,
        "/imports",
        {"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_after_a_roadshow_a_volunteer_records_40_people_and_15_purse_bells(client, partnership):
    coordinator, volunteer, venues = partnership
    bells = item("Purse bells")
    login_as(client, coordinator)
    today = to_local(utcnow()).date()
    delivered = post(
        client,
        f"/stock/{bells.id}/delivery",
        {
            "quantity": "50",
            "funder": "Police, Fire and Crime Commissioner for Essex",
            "delivered_on": [str(today.day), str(today.month), str(today.year)],
        },
    )
    assert delivered.status_code == 302
    roadshow = make_event(
        kind=EventKind.ROADSHOW,
        title="Dementia Café roadshow",
        starts_at=utcnow() - timedelta(hours=3),
        hours=2,
        venue=venues["Union Church"],
    )
    db.session.add(Signup(event=roadshow, user=volunteer, status=SignupStatus.CONFIRMED))
    db.session.commit()

    login_as(client, volunteer)
    assert "Record the outcome" in client.get("/my-sessions").get_data(as_text=True)
    form = client.get(f"/events/{roadshow.id}/outcome").get_data(as_text=True)
    assert "Purse bells" in form and "50 in stock now" in form
    saved = post(
        client,
        f"/events/{roadshow.id}/outcome",
        {
            f"came_{volunteer.id}": "came",
            f"hours_{volunteer.id}": "2.5",
            "people_engaged": "40",
            "audience": "club",
            "theme": "scams",
            f"item_{bells.id}": "15",
            "partner_agencies": ["essex_police", "nhw"],
            "notes": "Lots of questions about doorstep callers.",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    event_page = client.get(saved.location).get_data(as_text=True)
    assert "The outcome of Dementia Café roadshow is saved." in event_page
    assert "Purse bells: 15" in event_page

    login_as(client, coordinator)
    assert "35" in client.get(f"/stock/{bells.id}").get_data(as_text=True)
    db.session.expire_all()
    assert item("Purse bells").balance == 35

    fy, number = quarter_of(to_local(roadshow.starts_at).date())
    query = f"year={fy}&quarter={number}"
    report = client.get(f"/reports?{query}").get_data(as_text=True)
    assert f"Quarter {number} of" in report
    assert ">40<" in report.replace("<strong>", "").replace("</strong>", "")
    assert "Purse bells" in report and "2.5" in report
    csv = client.get(f"/reports/export.csv?{query}").get_data(as_text=True)
    assert "summary,,people reached,40," in csv
    assert "items by item,Purse bells,handed out,15,0" in csv
    assert "volunteer hours,Margaret Hughes,hours,2.5," in csv


def test_importing_last_years_spreadsheet_gives_the_years_totals(client, partnership):
    coordinator, _volunteer, _venues = partnership
    login_as(client, coordinator)
    checked = upload(client, EXAMPLE.read_bytes(), "2024-25 activity.csv")
    assert checked.status_code == 302
    dry_run = client.get(checked.location).get_data(as_text=True)
    assert "15 rows can be imported" in dry_run and "0 rows are rejected" in dry_run
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0  # a dry run only

    imported = post(client, checked.location + "/import")
    assert "Imported 15 events" in client.get(imported.location).get_data(as_text=True)
    csv = client.get("/reports/export.csv?year=2024").get_data(as_text=True)
    assert "summary,,events held,15," in csv
    assert "summary,,people reached,600," in csv
    assert "summary,,items handed out,521," in csv
    assert "summary,,vehicles checked,613," in csv
    assert "items by item,Leaflets and booklets,handed out,346," in csv
    # The community day and the training have their own line, apart from the 4 pop-ups.
    assert "events by kind,Pop-up engagement event,events,4," in csv
    other = '"Other engagement (community day, stand, meeting, training)",events,2,'
    assert f"events by kind,{other}" in csv
    report = client.get("/reports?year=2024").get_data(as_text=True)
    assert "Other engagement (community day, stand, meeting, training)" in report
    db.session.expire_all()
    assert all(item(name).balance == 0 for name in ITEM_NAMES)  # today's shelf is unchanged

    again = post(client, checked.location + "/import")
    assert "already been imported" in client.get(again.location).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 15


def test_a_file_with_a_bad_row_is_refused_with_the_row_named_and_nothing_imported(
    client, partnership
):
    coordinator, _volunteer, _venues = partnership
    login_as(client, coordinator)
    lines = EXAMPLE.read_text().splitlines()
    lines[4] = lines[4].replace("Brentwood Library", "Brentwood Libary")  # line 5 of the file
    checked = upload(client, ("\n".join(lines) + "\n").encode(), "with a typo.csv")
    dry_run = client.get(checked.location).get_data(as_text=True)
    assert "Line 5: venue ‘Brentwood Libary’ is not in the app" in dry_run
    assert "14 rows can be imported" in dry_run and "1 row is rejected" in dry_run
    assert "Import 14 events" not in dry_run

    refused = post(client, checked.location + "/import")
    assert "Nothing was imported" in client.get(refused.location).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_file_holding_a_registration_number_is_refused_and_never_kept(client, partnership):
    coordinator, *_ = partnership
    login_as(client, coordinator)
    lines = EXAMPLE.read_text().splitlines()
    lines[2] += " Saw AB12 CDE"
    page = upload(client, ("\n".join(lines) + "\n").encode(), "with a plate.csv")
    assert page.status_code == 200
    assert "Line 3 looks like it holds a registration number" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_an_upload_that_is_not_a_csv_file_is_refused_next_to_the_field(client, partnership):
    coordinator, *_ = partnership
    login_as(client, coordinator)
    page = upload(client, b"%PDF-1.4", "report.pdf")
    assert page.status_code == 200
    assert "The file must be a CSV file" in page.get_data(as_text=True)


def test_partners_read_the_report_without_each_volunteers_hours(client, partnership):
    login_as(client, make_user(Role.PARTNER))
    page = client.get("/reports").get_data(as_text=True)
    assert "Volunteer time" in page and "Hours by volunteer" not in page
    assert "\nvolunteer hours," not in client.get("/reports/export.csv").get_data(as_text=True)


def test_a_volunteer_who_was_not_signed_up_is_refused_the_outcome_page(client, partnership):
    _coordinator, volunteer, venues = partnership
    event = make_event(starts_at=utcnow() - timedelta(hours=3), venue=venues["Union Church"])
    login_as(client, volunteer)
    assert client.get(f"/events/{event.id}/outcome").status_code == 403


def test_the_outcome_page_of_an_event_still_to_come_says_when_it_opens(client, partnership):
    coordinator, _volunteer, venues = partnership
    event = make_event(venue=venues["Union Church"])
    login_as(client, coordinator)
    response = client.get(f"/events/{event.id}/outcome")
    assert response.status_code == 302
    assert "once the event has started" in client.get(response.location).get_data(as_text=True)


def test_bad_report_periods_are_explained_not_failed(client, partnership):
    coordinator, *_ = partnership
    login_as(client, coordinator)
    page = client.get("/reports?first=1&first=5&first=2025&last=1&last=4&last=2025")
    assert page.status_code == 200
    assert "The end date must be the same as or after the start date" in page.get_data(as_text=True)
    assert client.get("/reports/export.csv?year=notayear").status_code == 400


def test_the_same_spreadsheet_with_capitalised_headers_cannot_be_imported_twice(
    client, partnership
):
    coordinator, *_ = partnership
    login_as(client, coordinator)
    lines = EXAMPLE.read_text().splitlines()
    lines[0] = ",".join(h.replace("_", " ").title() for h in lines[0].split(","))
    content = ("\n".join(lines) + "\n").encode()
    first = upload(client, content, "first.csv")
    post(client, first.location + "/import")
    second = upload(client, content, "second copy.csv")
    dry_run = client.get(second.location).get_data(as_text=True)
    assert "already in the app" in dry_run and "0 rows can be imported" in dry_run
    assert db.session.scalar(select(func.count()).select_from(Event)) == 15


def test_unusual_digits_in_a_count_are_a_rejected_row_not_an_error(client, partnership):
    coordinator, *_ = partnership
    login_as(client, coordinator)
    lines = EXAMPLE.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("people_engaged")] = "²"
    lines[1] = ",".join(cells)
    checked = upload(client, ("\n".join(lines[:2]) + "\n").encode(), "odd.csv")
    page = client.get(checked.location)
    assert page.status_code == 200 and "Line 2" in page.get_data(as_text=True)


def test_an_imported_outcome_cannot_be_corrected_into_real_stock(client, partnership):
    coordinator, *_ = partnership
    login_as(client, coordinator)
    checked = upload(client, EXAMPLE.read_bytes(), "last year.csv")
    post(client, checked.location + "/import")
    event = db.session.scalar(select(Event).order_by(Event.id))
    response = post(client, f"/events/{event.id}/outcome", {"people_engaged": "1"})
    assert response.status_code in (302, 403, 404) or "imported" in response.get_data(as_text=True)
    db.session.expire_all()
    assert all(item(name).balance == 0 for name in ITEM_NAMES)


def test_sessions_still_to_come_are_not_counted_as_held(client, partnership):
    coordinator, _volunteer, venues = partnership
    make_event(venue=venues["Brentwood Library"], starts_at=utcnow() + timedelta(days=2))
    login_as(client, coordinator)
    csv = client.get("/reports/export.csv").get_data(as_text=True)
    assert "summary,,events held,0," in csv


def test_an_event_with_its_outcome_recorded_cannot_be_cancelled(client, partnership):
    coordinator, _volunteer, venues = partnership
    event = make_event(venue=venues["Brentwood Library"], starts_at=utcnow() - timedelta(hours=3))
    record_outcome(event, OutcomeFields(people_engaged=12), by=coordinator, now=utcnow())
    login_as(client, coordinator)
    post(client, f"/events/{event.id}/status", {"status": "cancelled"})
    db.session.expire_all()
    assert db.session.get(Event, event.id).status != EventStatus.CANCELLED


def test_the_coordinator_adds_a_volunteer_who_came_without_signing_up(client, partnership):
    coordinator, volunteer, venues = partnership
    helper = make_user(name="Derek Walk-in")
    popup = make_event(
        kind=EventKind.POP_UP,
        title="Rogue traders pop-up",
        starts_at=utcnow() - timedelta(hours=4),
        hours=2,
        venue=venues["Brentwood High Street"],
    )
    db.session.add(Signup(event=popup, user=volunteer, status=SignupStatus.CONFIRMED))
    db.session.commit()
    fields = {
        f"came_{volunteer.id}": "came",
        f"hours_{volunteer.id}": "2",
        "people_engaged": "25",
        "audience": "public",
        "theme": "rogue_traders",
    }

    login_as(client, coordinator)
    form = client.get(f"/events/{popup.id}/outcome").get_data(as_text=True)
    assert "Someone else who came" in form and "Derek Walk-in" in form
    no_hours = post(client, f"/events/{popup.id}/outcome", fields | {"also_came": str(helper.id)})
    assert no_hours.status_code == 200
    assert "Enter the hours they gave" in no_hours.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0

    saved = post(
        client,
        f"/events/{popup.id}/outcome",
        fields | {"also_came": str(helper.id), "also_came_hours": "1.5"},
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    page = client.get(saved.location).get_data(as_text=True)
    assert "Derek Walk-in, Margaret Hughes" in page and "3.5 volunteer hours" in page

    correcting = client.get(f"/events/{popup.id}/outcome").get_data(as_text=True)
    assert "Derek Walk-in (came without signing up)" in correcting
    removed = post(
        client,
        f"/events/{popup.id}/outcome",
        fields | {f"came_{helper.id}": "no_show", f"hours_{helper.id}": ""},
    )
    assert removed.status_code == 302
    db.session.expire_all()
    assert [a.user_id for a in db.session.scalars(select(Attendance))] == [volunteer.id]


def test_a_volunteer_recording_an_outcome_cannot_add_anyone(client, partnership):
    _, volunteer, venues = partnership
    friend = make_user(name="A Friend")
    popup = make_event(
        kind=EventKind.POP_UP,
        starts_at=utcnow() - timedelta(hours=4),
        venue=venues["Brentwood Library"],
    )
    db.session.add(Signup(event=popup, user=volunteer, status=SignupStatus.CONFIRMED))
    db.session.commit()

    login_as(client, volunteer)
    assert "Someone else who came" not in client.get(f"/events/{popup.id}/outcome").get_data(
        as_text=True
    )
    saved = post(
        client,
        f"/events/{popup.id}/outcome",
        {
            f"came_{volunteer.id}": "came",
            f"hours_{volunteer.id}": "2",
            "people_engaged": "5",
            "audience": "public",
            "theme": "burglary",
            "also_came": str(friend.id),
            "also_came_hours": "8",
        },
    )
    assert saved.status_code == 302, "the rest of the outcome is saved"
    assert friend.id not in [a.user_id for a in db.session.scalars(select(Attendance))]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("99999999999", "Enter a number from 1 to 1,000,000"),
        ("1000001", "Enter a number from 1 to 1,000,000"),
        ("9" * 5000, "How many arrived is far too large: check the number"),
        ("٣", "How many arrived must be a whole number, like 3"),
    ],
)
def test_a_delivery_of_an_impossible_number_says_what_is_allowed(
    client, partnership, typed, message
):
    coordinator, _, _ = partnership
    bells = item("Purse bells")
    login_as(client, coordinator)
    today = to_local(utcnow()).date()
    refused = post(
        client,
        f"/stock/{bells.id}/delivery",
        {
            "quantity": typed,
            "funder": "PFCC",
            "delivered_on": [str(today.day), str(today.month), str(today.year)],
        },
    )
    assert refused.status_code == 200
    assert message in refused.get_data(as_text=True)
    db.session.expire_all()
    assert item("Purse bells").balance == 0


def test_a_no_show_taken_off_the_roster_later_stays_a_no_show_through_corrections(
    client, partnership
):
    coordinator, volunteer, venues = partnership
    absent = make_user(name="Bea Absent")
    popup = make_event(
        kind=EventKind.POP_UP,
        starts_at=utcnow() - timedelta(hours=4),
        venue=venues["Brentwood Library"],
    )
    for person in (volunteer, absent):
        db.session.add(Signup(event=popup, user=person, status=SignupStatus.CONFIRMED))
    db.session.commit()
    fields = {
        f"came_{volunteer.id}": "came",
        f"hours_{volunteer.id}": "2",
        "people_engaged": "5",
        "audience": "public",
        "theme": "burglary",
    }
    login_as(client, coordinator)
    post(client, f"/events/{popup.id}/outcome", fields | {f"came_{absent.id}": "no_show"})
    post(client, f"/events/{popup.id}/roster/{absent.id}/remove", {"reason": "Did not come"})

    form = client.get(f"/events/{popup.id}/outcome").get_data(as_text=True)
    assert "Bea Absent (no longer on the roster)" in form
    corrected = post(
        client,
        f"/events/{popup.id}/outcome",
        fields | {"people_engaged": "6", f"came_{absent.id}": "no_show"},
    )
    assert corrected.status_code == 302
    db.session.expire_all()
    rows = {a.user_id: a.attended for a in db.session.scalars(select(Attendance))}
    assert rows == {volunteer.id: True, absent.id: False}


def test_a_walk_in_saved_by_someone_else_meanwhile_does_not_break_the_form(
    client, partnership, monkeypatch
):
    from csp_events.engagement import services as outcome_services

    coordinator, volunteer, venues = partnership
    other = make_user(name="Added Meanwhile")
    popup = make_event(
        kind=EventKind.POP_UP,
        starts_at=utcnow() - timedelta(hours=4),
        venue=venues["Brentwood Library"],
    )
    db.session.add(Signup(event=popup, user=volunteer, status=SignupStatus.CONFIRMED))
    db.session.commit()
    other_id = other.id

    def another_save_lands_first_then_this_one_is_refused(event, fields, *, by, now):
        db.session.add(Attendance(event_id=event.id, user_id=other_id, attended=True, minutes=60))
        db.session.commit()
        raise outcome_services.OutcomeRefused({"notes": "Refused for this test"})

    monkeypatch.setattr(
        outcome_services, "record_outcome", another_save_lands_first_then_this_one_is_refused
    )
    login_as(client, coordinator)
    page = post(
        client,
        f"/events/{popup.id}/outcome",
        {
            f"came_{volunteer.id}": "came",
            f"hours_{volunteer.id}": "2",
            "people_engaged": "5",
            "audience": "public",
            "theme": "burglary",
        },
    )
    assert page.status_code == 200
    assert "Refused for this test" in page.get_data(as_text=True)
