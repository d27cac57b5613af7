"""Jinja set-up: our templates first, then GOV.UK Frontend macros; local-time filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

LONDON = ZoneInfo("Europe/London")
REPO_ROOT = Path(__file__).resolve().parent.parent


def configure_templates(app: Flask) -> None:
    """Let templates use `govuk_frontend_jinja/...` and `govuk_frontend_wtf/...` paths."""
    template_dir = REPO_ROOT / "templates"
    if app.template_folder and Path(app.root_path, app.template_folder).is_dir():
        template_dir = Path(app.root_path, app.template_folder)
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(template_dir)),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)  # adds the `wtforms_errors(form)` global for govukErrorSummary
    app.add_template_filter(local_datetime)
    app.add_template_filter(local_date)
    app.add_template_filter(local_time)
    app.add_template_filter(enum_label)


def _to_london(value: datetime) -> datetime:
    # Naive datetimes are taken to be UTC: that is how the app stores them.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def _day(value: date) -> str:
    # Built by hand: strftime's "%-d" (no leading zero) is not portable.
    return f"{value:%a} {value.day} {value:%b %Y}"


def local_datetime(value: datetime | None) -> str:
    """'Tue 10 Mar 2026, 10:00' in UK time."""
    if value is None:
        return ""
    value = _to_london(value)
    return f"{_day(value)}, {value:%H:%M}"


def local_span(start: datetime, end: datetime) -> str:
    """'Tue 10 Mar 2026, 10:00 to 12:00' in UK time; the end's day too when it is another."""
    first, last = _to_london(start), _to_london(end)
    if first.date() == last.date():
        return f"{local_datetime(start)} to {last:%H:%M}"
    return f"{local_datetime(start)} to {local_datetime(end)}"


def local_date(value: datetime | date | None) -> str:
    """'Tue 10 Mar 2026'; a datetime is converted to UK time first, a date is shown as is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _to_london(value)
    return _day(value)


def local_time(value: datetime | time | None) -> str:
    """'10:00'; a datetime is converted to UK time first, a time is shown as is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _to_london(value)
    return value.strftime("%H:%M")


def enum_label(value: object) -> str:
    """An enum's `.label` if it has one, else its value with underscores as spaces."""
    if value is None:
        return ""
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    raw = getattr(value, "value", value)
    return str(raw).replace("_", " ").capitalize()
