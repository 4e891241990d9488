"""Charts of the metrics screen: the week's heatmap, the daily trend, backlog ages (issue 7).

Thin widgets over the Rich charts of :mod:`helpdesk_tui.output.charts` (the CLI draws
the same ones) and Textual's own :class:`~textual.widgets.Sparkline` for the trend.
Every label here is the desk's own text, never something a user typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline, Static

from ..desk.metrics_contacts import ContactVolume
from ..desk.metrics_period import WEEKDAYS
from ..desk.metrics_tickets import AgeBucket
from ..output.charts import bars, heatmap


class HeatmapView(Static):
    """Contacts by local hour (across) and weekday (down): where the peaks are."""

    def show(self, volume: ContactVolume) -> None:
        peak = volume.peak
        title = "Contacts by hour and weekday"
        if peak:
            title += f" (peak {WEEKDAYS[peak[0]]} {peak[1]:02d}:00, {peak[2]:,})"
        self.update(heatmap(volume.heatmap, WEEKDAYS, title))


class TrendLine(Vertical):
    """Contacts per day as a sparkline, with the first and last day under it."""

    DEFAULT_CSS = """
    TrendLine { height: 4; }
    TrendLine Sparkline { height: 2; }
    TrendLine Label { width: 100%; }
    """

    def compose(self) -> ComposeResult:
        yield Label("Contacts per day", id="trend-title", markup=False)
        yield Sparkline([], id="trend-line")
        yield Label("", id="trend-ends", markup=False)

    def show(self, days: Sequence[tuple[str, int]]) -> None:
        values = [n for _, n in days]
        self.query_one(Sparkline).data = values or [0]
        title = "Contacts per day"
        if values:
            title += f": most {max(values):,}, least {min(values):,}, {sum(values):,} in all"
        self.query_one("#trend-title", Label).update(title)
        ends = f"{days[0][0]} … {days[-1][0]}" if days else ""
        self.query_one("#trend-ends", Label).update(ends)


class AgeBars(Static):
    """The backlog by age as bars."""

    def show(self, buckets: Sequence[AgeBucket]) -> None:
        total = sum(b.tickets for b in buckets)
        chart = bars([(b.label, b.tickets) for b in buckets], 30)
        chart.title = f"Backlog now: {total:,} open tickets by age"
        chart.title_justify = "left"
        self.update(chart)
