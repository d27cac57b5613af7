"""Charts for the report page: SVG drawn on the server by pygal, shown as images.

An SVG inside an <img> runs no script and needs no inline style on the page, so the charts
work without JavaScript and under the strict Content Security Policy (img-src allows data:).
Each chart sits next to a table with the same figures: its text alternative.
"""

import base64
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..events.vocabulary import EventKind
from .figures import Figures
from .rules import hours


@cache
def _pygal():
    """pygal, imported by the first chart rather than by every worker start (~80 ms)."""
    import pygal

    # pygal adds an import hook for its optional map plugins (pygal.maps.*), which we do not
    # use. The hook predates find_spec, so every unrelated failed import warns through it.
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


COLOURS = ("#005a70", "#f47738", "#4c2c92", "#00703c", "#d4351c", "#1d70b8", "#6f777b")
SHORT = {
    EventKind.SPEEDWATCH: "Speedwatch",
    EventKind.ROADSHOW: "Roadshows",
    EventKind.SURGERY: "NHW surgeries",
    EventKind.POP_UP: "Pop-ups",
    EventKind.HOME_VISIT: "Home visits",
    EventKind.OTHER_ENGAGEMENT: "Other engagement",
}


@cache
def _common() -> dict:
    """Settings every chart shares (pygal's Style needs pygal, so built on first use)."""
    style = _pygal().style.Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#505a5f",
        colors=COLOURS,
        opacity="1",
        opacity_hover="1",
        font_family="Arial, Helvetica, sans-serif",
        title_font_size=24,
        label_font_size=19,
        major_label_font_size=19,
        legend_font_size=19,
        value_font_size=18,
        value_colors=("#ffffff",) * len(COLOURS),
        tooltip_font_size=16,
    )
    return {
        "style": style,
        "js": [],  # no scripts: an image shows no tooltips anyway
        "width": 640,
        "print_values": True,
        "print_zeroes": False,
        "show_y_guides": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "margin": 20,
        "truncate_label": 28,
        "truncate_legend": 28,
    }


@dataclass(frozen=True)
class Chart:
    """A picture (data: URI) and the one-line description read out instead of it."""

    src: str
    alt: str


def _image(chart, alt: str) -> Chart:
    svg = chart.render()
    return Chart("data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"), alt)


def _bars(title: str, labels: list[str], series: dict[str, list], *, stacked=False, height=460):
    kind = _pygal().StackedBar if stacked else _pygal().Bar
    # pygal's room for a legend at this font size cut its rows off the bottom: each row of
    # three names gets room of its own.
    rows = -(-len(series) // 3) if len(series) > 1 else 0
    chart = kind(
        title=title,
        height=height + 34 * rows,
        show_legend=len(series) > 1,
        **(_common() | {"margin_bottom": 20 + 34 * rows}),
    )
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return chart


def _short(label: str, most: int = 24) -> str:
    """A bar's name short enough to leave the bars room (the table beside has it whole)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _horizontal(title: str, rows: Sequence[tuple[str, float]], *, formatter=None):
    height = max(260, 120 + 50 * len(rows))
    # Few value labels: at this font size pygal's default ran them into each other.
    settings = _common() | {"max_scale": 5}
    chart = _pygal().HorizontalBar(title=title, height=height, show_legend=False, **settings)
    if formatter:
        chart.value_formatter = formatter
    chart.x_labels = [_short(label) for label, _ in reversed(rows)]
    chart.add("", [value for _, value in reversed(rows)])
    return chart


def events_by_slice(report: Figures) -> Chart | None:
    if not report.events:
        return None
    series = {SHORT[k.kind]: k.per_slice for k in report.kinds if k.events}
    labels = [p.label for p in report.slices]
    chart = _bars("Events held, by quarter and kind", labels, series, stacked=True)
    busiest = max(range(len(labels)), key=lambda i: report.events_per_slice[i])
    alt = (
        f"Stacked bar chart of {report.events} events by quarter and kind; the busiest quarter "
        f"was {labels[busiest]} with {report.events_per_slice[busiest]}."
    )
    return _image(chart, alt)


def people_by_slice(report: Figures) -> Chart | None:
    if not report.people:
        return None
    labels = [p.label for p in report.slices]
    chart = _bars("People reached, by quarter", labels, {"People reached": report.people_per_slice})
    return _image(chart, f"Bar chart of {report.people:,} people reached, by quarter.")


def themes(report: Figures) -> Chart | None:
    rows = [(t.theme.label if t.theme else "No theme", t.events) for t in report.themes]
    if not rows:
        return None
    top = rows[0]
    chart = _horizontal("Events by theme", rows)
    return _image(chart, f"Bar chart of events by theme; the most was {top[0]} with {top[1]}.")


def items(report: Figures) -> Chart | None:
    if not report.items:
        return None
    top = report.items[0]
    chart = _horizontal("Crime-prevention items handed out", report.items)
    return _image(
        chart,
        f"Bar chart of {report.items_total:,} items handed out; "
        f"the most was {top[0]} ({top[1]:,}).",
    )


def wards(report: Figures) -> Chart | None:
    if not report.wards:
        return None
    chart = _horizontal("Items handed out, by ward", report.wards)
    top = report.wards[0]
    return _image(
        chart, f"Bar chart of items handed out by ward; the most was {top[0]} ({top[1]:,})."
    )


def speedwatch(report: Figures) -> Chart | None:
    rows = [
        (s.name, round(100 * s.share_over, 1)) for s in report.sites if s.share_over is not None
    ]
    if not rows:
        return None
    chart = _horizontal(
        "Share of vehicles at or over the threshold, by site", rows, formatter=lambda v: f"{v:g}%"
    )
    worst = max(rows, key=lambda r: r[1])
    return _image(
        chart,
        f"Bar chart of the share of vehicles at or over the enforcement threshold by Speedwatch "
        f"site; the highest was {worst[0]} at {worst[1]:g}%.",
    )


def hours_by_slice(report: Figures) -> Chart | None:
    if not report.minutes:
        return None
    labels = [p.label for p in report.slices]
    values = [round(m / 60, 1) for m in report.minutes_per_slice]
    chart = _bars("Volunteer hours, by quarter", labels, {"Hours": values})
    return _image(chart, f"Bar chart of {hours(report.minutes)} volunteer hours, by quarter.")


def year_on_year(report: Figures, before: Figures) -> Chart | None:
    kinds = [k.kind for k in report.kinds if k.events or before.kind(k.kind).events]
    if not kinds:
        return None
    # "Surgeries": with "NHW surgeries" the names of five kinds ran into each other.
    names = {**SHORT, EventKind.SURGERY: "Surgeries", EventKind.OTHER_ENGAGEMENT: "Other"}
    chart = _bars(
        "Events by kind: this period and a year earlier",
        [names[k] for k in kinds],
        {
            "A year earlier": [before.kind(k).events for k in kinds],
            "This period": [report.kind(k).events for k in kinds],
        },
    )
    return _image(
        chart,
        f"Bar chart comparing events by kind with a year earlier: {report.events} events in "
        f"this period against {before.events}.",
    )


def all_charts(report: Figures, before: Figures) -> dict[str, Chart | None]:
    return {
        "events": events_by_slice(report),
        "people": people_by_slice(report),
        "themes": themes(report),
        "items": items(report),
        "wards": wards(report),
        "speedwatch": speedwatch(report),
        "hours": hours_by_slice(report),
        "year_on_year": year_on_year(report, before),
    }
