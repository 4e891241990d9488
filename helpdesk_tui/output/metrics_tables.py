"""The report as named tables of raw values: one source for the terminal, CSV and export.

Each :class:`Sheet` has a stable key (``section.table``), column names and rows of raw
values: counts, shares as fractions (0.25), durations in seconds, ratings; ``None`` where
there is nothing to measure. Summary sheets have the columns ``figure, label, value,
unit`` (unit: ``count``, ``share``, ``seconds``, ``rating``, ``agents``, ``text``).
The terminal formats values by their unit (or the column's); CSV keeps them raw.

The long CSV of ``helpdesk report --format csv`` has one line per value:
``section,table,row,column,value`` (``row`` is the sheet's first column, ``column`` the
other column's name; for summary sheets ``column`` is ``value``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..clock import iso
from ..desk.metrics import Report
from ..desk.metrics_period import WEEKDAYS
from ..desk.metrics_stats import Durations
from ..desk.transitions import LEVEL_NAMES

SUMMARY_COLUMNS = ("figure", "label", "value", "unit")


@dataclass(frozen=True)
class Sheet:
    key: str  # section.table
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    #: Per column: count, share, seconds, rating, float, text (summary sheets: per row unit).
    units: tuple[str, ...] = ()
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def is_summary(self) -> bool:
        return self.columns == SUMMARY_COLUMNS


class _Summary:
    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def add(self, key: str, label: str, value: Any, unit: str = "count") -> None:
        self.rows.append((key, label, value, unit))

    def durations(self, key: str, label: str, d: Durations) -> None:
        self.add(f"{key}_median_seconds", f"{label}, median", d.median_seconds, "seconds")
        self.add(f"{key}_p90_seconds", f"{label}, 90th percentile", d.p90_seconds, "seconds")


def sheets(report: Report) -> list[Sheet]:
    """Every table of the report, in print order."""
    out: list[Sheet] = []
    for name in report.sections:
        out.extend(_BUILDERS[name](report))
    if report.breakdown is not None:
        out.append(_breakdown(report))
    return out


def _summary(key: str, title: str, s: _Summary, note: str = "") -> Sheet:
    return Sheet(key, title, SUMMARY_COLUMNS, s.rows, note=note)


def _contacts(r: Report) -> list[Sheet]:
    c = r.contacts
    assert c is not None
    s = _Summary()
    s.add("contacts", "Contacts", c.total)
    s.add("walk_ins", "Walk-ins", c.walk_ins)
    s.add("complaints", "Complaints", c.complaints)
    s.add("answered_first_contact", "Answered at first contact", c.answered_first_contact)
    s.add("tickets_opened", "Opened a ticket", c.tickets_opened)
    s.add("added_to_tickets", "Added to an existing ticket", c.added_to_tickets)
    s.add("answered_without_ticket", "Answered with no ticket", c.answered_without_ticket)
    s.add(
        "first_contact_resolution", "First-contact resolution", c.first_contact_resolution, "share"
    )
    return [
        _summary("contacts.summary", "Contact volume", s),
        Sheet(
            "contacts.by_channel",
            "By channel",
            ("channel", "contacts"),
            list(c.by_channel.items()),
            ("text", "count"),
        ),  # fmt: skip
        Sheet(
            "contacts.heatmap",
            "Contacts by hour of day and weekday (local time)",
            ("weekday", *(f"{h:02d}" for h in range(24))),
            [(WEEKDAYS[d], *row) for d, row in enumerate(c.heatmap)],
            ("text", *(["count"] * 24)),
        ),
        Sheet(
            "contacts.per_day",
            "Per day",
            ("day", "contacts"),
            [(d.day, d.contacts) for d in c.per_day],
            ("text", "count"),
        ),  # fmt: skip
    ]


def _tickets(r: Report) -> list[Sheet]:
    t = r.tickets
    assert t is not None
    s = _Summary()
    s.add("opened", "Opened", t.opened)
    s.add("resolved", "Resolved", t.resolved)
    s.add("closed", "Closed", t.closed)
    s.add("reopened", "Reopened", t.reopened)
    s.add("resolution_rate", "Opened in the period and resolved by now", t.resolution_rate, "share")
    s.add("backlog", "Backlog now (open tickets)", t.backlog)
    s.add(
        "first_contact_resolution", "First-contact resolution", t.first_contact_resolution, "share"
    )
    s.durations("first_response", "First response", t.first_response)
    s.durations("resolution", "Resolution", t.resolution)
    s.add("escalated", "Escalated", t.escalated)
    s.add("escalation_rate", "Escalation rate", t.escalation_rate, "share")
    sla = t.sla
    s.add("sla_tickets", "Resolved on an SLA plan", sla.tickets)
    s.add("sla_checked", "... clocks checked (an even spread when many)", sla.checked)
    s.add("sla_compliance", "SLA compliance (both clocks met)", sla.compliance, "share")
    s.add("sla_first_response_met", "First response met", sla.first_response_met)
    s.add("sla_first_response_breached", "First response breached", sla.first_response_breached)
    s.add("sla_resolution_met", "Resolution met", sla.resolution_met)
    s.add("sla_resolution_breached", "Resolution breached", sla.resolution_breached)
    s.durations(
        "business_first_response", "First response, business hours", sla.business_first_response
    )
    s.durations("business_resolution", "Resolution, business hours", sla.business_resolution)
    return [
        _summary("tickets.summary", "Tickets", s),
        Sheet(
            "tickets.backlog_age",
            "Backlog by age",
            ("age", "tickets"),
            [(b.label, b.tickets) for b in t.age_buckets],
            ("text", "count"),
        ),  # fmt: skip
        Sheet(
            "tickets.levels",
            "Time at each level (tickets resolved in the period)",
            ("level", "tickets", "mean_seconds"),
            [
                (LEVEL_NAMES.get(lt.level, f"level {lt.level}"), lt.tickets, lt.mean_seconds)
                for lt in t.levels
            ],  # fmt: skip
            ("text", "count", "seconds"),
        ),
    ]


def _asked(key: str, title: str, first: str, rows: list[Any]) -> Sheet:
    return Sheet(
        key,
        title,
        (first, "tickets", "resolved", "median_resolve_seconds", "p90_resolve_seconds"),
        [
            (
                a.name,
                a.tickets,
                a.resolved,
                a.time_to_resolve.median_seconds,
                a.time_to_resolve.p90_seconds,
            )
            for a in rows
        ],  # fmt: skip
        ("text", "count", "count", "seconds", "seconds"),
    )


def _products(r: Report) -> list[Sheet]:
    p = r.products
    assert p is not None
    return [
        _asked("products.products", "Products most asked about", "product", p.products),
        _asked(
            "products.categories",
            "Services (categories) most asked about",
            "category",
            p.categories,
        ),
    ]


def _satisfaction(r: Report) -> list[Sheet]:
    s = r.satisfaction
    assert s is not None
    summary = _Summary()
    summary.add("ratings", "Ratings given", s.ratings)
    summary.add("average", "Average rating (1-5)", s.average, "rating")
    summary.add("low", "Low ratings (2 or less)", s.low)
    summary.add("low_share", "Share low", s.low_share, "share")
    return [
        _summary("satisfaction.summary", "Customer satisfaction", summary),
        Sheet(
            "satisfaction.distribution",
            "Ratings",
            ("rating", "ratings"),
            list(s.distribution.items()),
            ("text", "count"),
        ),  # fmt: skip
        Sheet(
            "satisfaction.low",
            "Low ratings, newest first",
            ("ticket", "at", "rating", "comment", "recorded_by", "title"),
            [
                (x.ticket_id, iso(x.at), x.rating, x.comment, x.recorded_by, x.title)
                for x in s.lowest
            ],
            ("text", "text", "count", "text", "text", "text"),
        ),
    ]


def _knowledge(r: Report) -> list[Sheet]:
    k = r.knowledge
    assert k is not None
    s = _Summary()
    s.add("walks", "Tree walks", k.walks)
    s.add("solved", "Solved by the tree", k.solved)
    s.add("escalated", "Escalated from the tree", k.escalated)
    s.add("abandoned", "Abandoned", k.abandoned)
    s.add("solved_rate", "Solved-by-tree rate", k.solved_rate, "share")
    s.add("answered_without_ticket", "Contacts answered with no ticket", k.answered_without_ticket)
    s.add("solved_by_walk", "... of them after a solved walk", k.solved_by_walk)
    return [
        _summary("knowledge.summary", "Knowledge base", s),
        Sheet(
            "knowledge.articles",
            "Most walked articles",
            ("article", "title", "walks", "solved"),
            [(a.key, a.title, a.walks, a.solved) for a in k.articles],
            ("text", "text", "count", "count"),
        ),  # fmt: skip
    ]


def _bulletins(r: Report) -> list[Sheet]:
    assert r.bulletins is not None
    return [
        Sheet(
            "bulletins.links",
            "Contacts and tickets linked per bulletin",
            ("bulletin", "title", "status", "contacts", "tickets"),
            [(b.id, b.title, b.status, b.contacts, b.tickets) for b in r.bulletins],
            ("text", "text", "text", "count", "count"),
        )
    ]


def _agents(r: Report) -> list[Sheet]:
    assert r.agents is not None
    return [
        Sheet(
            "agents.agents",
            "Agents (leads and admins only)",
            ("agent", "name", "contacts", "tickets_resolved", "median_handle_seconds"),
            [
                (a.agent, a.name, a.contacts, a.tickets_resolved, a.median_handle_seconds)
                for a in r.agents
            ],
            ("text", "text", "count", "count", "seconds"),
        )
    ]


def _phone(r: Report) -> list[Sheet]:
    p = r.phone
    assert p is not None
    s = _Summary()
    s.add("offered", "Calls offered", p.offered)
    s.add("answered", "Answered", p.answered)
    s.add("abandoned", "Abandoned", p.abandoned)
    s.add("other_unanswered", "Timed out or left the queue", p.other_unanswered)
    s.add("abandon_rate", "Abandon rate", p.abandon_rate, "share")
    s.add("asa_seconds", "Average speed of answer", p.asa_seconds, "seconds")
    s.add("longest_wait_seconds", "Longest wait", p.longest_wait_seconds, "seconds")
    s.add(
        "service_level", f"Service level (answered within {p.target_seconds:g} s)",
        p.service_level, "share",
    )  # fmt: skip
    s.add("average_talk_seconds", "Average talk time", p.average_talk_seconds, "seconds")
    note = (
        ""
        if p.offered
        else "no call records in this period: import them with `helpdesk calls import`"
    )
    return [
        _summary("phone.summary", "Phone queue", s, note),
        Sheet(
            "phone.by_hour",
            "Queue over the day (local hour)",
            (
                "hour",
                "offered",
                "answered",
                "abandoned",
                "offered_per_day",
                "mean_waiting",
                "longest_wait_seconds",
            ),
            [
                (
                    f"{q.hour:02d}:00",
                    q.offered,
                    q.answered,
                    q.abandoned,
                    q.offered_per_day,
                    q.mean_waiting,
                    q.longest_wait_seconds,
                )
                for q in p.by_hour
            ],
            ("text", "count", "count", "count", "float", "float", "seconds"),
        ),  # fmt: skip
    ]


def _staffing(r: Report) -> list[Sheet]:
    st = r.staffing
    assert st is not None
    s = _Summary()
    s.add("target_seconds", "Answer within (target)", st.target_seconds, "seconds")
    s.add("target_level", "Share to answer in time (target)", st.target_level, "share")
    s.add("phone_source", "Phone arrivals from", st.phone_source, "text")
    for channel, seconds in st.aht_by_channel.items():
        s.add(f"aht_{channel}_seconds", f"Average handle time, {channel}", seconds, "seconds")
    if st.aht_assumed:
        s.add(
            "aht_assumed_seconds", "Average handle time (assumed: nothing timed)", None, "seconds"
        )
    s.add("peak_needed", "Most agents needed in one hour", st.peak_needed, "agents")
    s.add("hours_under", "Hours under-staffed", len(st.under))
    s.add("hours_over", "Hours over-staffed", len(st.over))
    return [
        _summary("staffing.inputs", "Staffing (Erlang C)", s),
        Sheet(
            "staffing.hours",
            "Agents needed and agents who worked, per hour of the week (local time)",
            (
                "weekday",
                "hour",
                "arrivals_per_hour",
                "aht_seconds",
                "load_erlangs",
                "needed",
                "service_level",
                "worked",
                "verdict",
            ),
            [
                (
                    WEEKDAYS[h.weekday],
                    f"{h.hour:02d}:00",
                    h.arrivals_per_hour,
                    h.aht_seconds,
                    h.load,
                    h.needed,
                    h.service_level,
                    h.worked,
                    h.verdict,
                )
                for h in st.hours
            ],
            ("text", "text", "float", "seconds", "float", "count", "share", "float", "text"),
        ),  # fmt: skip
    ]


def _breakdown(r: Report) -> Sheet:
    b = r.breakdown
    assert b is not None
    return Sheet(
        f"breakdown.{b.dimension}",
        f"By {b.dimension}",
        (b.dimension, "contacts", "complaints", "first_contact_resolution", "tickets_opened",
         "tickets_resolved", "median_resolution_seconds", "backlog", "ratings", "satisfaction"),
        [
            (x.group, x.contacts, x.complaints, x.first_contact_resolution, x.tickets_opened,
             x.tickets_resolved, x.median_resolution_seconds, x.backlog, x.ratings, x.satisfaction)
            for x in b.rows
        ],
        ("text", "count", "count", "share", "count", "count", "seconds", "count", "count",
         "rating"),
    )  # fmt: skip


_BUILDERS = {
    "contacts": _contacts,
    "tickets": _tickets,
    "products": _products,
    "satisfaction": _satisfaction,
    "knowledge": _knowledge,
    "bulletins": _bulletins,
    "agents": _agents,
    "phone": _phone,
    "staffing": _staffing,
}

LONG_COLUMNS = ("section", "table", "row", "column", "value")


def long_rows(all_sheets: list[Sheet]) -> Iterator[tuple[Any, ...]]:
    """``section,table,row,column,value`` lines of the report's CSV."""
    for sheet in all_sheets:
        table = sheet.key.split(".", 1)[1]
        for row in sheet.rows:
            if sheet.is_summary:
                yield sheet.section, table, row[0], "value", row[2]
                continue
            for name, value in zip(sheet.columns[1:], row[1:], strict=True):
                yield sheet.section, table, row[0], name, value
