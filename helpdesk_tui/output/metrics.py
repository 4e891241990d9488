"""The report, staffing and call imports for the terminal, JSON and CSV (issue 7).

Table view: per section a summary, its charts (heatmap of the week, trend per day,
backlog ages) and its tables. JSON: the report's records as they are (shares as
fractions, durations in seconds, times ISO 8601 UTC). CSV: one line per value
(:func:`.metrics_tables.long_rows`), or one file per table (:func:`export_sheets`).
User text (comments, titles, names) goes through :func:`.base.cell`.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..desk import human_age
from ..desk.metrics import CallImport, Report
from ..desk.metrics_period import WEEKDAYS, Period
from ..desk.metrics_staffing import Staffing
from ..textsafe import printable
from .base import NARROW, WIDE, plain, table
from .charts import bars, heatmap, sparkline
from .metrics_tables import LONG_COLUMNS, Sheet, long_rows, sheets

VERDICT_STYLES = {"under": "bold red", "over": "blue", "": ""}


def seconds_text(value: float) -> str:
    """45s, 12m, 3h 12m, 2d 4h."""
    if value < 60:
        return f"{value:.0f}s"
    return human_age(timedelta(seconds=value))


def show(value: Any, unit: str) -> str:
    """A raw value as it reads in a table; ``-`` for nothing to measure."""
    if value is None:
        return "-"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "seconds":
        return seconds_text(float(value))
    if unit in ("rating", "float"):
        return f"{value:,.2f}"
    if unit in ("count", "agents") and isinstance(value, int | float):
        return f"{value:,.0f}"
    return str(value)


def header(column: str) -> str:
    """``median_resolve_seconds`` reads "median resolve" (the cells say the unit)."""
    return column.removesuffix("_seconds").replace("_", " ")


def sheet_table(sheet: Sheet, *, limit: int | None = None) -> Table:
    """A sheet as a Rich table; summary sheets as label and value."""
    if sheet.is_summary:
        out = Table.grid(padding=(0, 2))
        out.add_column(no_wrap=True)
        out.add_column(justify="right", no_wrap=True)
        for _, label, value, unit in sheet.rows:
            out.add_row(Text(label), Text(show(value, unit)))
        return out
    rows = sheet.rows[:limit] if limit else sheet.rows
    widths = [WIDE if c in ("comment", "title") else NARROW for c in sheet.columns]
    shown = table(
        [header(c) for c in sheet.columns],
        [
            [show(v, u) if u != "text" else v for v, u in zip(r, sheet.units, strict=True)]
            for r in rows
        ],
        widths=widths,
        caption=f"{len(rows)} of {len(sheet.rows)}" if len(rows) < len(sheet.rows) else None,
    )
    shown.title = sheet.title
    for column, unit in zip(shown.columns, sheet.units, strict=True):
        if unit != "text":
            column.justify = "right"
    return shown


def _charts(report: Report, section: str) -> list[RenderableType]:
    if section == "contacts" and report.contacts is not None:
        c = report.contacts
        trend = [d.contacts for d in c.per_day]
        peak = c.peak
        lines: list[RenderableType] = [
            heatmap(c.heatmap, WEEKDAYS, "Contacts by hour of day (local) and weekday")
        ]
        if peak:
            lines.append(Text(f"Peak: {WEEKDAYS[peak[0]]} {peak[1]:02d}:00, {peak[2]:,} contacts"))
        if trend:
            lines.append(
                Text(f"Per day {c.per_day[0].day} {sparkline(trend)} {c.per_day[-1].day}  "
                     f"(most {max(trend):,}, least {min(trend):,})")
            )  # fmt: skip
        lines.append(bars([(k, v) for k, v in c.by_channel.items()], 30))
        return lines
    if section == "tickets" and report.tickets is not None:
        return [
            Text("Backlog by age"),
            bars([(b.label, b.tickets) for b in report.tickets.age_buckets], 30),
        ]
    if section == "satisfaction" and report.satisfaction is not None:
        dist = report.satisfaction.distribution
        return [bars([(f"{'★' * r:<5}", n) for r, n in sorted(dist.items(), reverse=True)], 30)]
    if section == "staffing" and report.staffing is not None:
        return [staffing_grid(report.staffing)]
    return []


#: Sheets the table view leaves to the charts (JSON and CSV still carry them).
_CHARTED = {"contacts.heatmap", "contacts.per_day", "contacts.by_channel",
            "tickets.backlog_age", "satisfaction.distribution", "staffing.hours"}  # fmt: skip
#: Long sheets are cut in the table view (JSON and CSV have every row).
_LIMITS = {"products.products": 15, "products.categories": 15, "agents.agents": 30}


def report_view(report: Report, *, header: bool = True) -> RenderableType:
    """``helpdesk report`` as tables and charts (``header``: the period line first)."""
    parts: list[RenderableType] = []
    if header:
        parts.append(Text(f"Report for {report.period.label}", style="bold"))
    all_sheets = sheets(report)
    for section in report.sections:
        parts.append(Rule(section.title(), align="left"))
        for sheet in (s for s in all_sheets if s.section == section):
            if sheet.key in _CHARTED:
                continue
            if sheet.note:
                parts.append(Text(sheet.note, style="dim"))
            if not sheet.rows and not sheet.is_summary:
                parts.append(Text(f"{sheet.title}: none in this period", style="dim"))
                continue
            parts.append(sheet_table(sheet, limit=_LIMITS.get(sheet.key)))
        parts.extend(_charts(report, section))
    if report.breakdown is not None:
        parts.append(Rule(f"By {report.breakdown.dimension}", align="left"))
        parts.append(sheet_table(all_sheets[-1]))
    return Group(*parts)


def staffing_grid(st: Staffing) -> Table:
    """Needed / worked per hour of the week: red under-staffed, blue over-staffed."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    hours = [h for h in range(24) if any(x.needed or x.worked for x in st.hours if x.hour == h)]
    for _ in hours:
        grid.add_column(justify="right", no_wrap=True)
    grid.add_row(
        Text("needed/worked", style="dim"), *(Text(f"{h:02d}", style="dim") for h in hours)
    )
    by_key = {(x.weekday, x.hour): x for x in st.hours}
    for day, name in enumerate(WEEKDAYS):
        cells = []
        for h in hours:
            x = by_key[(day, h)]
            cells.append(Text(f"{x.needed}/{x.worked:.0f}", style=VERDICT_STYLES[x.verdict]))
        grid.add_row(Text(name), *cells)
    return grid


