"""Home visits in the report: the measures fitted, as the home-visit flow records them."""

from datetime import datetime

from ..visits.services import measures_fitted as counted


def measures_fitted(start: datetime, end: datetime) -> list[tuple[str, int]]:
    """(measure, count) for home visits starting in [start, end), most fitted first."""
    return sorted(
        ((measure.label, n) for measure, n in counted(start, end).items()),
        key=lambda row: (-row[1], row[0]),
    )
