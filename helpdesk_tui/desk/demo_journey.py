"""One demo ticket's state and the events its actions write, exactly as the desk writes them.

Each method mirrors a desk action (``TicketMixin`` / ``TriageMixin``): the
same changes in the same order, the same ``kind``, ``field/old/new`` and
note, and the ``data`` JSON ``{field: [old, new]}`` of the tracked fields
that changed, as ``json.dumps`` prints it. Replaying journeys, the
where-is-it line and the queues therefore read demo tickets like real ones
(``tests/test_demo.py`` replays demo tickets through the desk to prove it).

A step is ``(moment, stamp, ticket, actor, kind, field, old, new, note,
contact, data)`` with ``''`` / ``0`` for NULL (see ``store.bulk``); the
integer moment orders the journal, the stamp is the stored text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ticketing import FRONT_LINE, TRACKED
from .transitions import EXTERNAL
from .triage import LEAD_FLAG_PRIORITIES

Step = tuple[int, str, int, str, str, str, str, str, str, int, str]
Pairs = tuple[tuple[str, Any, Any], ...]
_DATA: dict[tuple[Pairs, str], str] = {}


def _value(value: Any) -> str:
    """``json.dumps`` of the plain values events hold (ASCII text without quotes, ints)."""
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return f'"{value}"'


def data_json(pairs: Pairs, told_via: str = "") -> str:
    """events.data for these changes (``''``: none); cached, as the same few recur a lot."""
    found = _DATA.get((pairs, told_via))
    if found is None:
        parts = [f'"{key}": [{_value(old)}, {_value(new)}]' for key, old, new in pairs]
        if told_via:
            parts.append(f'"told_via": "{told_via}"')
        found = _DATA[pairs, told_via] = "{" + ", ".join(parts) + "}" if parts else ""
    return found


_CLOSED = data_json((("status", "resolved", "closed"),))
_CREATED: dict[str, str] = {}


def _created(priority: str) -> str:
    """What ``_insert_ticket`` records for a ticket opened by a front-line agent."""
    initial = (
        ("status", None, "open"),
        ("department", None, FRONT_LINE),
        ("level", None, 1),
        ("owner", None, None),
        ("priority", None, priority),
    )
    found = _CREATED[priority] = data_json(initial)
    return found


class Journey:
    """A ticket's tracked fields as they move, and the steps that moved them."""

    __slots__ = (
        "ticket", "stamp", "status", "department", "level", "owner", "priority", "escalations",
        "returns", "lead_flag", "vendor", "vendor_ref", "vendor_due", "last_update", "steps",
        "asked_from", "moves", "responded",
    )  # fmt: skip

    def __init__(
        self, stamp: Callable[[int], str], ticket: int, t: int, at: str, creator: str,
        priority: str, title: str, ref: int,
    ) -> None:  # fmt: skip
        """``_insert_ticket``: a new ticket, opened by a front-line agent from a contact."""
        self.stamp, self.ticket = stamp, ticket
        self.status, self.department, self.level = "open", FRONT_LINE, 1
        self.owner: str | None = None
        self.priority = priority
        self.escalations = self.returns = self.lead_flag = 0
        self.vendor = self.vendor_ref = self.vendor_due = None
        self.last_update = ""  # the stamp of the last message to the customer
        self.asked_from = ""  # the status when the customer was last asked for information
        self.moves: list[tuple[int, str]] = []  # (moment, new status): the SLA pauses
        self.responded = ""  # the stamp of the first response (SLA first_response_at)
        data = _CREATED.get(priority) or _created(priority)
        self.steps: list[Step] = [
            (t, at, ticket, creator, "created", "status", "", "open", title, ref, data)
        ]

    def _write(
        self,
        t: int,
        actor: str,
        kind: str,
        changes: tuple[tuple[str, Any], ...],
        note: str = "",
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        contact: int = 0,
        told_via: str = "",
    ) -> None:
        """``TicketMixin._write``: apply the changes, record the tracked ones that changed."""
        pairs = []
        for key, value in changes:
            current = getattr(self, key)
            if key in TRACKED and current != value:
                pairs.append((key, current, value))
                if key == "status":
                    self.moves.append((t, value))
            setattr(self, key, value)
        if field is None and new is None and pairs:
            field, old, new = next((p for p in pairs if p[0] == "status"), pairs[0])
        self.steps.append(
            (
                t, self.stamp(t), self.ticket, actor, kind, field or "",
                "" if old is None else str(old),
                "" if new is None else str(new), note, contact, data_json(tuple(pairs), told_via),
            )
        )  # fmt: skip

    # -- everyday legs (fast paths: no change of tracked fields) ----------------------------
    def override(self, t: int, at: str, actor: str, reason: str) -> None:
        """Opened although the customer's tier does not cover it: the agent's reason."""
        kind = "entitlement_override"
        self.steps.append((t, at, self.ticket, actor, kind, "", "", "", reason, 0, ""))

    def note(self, t: int, actor: str, text: str) -> None:
        self.steps.append((t, self.stamp(t), self.ticket, actor, "note", "", "", "", text, 0, ""))

    def update_customer(self, t: int, actor: str, channel: str, message: str) -> None:
        at = self.last_update = self.stamp(t)
        self.responded = self.responded or at
        kind = "customer_update"
        self.steps.append((t, at, self.ticket, actor, kind, "channel", "", channel, message, 0, ""))

    def contact(self, t: int, at: str, agent: str, channel: str, summary: str, ref: int) -> None:
        """A contact added to the ticket (logged at ``at``); an awaited answer sends it back
        to where it was when the question was asked."""
        if self.status == "waiting_customer":
            changes = (("status", self.asked_from or ("open" if self.owner else "triage")),)
            self._write(t, agent, "contact", changes, note=summary, new=channel, contact=ref)
        else:
            step = (t, at, self.ticket, agent, "contact", "", "", channel, summary, ref, "")
            self.steps.append(step)

    def set_priority(self, t: int, actor: str, priority: str) -> None:
        self._write(t, actor, "changed", (("priority", priority),))

    # -- the journey's milestones ---------------------------------------------------------------
    def triage(self, t: int, actor: str, tried: str, department: str) -> None:
        changes = (
            ("status", "triage"),
            ("department", department),
            ("level", max(self.level, 2)),
            ("owner", None),
        )
        self._write(t, actor, "triage", changes, note=tried)

    def request_info(self, t: int, actor: str, question: str) -> None:
        self.asked_from = self.status
        self._write(t, actor, "info_requested", (("status", "waiting_customer"),), note=question)

    def transfer(self, t: int, actor: str, department: str, reason: str) -> None:
        changes = (
            ("status", "triage"),
            ("department", department),
            ("owner", None),
            ("level", max(self.level, 2)),
        )
        self._write(t, actor, "transferred", changes, note=reason)

    def take(self, t: int, actor: str, owner: str = "", kind: str = "taken") -> None:
        """``take`` (kind taken), or a lead's ``assign`` (kind assigned) to ``owner``."""
        changes: tuple[tuple[str, Any], ...] = (("owner", owner or actor),)
        if self.status == "triage":
            changes += (("status", "open"),)
        self._write(t, actor, kind, changes)

    def escalate(
        self,
        t: int,
        actor: str,
        reason: str,
        tried: str,
        routing: str,
        vendor: tuple[str, str, str] | None = None,
    ) -> None:
        """One step up the ladder; past level 3, to ``vendor`` (name, case, promised date)."""
        target = self.level + 1
        changes: tuple[tuple[str, Any], ...] = (
            ("level", target),
            ("owner", None),
            ("escalations", self.escalations + 1),
        )
        if self.level == 1:
            changes += (("department", routing),)
        if target == EXTERNAL and vendor is not None:
            changes += tuple(zip(("vendor", "vendor_ref", "vendor_due"), vendor, strict=True))
            changes += (("status", "waiting_vendor"),)
        else:
            changes += (("status", "triage"),)
        if self.priority in LEAD_FLAG_PRIORITIES:
            changes += (("lead_flag", 1),)
        note = f"{reason}\nTried: {tried}"
        self._write(t, actor, "escalated", changes, note, "level", str(self.level), str(target))

    def return_to_front_line(self, t: int, actor: str, solution: str) -> None:
        changes = (
            ("status", "open"),
            ("level", 1),
            ("owner", None),
            ("department", FRONT_LINE),
            ("returns", self.returns + 1),
            ("lead_flag", 0),
        )
        self._write(t, actor, "returned", changes, note=solution)

    def resolve(self, t: int, actor: str, note: str, told_via: str) -> None:
        """``note`` is the resolution, with "(at first contact)" when solved at once."""
        at = self.stamp(t)
        if told_via:
            self.last_update = at
            self.responded = self.responded or at
        old, self.status = self.status, "resolved"
        self.moves.append((t, "resolved"))
        data = data_json((("status", old, "resolved"),), told_via)
        step = (t, at, self.ticket, actor, "resolved", "status", old, "resolved", note, 0, data)
        self.steps.append(step)

    def close(self, t: int, actor: str) -> None:
        self.status = "closed"
        self.moves.append((t, "closed"))
        at, ticket = self.stamp(t), self.ticket
        step = (t, at, ticket, actor, "closed", "status", "resolved", "closed", "", 0, _CLOSED)
        self.steps.append(step)
