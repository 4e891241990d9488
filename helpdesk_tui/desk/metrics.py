"""Team-lead metrics: the report, staffing and the phone system's call records (issue 7).

:class:`MetricsMixin` gathers each section's rows from :class:`~..store.metrics.MetricsStore`
(aggregated in SQL over the period's index range) and hands them to the pure builders in
the ``metrics_*`` modules, where every definition is written down and tested by hand.
Per-agent figures (the ``agents`` section, ``--by agent``) are for leads and admins
(rule ``metrics.agents``); every other figure is open to every user.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..clock import to_stamp
from ..store import Event, Ticket
from ..store.calls import Calls
from ..store.metrics import MetricsStore
from . import queue_log
from .errors import InvalidInput, NotFound, StorageProblem
from .metrics_agents import DIMENSIONS, AgentFigures, Breakdown, agents, breakdown
from .metrics_contacts import ContactVolume, contact_volume, split_cube
from .metrics_knowledge import BulletinUse, Knowledge, bulletins, knowledge
from .metrics_period import Period, period_between, preset
from .metrics_phone import TARGET_SECONDS, PhoneQueue, phone_queue
from .metrics_products import LOW_RATING, Products, Satisfaction, products, satisfaction
from .metrics_staffing import TARGET_LEVEL, Staffing, staffing
from .metrics_stats import Durations, share
from .metrics_tickets import (
    TicketFigures,
    age_buckets,
    age_cutoffs,
    level_times,
    sla_figures,
)
from .permissions import allowed, require

if TYPE_CHECKING:
    from .facade import Desk

#: Report sections, in the order they print. ``agents`` is for leads and admins.
SECTIONS: tuple[str, ...] = (
    "contacts",
    "tickets",
    "products",
    "satisfaction",
    "knowledge",
    "bulletins",
    "agents",
    "phone",
    "staffing",
)
AGENTS_RULE = "metrics.agents"
#: Why a contact came in (``contacts.reason``); the report counts complaints.
CONTACT_REASONS: tuple[str, ...] = ("question", "problem", "request", "complaint")
#: Low ratings listed with their comments; most walked articles listed.
LOW_LISTED = 20
ARTICLES_LISTED = 10
#: SLA clocks worked out per report at most (an even spread beyond that: see _sla_figures).
SLA_CHECKED = 100
#: Lines of a calls file read per insert batch.
IMPORT_BATCH = 5_000


@dataclass(frozen=True)
class Report:
    """One period's figures; a section not asked for (or not allowed) is None."""

    period: Period
    generated_at: datetime
    sections: tuple[str, ...]
    contacts: ContactVolume | None = None
    tickets: TicketFigures | None = None
    products: Products | None = None
    satisfaction: Satisfaction | None = None
    knowledge: Knowledge | None = None
    bulletins: list[BulletinUse] | None = None
    agents: list[AgentFigures] | None = None
    phone: PhoneQueue | None = None
    staffing: Staffing | None = None
    breakdown: Breakdown | None = None


@dataclass(frozen=True)
class CallImport:
    """What ``calls import`` did: new calls, ones already there, what was skipped."""

    path: str
    format: str
    read: int  # call legs found in the file
    imported: int  # new
    already_there: int
    problems: list[tuple[int, str]] = field(default_factory=list)
    problem_count: int = 0
    unknown_events: dict[str, int] = field(default_factory=dict)
    still_waiting: int = 0


