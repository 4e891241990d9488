"""Business-hours calendars, SLA plans, the tier x priority matrix, and due times.

Calendars are kept as plain text (weekly hours as JSON ``{"0": [["08:00", "18:00"]]}``,
weekday 0 = Monday, "24:00" for midnight at the end of a day; holidays as a JSON list of
ISO dates); the domain turns a :class:`CalendarSpec` into its ``BusinessCalendar``, so the
store never imports the domain.

The due-sorted queue (:meth:`SlaStore.due_page`) walks the partial index ``tickets_due``
``(due_at, id) WHERE status IN (open statuses)`` by keyset. Tickets without a running
clock (``due_at`` NULL: waiting, no plan) come after every dated one, in number order:
the page key of such a ticket carries :data:`NO_DUE` in place of a due time, so the key
``(due_at or NO_DUE, id)`` orders the whole queue and a page may span both segments.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..vocab import OPEN_STATUS_SQL
from .base import Repo, Session
from .counts import CountCache
from .records import Page, PageKey, Ticket
from .tickets import QueueFilter

#: The page-key stand-in for "no due time": sorts after every stored stamp.
NO_DUE = "9999-12-31T23:59:59.999999Z"
DEFAULT_PAUSE_STATUSES: tuple[str, ...] = ("waiting_customer", "waiting_vendor")

_DUE_FROM = "FROM tickets t INDEXED BY tickets_due JOIN customers c ON c.id = t.customer_id"
_DUE_COUNT = "SELECT count(*) FROM tickets t INDEXED BY tickets_due WHERE "


@dataclass(frozen=True)
class CalendarSpec:
    """A calendar as stored: local "HH:MM" hours per weekday (0 = Monday), ISO holidays."""

    name: str
    timezone: str
    weekly: dict[int, tuple[tuple[str, str], ...]]
    holidays: tuple[str, ...] = ()
    always_open: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CalendarSpec:
        weekly = {
            int(day): tuple((str(a), str(b)) for a, b in spans)
            for day, spans in json.loads(row["weekly"]).items()
        }
        return cls(
            row["name"],
            row["timezone"],
            weekly,
            tuple(json.loads(row["holidays"])),
            bool(row["always_open"]),
        )


@dataclass(frozen=True)
class SlaPlan:
    """Targets in minutes: first response and resolution on the calendar, courtesy wall-clock."""

    name: str
    calendar: str
    first_response_minutes: int
    courtesy_minutes: int
    resolution_minutes: int
    pause_statuses: tuple[str, ...] = DEFAULT_PAUSE_STATUSES

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SlaPlan:
        return cls(
            row["name"],
            row["calendar"],
            row["first_response_minutes"],
            row["courtesy_minutes"],
            row["resolution_minutes"],
            tuple(json.loads(row["pause_statuses"])),
        )


@dataclass(frozen=True)
class MatrixEntry:
    """One cell of the plan matrix: tickets of this tier and priority get ``plan``."""

    tier: str
    priority: str
    business_critical: bool
    plan: str


class SlaStore(Repo):
    """Queries for calendars, SLA plans and the tickets' stored due times (issue 4)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        #: The due-sorted queue's totals and page positions until anybody writes (issue 9).
        self.counts = CountCache(session)

    # -- reference data ------------------------------------------------------------------
    def upsert_calendars(self, calendars: Iterable[CalendarSpec]) -> None:
        for cal in calendars:
            weekly = {str(day): [list(span) for span in spans] for day, spans in cal.weekly.items()}
            self.s.execute(
                "INSERT INTO calendars (name, timezone, weekly, holidays, always_open) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                "timezone = excluded.timezone, weekly = excluded.weekly, "
                "holidays = excluded.holidays, always_open = excluded.always_open",
                [
                    cal.name,
                    cal.timezone,
                    json.dumps(weekly, sort_keys=True),
                    json.dumps(list(cal.holidays)),
                    int(cal.always_open),
                ],
            )

    def upsert_plans(self, plans: Iterable[SlaPlan]) -> None:
        for p in plans:
            self.s.execute(
                "INSERT INTO sla_plans (name, calendar, first_response_minutes, courtesy_minutes, "
                "resolution_minutes, pause_statuses) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET calendar = excluded.calendar, "
                "first_response_minutes = excluded.first_response_minutes, "
                "courtesy_minutes = excluded.courtesy_minutes, "
                "resolution_minutes = excluded.resolution_minutes, "
                "pause_statuses = excluded.pause_statuses",
                [
                    p.name,
                    p.calendar,
                    p.first_response_minutes,
                    p.courtesy_minutes,
                    p.resolution_minutes,
                    json.dumps(list(p.pause_statuses)),
                ],
            )

    def upsert_matrix(self, entries: Iterable[MatrixEntry]) -> None:
        for e in entries:
            self.s.execute(
                "INSERT INTO sla_matrix (tier, priority, business_critical, plan) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (tier, priority, business_critical) "
                "DO UPDATE SET plan = excluded.plan",
                [e.tier, e.priority, int(e.business_critical), e.plan],
            )

    def replace_matrix(self, entries: Iterable[MatrixEntry]) -> None:
        """The whole tier x priority matrix becomes ``entries`` (empty: no rows at all)."""
        self.s.execute("DELETE FROM sla_matrix")
        self.upsert_matrix(entries)

    def delete_plans(self, names: Iterable[str]) -> None:
        for name in names:
            self.s.execute("DELETE FROM sla_plans WHERE name = ?", [name])

    def delete_calendars(self, names: Iterable[str]) -> None:
        for name in names:
            self.s.execute("DELETE FROM calendars WHERE name = ?", [name])

    def open_tickets_on_plan(self, name: str) -> int:
        return self.s.scalar(
            f"SELECT count(*) FROM tickets WHERE sla_plan = ? AND status IN {OPEN_STATUS_SQL}",
            [name],
        )

    def calendars(self) -> list[CalendarSpec]:
        return [
            CalendarSpec.from_row(r) for r in self.s.rows("SELECT * FROM calendars ORDER BY name")
        ]

    def calendar(self, name: str) -> CalendarSpec | None:
        row = self.s.row("SELECT * FROM calendars WHERE name = ?", [name])
        return CalendarSpec.from_row(row) if row else None

    def plans(self) -> list[SlaPlan]:
        return [SlaPlan.from_row(r) for r in self.s.rows("SELECT * FROM sla_plans ORDER BY name")]

    def plan(self, name: str) -> SlaPlan | None:
        row = self.s.row("SELECT * FROM sla_plans WHERE name = ?", [name])
        return SlaPlan.from_row(row) if row else None

    def matrix(self) -> list[MatrixEntry]:
        rows = self.s.rows(
            "SELECT m.* FROM sla_matrix m LEFT JOIN tiers t ON t.name = m.tier "
            "ORDER BY t.position, m.tier, CASE m.priority WHEN 'low' THEN 0 WHEN 'normal' "
            "THEN 1 WHEN 'high' THEN 2 WHEN 'urgent' THEN 3 ELSE 4 END, m.business_critical"
        )
        return [
            MatrixEntry(r["tier"], r["priority"], bool(r["business_critical"]), r["plan"])
            for r in rows
        ]

    def plan_for(self, tier: str, priority: str, business_critical: bool) -> str | None:
        """The matrix's plan; a business-critical ticket falls back to the ordinary row."""
        return self.s.scalar(
            "SELECT plan FROM sla_matrix WHERE tier = ? AND priority = ? "
            "AND business_critical <= ? ORDER BY business_critical DESC LIMIT 1",
            [tier, priority, int(business_critical)],
        )

    def has_critical_plans(self, tier: str) -> bool:
        """Whether the tier has business-critical rows (so its customers may flag tickets)."""
        return bool(
            self.s.scalar(
                "SELECT 1 FROM sla_matrix WHERE tier = ? AND business_critical = 1 LIMIT 1", [tier]
            )
        )

    def matrix_is_empty(self) -> bool:
        return not self.s.scalar("SELECT 1 FROM sla_matrix LIMIT 1")

    # -- a ticket's derived SLA columns ---------------------------------------------------------
    def set_derived(self, ticket_id: int, values: dict[str, Any]) -> None:
        """Write ``sla_plan``, ``due_at``, ``first_response_at`` without a version bump.

        They are derived from changes the user already made (and versioned, with their
        event), so bumping the version would only make the agent's own next edit stale.
        """
        allowed = {"sla_plan", "due_at", "first_response_at"}
        if not values or not set(values) <= allowed:
            raise ValueError(f"derived SLA columns are {sorted(allowed)}, not {sorted(values)}")
        sets = ", ".join(f"{name} = ?" for name in values)
        self.s.execute(f"UPDATE tickets SET {sets} WHERE id = ?", [*values.values(), ticket_id])

    # -- the queue by due time ------------------------------------------------------------------
    def due_page(
        self,
        flt: QueueFilter,
        size: int,
        *,
        after: PageKey | None = None,
        before: PageKey | None = None,
        last: bool = False,
    ) -> Page[Ticket]:
        """One page of open tickets soonest due first, by keyset on (due_at, id).

        Page keys carry the due stamp in ``PageKey.created_at`` (:data:`NO_DUE` for the
        undated tail). ``after``/``before``/``last`` as in ``Tickets.queue_page``. A view
        of due times (breached, at risk) has no undated tail, which is then never read.
        """
        where, params = flt.sql()
        dated, undated = f"{where} AND t.due_at IS NOT NULL", f"{where} AND t.due_at IS NULL"
        tail = flt.due_by is None and flt.due_after is None and not flt.due_horizons
        edge = after if after is not None else before
        in_tail = edge is not None and edge.created_at == NO_DUE  # a key in the undated tail
        rows: list[dict[str, Any]] = []
        with self.s.lock:
            if before is None and not last:  # forward: the dated rows, then the tail
                if not in_tail:
                    key, extra = _after(after)
                    rows = self._select(dated + key, [*params, *extra], "ASC", size)
                if tail and len(rows) < size:
                    key, extra = (" AND t.id > ?", [after.id]) if in_tail and after else ("", [])
                    rows += self._select(undated + key, [*params, *extra], "ASC", size - len(rows))
            else:  # backward: the tail (from the end, or before a tail key), then dated rows
                if tail and (last or in_tail):
                    key, extra = (" AND t.id < ?", [before.id]) if before else ("", [])
                    rows = self._select(undated + key, [*params, *extra], "DESC", size)
                if len(rows) < size:
                    key, extra = ("", []) if last or in_tail else _before(before)
                    rows += self._select(dated + key, [*params, *extra], "DESC", size - len(rows))
                rows.reverse()
            scope = ("due", where, tuple(params))
            n_dated = self.counts.count(
                (scope, "dated"), lambda: self.s.scalar(_DUE_COUNT + dated, params)
            )
            n_undated = 0
            if tail:
                n_undated = self.counts.count(
                    (scope, "undated"), lambda: self.s.scalar(_DUE_COUNT + undated, params)
                )
            offset = 0
            known = self._known_offset(scope, after, before, last, len(rows), n_dated + n_undated)
            if rows and known is not None:
                offset = known
            elif rows and rows[0]["due_at"] is not None:
                offset = self.s.scalar(
                    _DUE_COUNT + dated + " AND (t.due_at, t.id) < (?, ?)",
                    [*params, rows[0]["due_at"], rows[0]["id"]],
                )
            elif rows:
                offset = n_dated + self.s.scalar(
                    _DUE_COUNT + undated + " AND t.id < ?", [*params, rows[0]["id"]]
                )
            if rows:
                self.counts.page(scope, _key(rows[0]), _key(rows[-1]), offset, len(rows))
        return Page(
            rows=[Ticket.from_row(r) for r in rows],
            offset=offset,
            total=n_dated + n_undated,
            first_key=_key(rows[0]) if rows else None,
            last_key=_key(rows[-1]) if rows else None,
            extra={"sort": "due", "undated": n_undated},
        )

    def _known_offset(
        self,
        scope: Any,
        after: PageKey | None,
        before: PageKey | None,
        last: bool,
        size: int,
        total: int,
    ) -> int | None:
        """The page's offset from the positions remembered, or None to count it."""
        if last:
            return max(total - size, 0)
        if after is not None:
            known = self.counts.position(scope, after)
            return None if known is None else known + 1
        if before is not None:
            known = self.counts.position(scope, before)
            return None if known is None else max(known - size, 0)
        return 0

    def _select(
        self, where: str, params: list[Any], order: str, limit: int
    ) -> list[dict[str, Any]]:
        if limit <= 0:
            return []
        return self.s.rows(
            f"SELECT t.*, c.name AS customer_name {_DUE_FROM} WHERE {where} "
            f"ORDER BY t.due_at {order}, t.id {order} LIMIT ?",
            [*params, limit],
        )


def _key(row: dict[str, Any]) -> PageKey:
    return PageKey(row["due_at"] or NO_DUE, row["id"])


def _after(key: PageKey | None) -> tuple[str, list[Any]]:
    return ("", []) if key is None else (" AND (t.due_at, t.id) > (?, ?)", [key.created_at, key.id])


def _before(key: PageKey | None) -> tuple[str, list[Any]]:
    return ("", []) if key is None else (" AND (t.due_at, t.id) < (?, ?)", [key.created_at, key.id])