def staffing_view(st: Staffing, period: Period) -> RenderableType:
    """``helpdesk staffing``: the inputs, the week's grid and the hours that stand out."""
    report = Report(period, datetime.now(), ("staffing",), staffing=st)
    inputs = sheets(report)[0]
    parts: list[RenderableType] = [
        Text(f"Staffing for {period.label}", style="bold"),
        sheet_table(inputs),
        Text("Per hour of the week (local): agents needed / agents who worked; "
             "red: under-staffed, blue: over-staffed", style="dim"),
        staffing_grid(st),
    ]  # fmt: skip
    out = [x for x in st.hours if x.verdict]
    if out:
        parts.append(
            table(
                ["When", "Arrivals/h", "AHT", "Erlangs", "Needed", "Worked", ""],
                [
                    (
                        f"{WEEKDAYS[x.weekday]} {x.hour:02d}:00",
                        f"{x.arrivals_per_hour:.1f}",
                        seconds_text(x.aht_seconds),
                        f"{x.load:.2f}",
                        x.needed,
                        f"{x.worked:.1f}",
                        Text(f"{x.verdict}-staffed", style=VERDICT_STYLES[x.verdict]),
                    )
                    for x in out
                ],
            )  # fmt: skip
        )
    return Group(*parts)


# -- JSON and CSV -------------------------------------------------------------------------


def report_data(report: Report) -> dict[str, Any]:
    """``report --format json``: the period (with its label), then each section asked for."""
    data: dict[str, Any] = {
        "period": {
            "name": report.period.name,
            "label": report.period.label,
            "from": plain(report.period.start),
            "to": plain(report.period.end),
        },
        "generated_at": plain(report.generated_at),
        "sections": list(report.sections),
    }
    for name in (*report.sections, "breakdown"):
        value = getattr(report, name)
        if value is not None:
            data[name] = plain(value)
    if report.contacts is not None:
        data["contacts"]["heatmap_weekdays"] = list(WEEKDAYS)
    return data


def staffing_data(st: Staffing, period: Period) -> dict[str, Any]:
    return {
        "period": report_data(Report(period, datetime.now(), ()))["period"],
        **plain(st),
        "weekdays": list(WEEKDAYS),
    }


def write_long_csv(stream: IO[str], report: Report) -> None:
    writer = csv.writer(stream)
    writer.writerow(LONG_COLUMNS)
    for row in long_rows(sheets(report)):
        writer.writerow(["" if v is None else v for v in row])


def write_sheet(stream: IO[str], sheet: Sheet) -> None:
    writer = csv.writer(stream)
    writer.writerow(sheet.columns)
    for row in sheet.rows:
        writer.writerow(["" if v is None else v for v in row])


def export_sheets(report: Report, folder: Path) -> list[Path]:
    """One CSV per table in ``folder`` (created; an existing file is never overwritten)."""
    folder.mkdir(parents=True, exist_ok=False)
    written = []
    for sheet in sheets(report):
        path = folder / f"{sheet.key.replace('.', '-')}.csv"
        with path.open("x", encoding="utf-8", newline="") as stream:
            write_sheet(stream, sheet)
        written.append(path)
    return written


def import_lines(done: CallImport) -> list[str]:
    """What ``calls import`` says: the counts, then each broken line with its number."""
    lines = [
        f"{done.imported:,} new calls imported from {done.path} ({done.read:,} read, "
        f"{done.already_there:,} already there)"
    ]
    if done.unknown_events:
        names = ", ".join(f"{k} {v}" for k, v in sorted(done.unknown_events.items()))
        count = sum(done.unknown_events.values())
        lines.append(f"skipped {count:,} lines with events this desk does not know ({names})")
    if done.still_waiting:
        lines.append(
            f"{done.still_waiting:,} callers were still waiting when the log ends: "
            "import a later log to count them"
        )
    return [printable(line, single_line=True) for line in lines]


def problem_lines(done: CallImport) -> list[str]:
    lines = [f"line {n}: {printable(what, single_line=True)}" for n, what in done.problems]
    hidden = done.problem_count - len(done.problems)
    if hidden > 0:
        lines.append(f"... and {hidden:,} more broken lines")
    return lines
