"""The rule modules stay pure: importing them pulls in neither Flask nor the database."""

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "csp_events"
PURE_HELPERS = [
    "timezones",
    "events.recurrence",
    "events.calendar",
    "places.daylight",
    "reports.returns",
    "whatson.listing",
    "whatson.jsonld",
    "dashboard.lines",
]
PURE_MODULES = sorted(
    {".".join(p.relative_to(PACKAGE).with_suffix("").parts) for p in PACKAGE.glob("*/rules.py")}
    | {
        ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in PACKAGE.glob("*/vocabulary.py")
    }
    | set(PURE_HELPERS)
)
FORBIDDEN = ("flask", "flask_sqlalchemy", "sqlalchemy", "werkzeug", "wtforms")


def test_every_area_with_rules_is_checked():
    assert {"auth.rules", "events.rules", "people.rules", "places.rules", "signups.rules"} <= set(
        PURE_MODULES
    )


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_neither_flask_nor_the_database(module):
    probe = (
        f"import sys, csp_events.{module}\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        check=True,
    )
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"
