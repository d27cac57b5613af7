"""The report's charts, drawn once for each set of figures and kept in the shared cache.

A chart is a pure function of the figures it shows (and of the code drawing it), so the key
is derived from exactly those: a digest of the figures of the period and of the year before
(whose labels carry the period asked for) and of charts.py itself. Nothing stale can be
served: any change to what a chart shows, whether an edit (the change log's version) or the
clock (an event that has now started counts), changes the figures and so the key.
"""

import hashlib
import logging
from pathlib import Path

from redis.exceptions import RedisError

from ..extensions import cache
from . import charts
from .figures import Figures

# Drawn charts are small and cheap to draw again: kept a week, not for ever.
KEEP_SECONDS = 7 * 24 * 3600
# A new release that draws differently must not be served charts drawn the old way.
_DRAWING_CODE = hashlib.sha256(Path(charts.__file__).read_bytes()).hexdigest()[:16]

log = logging.getLogger(__name__)


def chart_key(report: Figures, before: Figures) -> str:
    shown = repr((report, before)).encode()
    return f"report-charts:{_DRAWING_CODE}:{hashlib.sha256(shown).hexdigest()}"


def _stored(key: str) -> dict | None:
    try:
        return cache.get(key)
    except (RedisError, OSError):  # the cache is a saving, never a reason to fail the page
        log.warning("chart cache unavailable; drawing the charts", exc_info=True)
        return None


def _keep(key: str, drawn: dict) -> None:
    try:
        cache.set(key, drawn, timeout=KEEP_SECONDS)
    except (RedisError, OSError):
        log.warning("chart cache unavailable; charts not kept", exc_info=True)


def charts_for(report: Figures, before: Figures) -> dict[str, charts.Chart | None]:
    """Every chart of the report page: from the cache when these figures were drawn before."""
    key = chart_key(report, before)
    stored = _stored(key)
    if stored is None:
        drawn = charts.all_charts(report, before)
        stored = {name: (c.src, c.alt) if c else None for name, c in drawn.items()}
        _keep(key, stored)
        return drawn
    return {name: charts.Chart(*pair) if pair else None for name, pair in stored.items()}
