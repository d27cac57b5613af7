"""The coordinator's dashboard: the day's facts from every area (snapshot.py, read once for
each change and kept in the shared cache), filtered by the clock (rules.py)."""

from datetime import datetime

from ..engagement.services import overdue_days
from ..timezones import to_local
from ..visits.lone_working import grace
from .rules import Dashboard, dashboard_at
from .snapshot import snapshot


def coordinator_dashboard(now: datetime) -> Dashboard:
    """Everything that needs the coordinator's attention now."""
    days = overdue_days()
    return dashboard_at(snapshot(to_local(now).date(), days), now, grace(), days)
