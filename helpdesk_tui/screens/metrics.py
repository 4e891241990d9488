"""The Metrics section (key 6): what the contact log and the tickets tell a team lead.

Seed 002: management studies the contact log for peaks and troughs to set staffing and
opening hours; seed 003: which products cause the most work, how long they take; seed
001: response time, resolution rate, satisfaction. The figures are the same as
``helpdesk report`` (one desk call), computed in a thread worker behind a loading
indicator so the console never freezes, even on a million tickets.

Keys: ``t`` today, ``w`` this week, ``m`` last 30 days, ``c`` custom dates, ``b`` break
down by channel, hour, weekday, category, product, department, level (agent: leads and
admins), ``x`` export every table as CSV files, ``r`` recompute.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, LoadingIndicator, Static

from ..desk import DeskError
from ..desk.metrics import Report
from ..desk.metrics_agents import DIMENSIONS
from ..desk.metrics_period import PERIOD_LABELS, Period
from ..desk.permissions import allowed
from ..output.metrics import export_sheets, report_view, sheet_table
from ..output.metrics_tables import sheets
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.metrics_charts import AgeBars, HeatmapView, TrendLine
from ..widgets.topbar import TopBar
from .base import DeskScreen
from .form_dialog import Field, FormDialog

HELP = "t today · w week · m 30 days · c custom · b breakdown · x export CSV · r recompute"
#: Sections drawn as widgets at the top; the rest follow as tables.
TOP = ("contacts", "tickets")


class MetricsScreen(DeskScreen):
    """The chosen period's figures: charts first, then every table."""

    DEFAULT_CSS = """
    MetricsScreen #metrics-title { height: 1; padding: 0 1; background: $boost; }
    MetricsScreen #metrics-loading { height: 3; }
    MetricsScreen #metrics-body { height: 1fr; padding: 0 1; }
    MetricsScreen .metrics-row { height: auto; margin-bottom: 1; }
    MetricsScreen .metrics-row > Static { width: auto; margin-right: 4; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "period('today')", "Today", id="metrics.today"),
        Binding("w", "period('week')", "This week", id="metrics.week"),
        Binding("m", "period('30d')", "30 days", id="metrics.30d"),
        Binding("c", "custom", "Custom dates", id="metrics.custom"),
        Binding("b", "breakdown", "Breakdown", id="metrics.breakdown"),
        Binding("x", "export", "Export CSV", id="metrics.export"),
        Binding("r", "recompute", "Recompute", id="metrics.recompute"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period_name = "30d"
        self.custom: Period | None = None
        self.by: str | None = None
        self.figures: Report | None = None
        self.computing = False

    def compose(self) -> ComposeResult:
        yield TopBar("metrics")
        yield BulletinBar()
        yield Static(id="metrics-title", markup=False)
        yield LoadingIndicator(id="metrics-loading")
        with VerticalScroll(id="metrics-body"):
            with Horizontal(classes="metrics-row"):
                yield Static(id="m-contacts", markup=False)
                yield HeatmapView(id="m-heatmap", markup=False)
            yield TrendLine(id="m-trend")
            with Horizontal(classes="metrics-row"):
                yield Static(id="m-tickets", markup=False)
                yield AgeBars(id="m-ages", markup=False)
            yield Static(id="m-rest", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#metrics-body").focus()
        self.compute()

    # -- computing -----------------------------------------------------------------------
    def compute(self) -> None:
        """Work the report out in a thread worker; the loading indicator shows meanwhile."""
        self.computing = True
        self.query_one("#metrics-loading").display = True
        self._title()
        name, custom, by = self.period_name, self.custom, self.by

        def work() -> Report:
            period = custom if name == "custom" and custom else self.desk.preset_period(name)
            return self.desk.report(period, by=by)

        self.run_desk(work, self._show, failed=self._failed, group="metrics", exclusive=True)

    def _failed(self, error: DeskError) -> None:
        self.computing = False
        self.query_one("#metrics-loading").display = False
        self._title()
        self.report(error)

    def _show(self, report: Report) -> None:
        self.figures = report
        self.computing = False
        self.query_one("#metrics-loading").display = False
        all_sheets = {s.key: s for s in sheets(report)}
        if report.contacts is not None:
            self.query_one("#m-contacts", Static).update(
                sheet_table(all_sheets["contacts.summary"])
            )
            self.query_one(HeatmapView).show(report.contacts)
            self.query_one(TrendLine).show([(d.day, d.contacts) for d in report.contacts.per_day])
        if report.tickets is not None:
            self.query_one("#m-tickets", Static).update(sheet_table(all_sheets["tickets.summary"]))
            self.query_one(AgeBars).show(report.tickets.age_buckets)
        rest = dataclasses.replace(
            report,
            sections=tuple(s for s in report.sections if s not in TOP),
        )
        self.query_one("#m-rest", Static).update(_without_header(rest, report))
        self._title()

    def _title(self) -> None:
        line = Text(" Metrics ", style="bold")
        if self.figures is not None:
            line.append(f" {self.figures.period.label}")
        else:
            line.append(f" {PERIOD_LABELS[self.period_name]}")
        if self.by:
            line.append(f" · by {self.by}")
        if self.computing:
            line.append("  computing…", style="italic")
        line.append(f"   {HELP}", style="dim")
        self.query_one("#metrics-title", Static).update(line)

    # -- choices -------------------------------------------------------------------------------
    def action_period(self, name: str) -> None:
        self.period_name = name
        self.compute()

    def action_recompute(self) -> None:
        self.compute()

    def action_custom(self) -> None:
        current = self.figures.period if self.figures else None

        def save(values: dict[str, str]) -> Period:
            return self.desk.report_period(values["from"] or None, values["to"] or None)

        def chosen(period: Period | None) -> None:
            if period is not None:
                self.custom, self.period_name = period, "custom"
                self.compute()

        start = current.start.astimezone().strftime("%Y-%m-%d") if current else ""
        self.app.push_screen(
            FormDialog(
                "Period",
                [
                    Field("from", "From (YYYY-MM-DD, or YYYY-MM-DDTHH:MM)", initial=start),
                    Field("to", "To (a date includes that whole day; empty: now)"),
                ],
                save,
                hint="Local time, unless a time names its zone.",
            ),
            chosen,
        )

    def action_breakdown(self) -> None:
        # the user read at start-up: the UI thread never waits for the store's lock
        lead = allowed(self.app.user, "metrics.agents")  # type: ignore[attr-defined]
        dims = [d for d in DIMENSIONS if lead or d != "agent"]
        choices = (("none", "no breakdown"), *((d, f"by {d}") for d in dims))

        def save(values: dict[str, str]) -> str:
            return values["by"]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.by = None if value == "none" else value
                self.compute()

        self.app.push_screen(
            FormDialog(
                "Break the figures down",
                [Field("by", "By", "choice", choices, self.by or "none")],
                save,
            ),
            chosen,
        )

    def action_export(self) -> None:
        report = self.figures
        if report is None or self.computing:
            self.say("The figures are still being worked out; export when they show.")
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = Path.cwd() / f"helpdesk-report-{stamp}"
        app = self.app

        def job() -> None:
            try:
                written = export_sheets(report, folder)
            except OSError as exc:
                app.call_from_thread(
                    self.report_error, f"cannot export to {folder}: {exc.strerror}"
                )
                return
            app.call_from_thread(self.say, f"{len(written)} tables written as CSV to {folder}")

        self.run_worker(job, thread=True, group="metrics-export")

    def report_error(self, message: str) -> None:
        self.app.notify(message, severity="error", markup=False, timeout=8)


def _without_header(rest: Report, full: Report) -> Any:
    """The lower sections as ``helpdesk report`` prints them, without its period line."""
    if not rest.sections and full.breakdown is None:
        return Text("")
    return report_view(rest, header=False)