class MetricsMixin:
    @property
    def _metrics(self: Desk) -> MetricsStore:
        return MetricsStore(self.store.session)

    # -- periods -------------------------------------------------------------------------
    def report_period(
        self: Desk, start: str | None = None, end: str | None = None, default: str = "30d"
    ) -> Period:
        """The period of ``--from``/``--to`` (dates or moments, local time), else ``default``."""
        return period_between(start, end, self.now(), default)

    def preset_period(self: Desk, name: str) -> Period:
        """``today``, ``week`` or ``30d``, up to now."""
        return preset(name, self.now())

    def may_see_agents(self: Desk) -> bool:
        return allowed(self.actor, AGENTS_RULE)

    # -- the report ----------------------------------------------------------------------
    def report(
        self: Desk,
        period: Period | None = None,
        *,
        sections: Iterable[str] = (),
        by: str | None = None,
        target_seconds: float = TARGET_SECONDS,
        target_level: float = TARGET_LEVEL,
    ) -> Report:
        """The chosen sections (all the user may see when none is named) over ``period``."""
        actor = self.actor
        period = period or self.report_period()
        asked = list(sections)
        wanted = _sections(asked)
        if not asked and not allowed(actor, AGENTS_RULE):
            wanted = tuple(s for s in wanted if s != "agents")  # all that this user may see
        if "agents" in wanted or (by or "").strip().lower() == "agent":
            require(actor, AGENTS_RULE)
        if by is not None:
            by = _dimension(by)
        _check_target(target_seconds, target_level)
        a, b = period.start_stamp, period.end_stamp
        m = self._metrics
        with m.beside() as side, ThreadPoolExecutor(max_workers=1) as pool:
            # The per-agent handle times and the level changes run beside the contact
            # counts (see MetricsStore.beside); their results are picked up below.
            handle = pool.submit(side.agent_handle_histogram, a, b) if "agents" in wanted else None
            levels = pool.submit(side.level_changes, a, b) if "tickets" in wanted else None
            built = self._build_sections(
                period, wanted, by, target_seconds, target_level, handle, levels
            )
        return Report(period, self.now(), wanted, **built)

    def _build_sections(
        self: Desk,
        period: Period,
        wanted: tuple[str, ...],
        by: str | None,
        target_seconds: float,
        target_level: float,
        handle: Future[list[tuple[Any, ...]]] | None,
        levels: Future[list[tuple[Any, ...]]] | None,
    ) -> dict[str, Any]:
        m, a, b = self._metrics, period.start_stamp, period.end_stamp
        with self.store.session.lock:
            needs_contacts = {"contacts", "tickets", "knowledge", "agents", "staffing"}
            cube = split_cube(m.contact_cube(a, b) if needs_contacts & set(wanted) else [])
            hours = cube.hours
            built: dict[str, Any] = {}
            if "contacts" in wanted:
                built["contacts"] = contact_volume(period, hours)
            if "tickets" in wanted:
                built["tickets"] = self._ticket_figures(period, hours, levels)
            if "products" in wanted:
                built["products"] = products(m.products(a, b), m.category_names())
            if "satisfaction" in wanted:
                built["satisfaction"] = satisfaction(
                    m.ratings(a, b), m.low_ratings(a, b, LOW_RATING, LOW_LISTED)
                )
            if "knowledge" in wanted:
                built["knowledge"] = knowledge(
                    m.walks(a, b),
                    m.walk_articles(a, b, ARTICLES_LISTED),
                    sum(r[7] or 0 for r in hours),
                    m.contacts_solved_by_walk(a, b),
                )
            if "bulletins" in wanted:
                built["bulletins"] = bulletins(m.bulletin_links(a, b))
            if "agents" in wanted:
                names = {u.login: u.name for u in self.store.users.list()}
                built["agents"] = agents(
                    cube.agents,
                    m.resolved_by(a, b),
                    handle.result() if handle else [],
                    names,
                )
            calls = Calls(self.store.session)
            call_rows = (
                calls.hourly(a, b, target_seconds) if {"phone", "staffing"} & set(wanted) else []
            )
            if "phone" in wanted:
                built["phone"] = phone_queue(period, call_rows, target_seconds)
            if "staffing" in wanted:
                built["staffing"] = staffing(
                    period, hours, call_rows, cube.handle, cube.agent_hours,
                    target_seconds, target_level,
                )  # fmt: skip
            if by is not None:
                built["breakdown"] = breakdown(
                    by,
                    m.breakdown_contacts(by, a, b),
                    m.breakdown_opened(by, a, b),
                    m.breakdown_resolved(by, a, b),
                    m.breakdown_backlog(by),
                    m.breakdown_ratings(by, a, b),
                )
        return built

    def staffing(
        self: Desk,
        period: Period | None = None,
        *,
        target_seconds: float = TARGET_SECONDS,
        target_level: float = TARGET_LEVEL,
    ) -> Staffing:
        """Agents needed per hour of the week (Erlang C) beside the agents who worked."""
        found = self.report(
            period,
            sections=["staffing"],
            target_seconds=target_seconds,
            target_level=target_level,
        ).staffing
        assert found is not None
        return found

    def _ticket_figures(
        self: Desk,
        period: Period,
        hours: Sequence[tuple[Any, ...]],
        levels: Future[list[tuple[Any, ...]]] | None = None,
    ) -> TicketFigures:
        m, a, b = self._metrics, period.start_stamp, period.end_stamp
        opened, escalated, done = (int(v or 0) for v in m.opened(a, b))
        now = self.now()
        buckets = age_buckets(m.backlog([to_stamp(c) for c in age_cutoffs(now)]))
        answered = sum(r[4] or 0 for r in hours)
        new_issues = answered + sum(r[5] or 0 for r in hours)
        return TicketFigures(
            opened=opened,
            resolved=m.count_resolved(a, b),
            closed=m.count_closed(a, b),
            reopened=m.count_reopened(a, b),
            resolution_rate=share(done, opened),
            backlog=sum(x.tickets for x in buckets),
            age_buckets=buckets,
            first_contact_resolution=share(answered, new_issues),
            first_response=Durations.of(m.first_response_seconds(a, b)),
            resolution=Durations.of(m.resolution_seconds(a, b)),
            escalated=escalated,
            escalation_rate=share(escalated, opened),
            levels=level_times(levels.result() if levels else m.level_changes(a, b)),
            sla=self._sla_figures(a, b, now),
        )

    def _sla_figures(self: Desk, a: str, b: str, now: datetime) -> Any:
        """The clocks of every ticket on a plan resolved in the period; beyond
        :data:`SLA_CHECKED` of them, of that many spread evenly over them (each takes
        the calendar arithmetic of :mod:`.sla_clocks`, about a millisecond)."""
        ids = self._metrics.resolved_with_plan_ids(a, b)
        step = max(1, -(-len(ids) // SLA_CHECKED))
        ticket_rows, event_rows = self._metrics.tickets_and_events(ids[::step])
        events: dict[int, list[Event]] = defaultdict(list)
        for row in event_rows:
            events[row["ticket_id"]].append(Event.from_row(row))
        plans = {p.name: p for p in self.sla_plans()} if ticket_rows else {}
        calendars = {c.name: c for c in self.calendars()} if ticket_rows else {}
        tickets = [Ticket.from_row(r) for r in ticket_rows]
        return sla_figures(tickets, events, plans, calendars, now, on_plan=len(ids))

    # -- contact reasons ---------------------------------------------------------------------
    def set_contact_reason(self: Desk, contact_id: int, reason: str | None) -> str | None:
        """Mark why a logged contact came in (a complaint, say: the report counts them);
        ``None`` or ``""`` clears it. Returns the reason it had before."""
        cleaned = (reason or "").strip().lower() or None
        if cleaned is not None and cleaned not in CONTACT_REASONS:
            raise InvalidInput(
                f"unknown contact reason {reason!r}: use one of {', '.join(CONTACT_REASONS)}",
                field="reason",
            )
        self.actor  # noqa: B018 - refuses unknown users before writing
        with self.store.transaction():
            self.contact(contact_id)  # NotFound for an unknown id
            before = self._metrics.contact_reason(contact_id)
            self._metrics.set_contact_reason(contact_id, cleaned)
        return before

    # -- phone records ---------------------------------------------------------------------
    def import_calls(self: Desk, path: str | Path, fmt: str = "asterisk") -> CallImport:
        """Read a queue_log (or CSV) file and add its calls; a second import adds none.

        Broken lines are reported with their numbers and the good lines imported, all in
        one transaction.
        """
        fmt = (fmt or "").strip().lower()
        if fmt not in queue_log.FORMATS:
            raise InvalidInput(
                f"unknown calls format {fmt!r}: use {' or '.join(queue_log.FORMATS)}",
                field="format",
            )
        actor = self.actor
        source = Path(path)
        if not source.exists():
            raise NotFound(f"no file {str(source)!r}: give the path of the phone system's log")
        if source.is_dir():
            raise InvalidInput(f"{str(source)!r} is a folder: give the log file inside it")
        try:
            with source.open(encoding="utf-8", errors="replace", newline="") as lines:
                parsed = queue_log.parse(lines, fmt)
        except OSError as exc:
            raise StorageProblem(f"cannot read {str(source)!r}: {exc.strerror}") from None
        now = self._stamp()
        rows = [
            (
                c.call_id,
                c.queue,
                to_stamp(c.entered_at),
                c.outcome,
                c.wait_seconds,
                c.talk_seconds,
                c.agent,
                c.caller,
                int(c.transferred),
                fmt,
                now,
                actor.login,
            )  # fmt: skip
            for c in parsed.calls
        ]
        calls = Calls(self.store.session)
        added = 0
        with self.store.transaction():
            for start in range(0, len(rows), IMPORT_BATCH):
                added += calls.add_many(rows[start : start + IMPORT_BATCH])
        return CallImport(
            path=str(source),
            format=fmt,
            read=len(rows),
            imported=added,
            already_there=len(rows) - added,
            problems=list(parsed.problems),
            problem_count=parsed.problem_count,
            unknown_events=dict(parsed.unknown_events),
            still_waiting=parsed.still_waiting,
        )

    def calls_count(self: Desk) -> int:
        return Calls(self.store.session).count()


def _sections(names: Iterable[str]) -> tuple[str, ...]:
    asked = [(n or "").strip().lower() for n in names]
    unknown = [n for n in asked if n not in SECTIONS]
    if unknown:
        raise InvalidInput(
            f"unknown report section {unknown[0]!r}: use any of {', '.join(SECTIONS)}",
            field="section",
        )
    return tuple(s for s in SECTIONS if s in asked) if asked else SECTIONS


def _dimension(name: str) -> str:
    cleaned = (name or "").strip().lower()
    if cleaned not in DIMENSIONS:
        raise InvalidInput(
            f"unknown breakdown {name!r}: use one of {', '.join(DIMENSIONS)}", field="by"
        )
    return cleaned


def _check_target(seconds: float, level: float) -> None:
    if not 0 < seconds <= 3600:
        raise InvalidInput(
            f"the target answer time must be 1 to 3600 seconds, not {seconds:g}",
            field="target_seconds",
        )
    if not 0 < level < 1:
        raise InvalidInput(
            f"the target level must be a share between 0 and 1 (e.g. 0.8), not {level:g}",
            field="target_level",
        )
