"""SLA clocks, plans and calendars, and the due-sorted queue, for the command line (issue 4).

Durations of business time read in hours and minutes ("50h", "7h 30m"), never in days:
a business day is as long as its calendar says. Due times show in the desk's local time
and, when that differs, in the calendar's own zone too, so a hand calculation on the
calendar can be checked against what is printed. States are coloured by how close they
are to breach (:data:`STATE_STYLES`, the same the console should use).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..clock import iso
from ..desk import Ticket, human_age, local
from ..desk.calendar import DAY_NAMES, MIDNIGHT, BusinessCalendar
from ..desk.courtesy import courtesy_due_at, courtesy_overdue
from ..desk.sla import SlaReport
from ..store.sla import MatrixEntry, SlaPlan
from ..vocab import PRIORITIES, STATUS_LABELS
from .base import NARROW, WIDE, cell, plain, table

#: Rich styles of the SLA states, by how close they are to breach.
STATE_STYLES = {
    "breached": "bold red",
    "at risk": "yellow",
    "on track": "green",
    "paused": "dim",
    "met": "blue",
    "": "",
}
#: ``ticket list --sort due`` / SLA views: JSON keys and CSV columns beyond the ticket's.
SLA_LIST_EXTRA = ("sla_state",)


def duration(delta: timedelta) -> str:
    """Hours and minutes: "50h", "7h 30m", "30m", "0m"; negative as "-2h"."""
    seconds = int(round(delta.total_seconds()))
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        return f"{sign}{hours}h {minutes}m"
    return f"{sign}{hours}h" if hours else f"{sign}{minutes}m"


def state_text(state: str) -> Text:
    return Text(state or "-", style=STATE_STYLES.get(state, ""))


def _due(moment: datetime | None, now: datetime, zone: str | None = None) -> str:
    if moment is None:
        return "-"
    shown = local(moment, now=now)
    if zone:
        there = moment.astimezone(ZoneInfo(zone))
        if there.utcoffset() != moment.astimezone().utcoffset():
            shown += f" ({there:%a %d %b %H:%M %Z})"
    late = now - moment
    if late > timedelta(0):
        return f"{shown}, {human_age(late)} ago"
    return f"{shown}, in {human_age(-late)}" if late < timedelta(0) else f"{shown}, now"


# -- sla show ---------------------------------------------------------------------------------


def sla_report_data(report: SlaReport) -> dict[str, Any]:
    """``sla show --format json``: times ISO 8601 UTC, durations in whole seconds."""
    t, plan = report.ticket, report.plan
    return {
        "ticket": t.id,
        "status": t.status,
        "tier": report.tier,
        "priority": t.priority,
        "business_critical": t.business_critical,
        "critical": report.critical,
        "plan": plan_record(plan) if plan else None,
        "calendar": calendar_record(report.calendar) if report.calendar else None,
        "due_at": iso(report.due_at),
        "state": report.state,
        "now": iso(report.now),
        "clocks": [
            {
                "key": c.key,
                "name": c.name,
                "basis": c.basis,
                "target_seconds": int(c.target.total_seconds()),
                "elapsed_seconds": int(c.elapsed.total_seconds()),
                "paused_seconds": int(c.paused.total_seconds()),
                "remaining_seconds": int(c.remaining.total_seconds()),
                "start": iso(c.start),
                "due": iso(c.due),
                "met_at": iso(c.met_at),
                "state": c.state,
                "note": c.note,
            }
            for c in report.clocks
        ],
    }


def sla_report(report: SlaReport) -> RenderableType:
    """``sla show``: the plan and why, then one row per clock."""
    t, plan, now = report.ticket, report.plan, report.now
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold", no_wrap=True)
    header.add_column(overflow="fold")
    header.add_row(Text("Ticket"), cell(f"#{t.id}: {t.title}", WIDE))
    header.add_row(Text("Status"), cell(STATUS_LABELS.get(t.status, t.status)))
    why = f"tier {report.tier}, priority {t.priority}"
    if t.business_critical:
        why += ", business-critical"
    elif t.priority == "urgent":
        why += " (counts as business-critical)"
    if plan is None:
        header.add_row(Text("Plan"), cell(f"none ({why}): run `helpdesk init` to load SLA plans"))
        return header
    header.add_row(Text("Plan"), cell(f"{plan.name} ({why})"))
    if report.calendar is not None:
        header.add_row(Text("Calendar"), cell(calendar_summary(report.calendar)))
    pauses = ", ".join(STATUS_LABELS.get(s, s) for s in plan.pause_statuses) or "never"
    header.add_row(Text("Pauses while"), cell(pauses))
    header.add_row(Text("Next due"), cell(_due(report.due_at, now)))
    header.add_row(Text("State"), state_text(report.state))
    zone = report.calendar.timezone if report.calendar else None
    clocks = table(
        ["Clock", "Target", "Elapsed", "Paused", "Left", "Due", "State", "Note"],
        [
            (
                c.name,
                duration(c.target) + ("" if c.basis == "business" else " (wall)"),
                duration(c.elapsed),
                duration(c.paused) if c.basis == "business" else "-",
                duration(c.remaining) if c.met_at is None else "-",
                f"met {local(c.met_at, now=now)}" if c.met_at else _due(c.due, now, zone),
                state_text(c.state),
                c.note,
            )
            for c in report.clocks
        ],
    )
    clocks.title = "Clocks (business time on the plan's calendar unless marked wall)"
    return Group(header, clocks)


# -- plans, the matrix and calendars ----------------------------------------------------------


def plan_record(plan: SlaPlan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "calendar": plan.calendar,
        "first_response_minutes": plan.first_response_minutes,
        "courtesy_minutes": plan.courtesy_minutes,
        "resolution_minutes": plan.resolution_minutes,
        "pause_statuses": list(plan.pause_statuses),
    }


def calendar_record(cal: BusinessCalendar) -> dict[str, Any]:
    return {
        "name": cal.name,
        "timezone": cal.timezone,
        "always_open": cal.always_open,
        "hours": {
            DAY_NAMES[day].lower(): [_span(a, b) for a, b in spans]
            for day, spans in sorted(cal.weekly.items())
            if spans
        },
        "holidays": sorted(h.isoformat() for h in cal.holidays),
    }


def _span(start: Any, end: Any) -> str:
    return f"{start:%H:%M}-{'24:00' if end == MIDNIGHT else f'{end:%H:%M}'}"


def calendar_summary(cal: BusinessCalendar) -> str:
    """ "office: Mon-Fri 08:00-18:00, Europe/Madrid, 20 holidays" (runs of equal days joined)."""
    if cal.always_open:
        return f"{cal.name}: 24/7 ({cal.timezone})"
    runs: list[tuple[int, int, str]] = []
    for day in range(7):
        hours = ", ".join(_span(a, b) for a, b in cal.weekly.get(day, ()))
        if runs and runs[-1][2] == hours and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day, hours)
        else:
            runs.append((day, day, hours))
    parts = [
        (DAY_NAMES[a][:3] if a == b else f"{DAY_NAMES[a][:3]}-{DAY_NAMES[b][:3]}") + f" {hours}"
        for a, b, hours in runs
        if hours
    ]
    return f"{cal.name}: {'; '.join(parts)}, {cal.timezone}, {len(cal.holidays)} holidays"


def plans_data(
    plans: Sequence[SlaPlan], matrix: Sequence[MatrixEntry], calendars: Sequence[BusinessCalendar]
) -> dict[str, Any]:
    """``sla plans --format json``."""
    return {
        "plans": [plan_record(p) for p in plans],
        "matrix": [plain(e) for e in matrix],
        "calendars": [calendar_record(c) for c in calendars],
    }


def plans_view(
    plans: Sequence[SlaPlan], matrix: Sequence[MatrixEntry], calendars: Sequence[BusinessCalendar]
) -> RenderableType:
    """``sla plans``: the plans, which tier and priority get which, and the calendars."""
    plan_table = table(
        ["Plan", "Calendar", "First response", "Resolution", "Courtesy (wall)", "Pauses while"],
        [
            (
                p.name,
                p.calendar,
                duration(timedelta(minutes=p.first_response_minutes)),
                duration(timedelta(minutes=p.resolution_minutes)),
                duration(timedelta(minutes=p.courtesy_minutes)),
                ", ".join(STATUS_LABELS.get(s, s) for s in p.pause_statuses) or "never",
            )
            for p in plans
        ],
    )
    plan_table.title = "SLA plans"
    cells: dict[str, dict[str, str]] = {}
    for e in matrix:
        row = cells.setdefault(e.tier, {})
        row["critical" if e.business_critical else e.priority] = e.plan
        if e.business_critical and e.priority == "urgent":
            row["critical"] = e.plan
    grid = table(
        ["Tier", *PRIORITIES, "business-critical"],
        [
            (tier, *(row.get(p, "-") for p in PRIORITIES), row.get("critical", "-"))
            for tier, row in cells.items()
        ],
    )
    grid.title = "Plan by tier and priority (urgent counts as business-critical)"
    cal_table = table(["Calendar"], [(calendar_summary(c),) for c in calendars])
    return Group(plan_table, grid, cal_table)


# -- the queue by due time ----------------------------------------------------------------------


def sla_ticket_records(
    records: Sequence[dict[str, Any]],
    tickets: Sequence[Ticket],
    states: Mapping[int, str],
    intervals: Mapping[str, timedelta],
    now: datetime,
) -> list[dict[str, Any]]:
    """``ticket list`` rows with the SLA state and the plan's courtesy interval applied."""
    return [
        {
            **record,
            "courtesy_due": iso(courtesy_due_at(t, intervals)),
            "courtesy_overdue": courtesy_overdue(t, now, intervals),
            "sla_state": states.get(t.id, ""),
        }
        for record, t in zip(records, tickets, strict=True)
    ]


def due_tickets_table(
    tickets: Sequence[Ticket],
    now: datetime,
    states: Mapping[int, str],
    intervals: Mapping[str, timedelta],
    caption: str | None = None,
) -> Table:
    """The queue with its SLA columns: next due time and state, colour-coded."""
    rows = []
    for t in tickets:
        overdue = courtesy_overdue(t, now, intervals)
        rows.append(
            (
                t.id,
                _due(t.due_at, now) if t.due_at else "-",
                state_text(states.get(t.id, "")),
                t.priority + (" !" if t.business_critical else ""),
                t.sla_plan or "-",
                t.customer_name,
                t.title,
                STATUS_LABELS.get(t.status, t.status),
                t.owner or "",
                human_age(now - t.created_at),
                "overdue" if overdue else "",
            )
        )
    return table(
        [
            "#",
            "Due",
            "SLA",
            "Priority",
            "Plan",
            "Customer",
            "Title",
            "Status",
            "Owner",
            "Age",
            "Update",
        ],
        rows,
        widths=[None, None, None, None, None, NARROW, WIDE, None, NARROW],
        caption=caption,
    )
