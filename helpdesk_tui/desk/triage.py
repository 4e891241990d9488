"""Triage, transfers, ownership, the escalation ladder and customer updates (issue 3).

Each action reads the ticket inside its IMMEDIATE transaction, checks the
transition table for the acting user, writes the change and its event(s),
and returns the ticket's new state. Nothing is deleted.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..store import Ticket
from ..vocab import CHANNELS, PRIORITIES
from . import transitions, validate
from .errors import Forbidden, InvalidInput, NotFound
from .transitions import EXTERNAL, LEVEL_NAMES

if TYPE_CHECKING:
    from .facade import Desk

#: Escalating a ticket of these priorities flags it for the team lead.
LEAD_FLAG_PRIORITIES = ("high", "urgent")
assert set(LEAD_FLAG_PRIORITIES) <= set(PRIORITIES)


def _text(value: str, label: str, field: str) -> str:
    return validate.text(value, label, limit=validate.LONG_TEXT_MAX, field=field)


class TriageMixin:
    def send_to_triage(
        self: Desk,
        number: int,
        tried: str,
        department: str | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """The front line could not solve it: say what was tried; route to level 2."""
        tried = _text(tried, "what was tried", "tried")
        with self.store.transaction():
            ticket = self._authorised(number, "triage", expected_version)
            target = self._department(department) if department else self._routing(ticket)
            self._write(
                ticket,
                expected_version,
                {
                    "status": "triage",
                    "department": target,
                    "level": max(ticket.level, 2),
                    "owner": None,
                },
                "triage",
                note=tried,
            )
        return self.ticket(number)

    def request_info(
        self: Desk, number: int, question: str, expected_version: int | None = None
    ) -> Ticket:
        """Waiting on the customer; a contact logged against it sends it back to triage."""
        question = _text(question, "the question for the customer", "question")
        with self.store.transaction():
            ticket = self._authorised(number, "request_info", expected_version)
            self._write(
                ticket,
                expected_version,
                {"status": "waiting_customer"},
                "info_requested",
                note=question,
            )
        return self.ticket(number)

    def transfer(
        self: Desk,
        number: int,
        department: str,
        reason: str,
        expected_version: int | None = None,
    ) -> Ticket:
        department = self._department(department)
        reason = _text(reason, "reason", "reason")
        with self.store.transaction():
            ticket = self._authorised(number, "transfer", expected_version)
            if ticket.department == department:
                raise InvalidInput(
                    f"ticket #{number} is already with {department}", field="department"
                )
            self._write(
                ticket,
                expected_version,
                {
                    "status": "triage",
                    "department": department,
                    "owner": None,
                    "level": max(ticket.level, 2),
                },
                "transferred",
                note=reason,
            )
        return self.ticket(number)

    def take(self: Desk, number: int) -> Ticket:
        """Claim it. Atomic: of two agents claiming at once, one wins; the other is told who."""
        with self.store.transaction():
            ticket = self._authorised(number, "take")
            actor = self.actor
            if ticket.owner == actor.login:
                return ticket
            if ticket.owner is not None:
                raise Forbidden(
                    f"ticket #{number} is already owned by {ticket.owner}: ask them or a lead"
                )
            self._own(ticket, actor.login, actor.level, "taken", "take")
        return self.ticket(number)

    def assign(self: Desk, number: int, login: str, note: str = "") -> Ticket:
        """A lead gives the ticket to someone."""
        assignee = self.user(login)
        if not assignee.active:
            raise InvalidInput(f"user {login!r} is deactivated", field="owner")
        note = validate.text(note, "note", required=False, limit=validate.LONG_TEXT_MAX)
        with self.store.transaction():
            ticket = self._authorised(number, "assign")
            if ticket.owner == assignee.login:
                return ticket
            self._own(ticket, assignee.login, assignee.level, "assigned", "assign", note)
        return self.ticket(number)

    def release(self: Desk, number: int, note: str = "") -> Ticket:
        note = validate.text(note, "note", required=False, limit=validate.LONG_TEXT_MAX)
        with self.store.transaction():
            ticket = self._authorised(number, "release")
            if ticket.owner is None:
                raise InvalidInput(f"ticket #{number} has no owner to release")
            self._write(ticket, None, {"owner": None}, "released", note=note)
        return self.ticket(number)

    def escalate(
        self: Desk,
        number: int,
        reason: str,
        tried: str,
        *,
        vendor: str | None = None,
        vendor_ref: str | None = None,
        vendor_due: str | None = None,
        expected_version: int | None = None,
    ) -> Ticket:
        """One step up the ladder: level 1 -> 2 -> 3 -> external vendor."""
        reason = _text(reason, "reason", "reason")
        tried = _text(tried, "what was tried", "tried")
        with self.store.transaction():
            ticket = self.ticket(number)
            self._not_stale(ticket, expected_version)
            target = ticket.level + 1
            if target > EXTERNAL:
                raise Forbidden(f"ticket #{number} is already with an external vendor")
            changes: dict[str, Any] = {
                "level": target,
                "owner": None,
                "escalations": ticket.escalations + 1,
            }
            if ticket.level == 1:
                changes["department"] = self._routing(ticket)  # level 2 of its department
            if target == EXTERNAL:
                transitions.check(self.actor, ticket, "escalate_external")
                changes.update(self._vendor(vendor, vendor_ref, vendor_due))
                changes["status"] = "waiting_vendor"
            else:
                if vendor or vendor_ref or vendor_due:
                    raise InvalidInput(
                        f"a vendor is recorded only when escalating past level 3 (ticket "
                        f"#{number} goes to {LEVEL_NAMES[target]})",
                        field="vendor",
                    )
                changes["status"] = transitions.check(self.actor, ticket, "escalate")
            if ticket.priority in LEAD_FLAG_PRIORITIES:
                changes["lead_flag"] = 1  # hierarchical escalation: the lead is told
            self._write(
                ticket,
                expected_version,
                changes,
                "escalated",
                note=f"{reason}\nTried: {tried}",
                field="level",
                old=str(ticket.level),
                new=str(target),
            )
        return self.ticket(number)

    def deescalate(
        self: Desk, number: int, reason: str, expected_version: int | None = None
    ) -> Ticket:
        reason = _text(reason, "reason", "reason")
        with self.store.transaction():
            ticket = self._authorised(number, "deescalate", expected_version)
            if ticket.level <= 1:
                raise Forbidden(f"ticket #{number} is already at level 1")
            target = ticket.level - 1
            changes: dict[str, Any] = {
                "level": target,
                "owner": None,
                "returns": ticket.returns + 1,
                "status": "open" if target == 1 else "triage",
            }
            if target == 1:
                changes["department"] = self._front_line()  # back with the front line
                changes["lead_flag"] = 0  # no longer an escalation for the lead
            self._write(
                ticket,
                expected_version,
                changes,
                "deescalated",
                note=reason,
                field="level",
                old=str(ticket.level),
                new=str(target),
            )
        return self.ticket(number)

    def return_to_front_line(
        self: Desk, number: int, solution: str, expected_version: int | None = None
    ) -> Ticket:
        """Level 2 has a solution; the front line follows up with the customer and closes."""
        solution = _text(solution, "proposed solution", "solution")
        with self.store.transaction():
            ticket = self._authorised(number, "return", expected_version)
            if ticket.level <= 1:
                raise Forbidden(f"ticket #{number} is already with the front line (level 1)")
            changes = {
                "status": "open",
                "level": 1,
                "owner": None,
                "department": self._front_line(),
                "returns": ticket.returns + 1,
                "lead_flag": 0,
            }
            self._write(ticket, expected_version, changes, "returned", note=solution)
        return self.ticket(number)

    def update_customer(self: Desk, number: int, channel: str, message: str) -> Ticket:
        """Record a message sent to the customer; it resets the courtesy-update clock."""
        channel = validate.choice(channel, "channel", CHANNELS, field="channel")
        message = _text(message, "message", "message")
        with self.store.transaction():
            ticket = self._authorised(number, "update_customer")
            self._write(
                ticket,
                None,
                {"last_update_at": self._stamp()},
                "customer_update",
                note=message,
                new=channel,
                field="channel",
            )
        return self.ticket(number)

    def link_duplicate(self: Desk, number: int, surviving: int) -> Ticket:
        """Close ``number`` as a duplicate of ``surviving``; both keep their histories."""
        if number == surviving:
            raise InvalidInput("a ticket cannot be a duplicate of itself")
        with self.store.transaction():
            ticket = self._authorised(number, "duplicate")
            other = self.ticket(surviving)
            if other.status == "closed":
                raise Forbidden(f"ticket #{surviving} is closed: link to an open ticket")
            now = self._stamp()
            self.store.links.add(number, surviving, "duplicate_of", now, self.actor.login)
            self.store.links.add(surviving, number, "duplicated_by", now, self.actor.login)
            self._write(
                ticket,
                None,
                {"status": "closed", "closed_at": now, "duplicate_of": surviving},
                "duplicate",
                note=f"duplicate of #{surviving}",
            )
            self._write(
                other,
                None,
                {},
                "linked",
                note=f"#{number} closed as a duplicate of this ticket",
                field="duplicate",
                new=str(number),
            )
        return self.ticket(number)

    def link_related(self: Desk, number: int, other_number: int) -> Ticket:
        if number == other_number:
            raise InvalidInput("a ticket cannot be related to itself")
        with self.store.transaction():
            ticket = self._authorised(number, "relate")
            other = self._authorised(other_number, "relate")
            if (other_number, "related") in self.store.links.for_ticket(number):
                return ticket  # already related: nothing to record
            now = self._stamp()
            self.store.links.add(number, other_number, "related", now, self.actor.login)
            self.store.links.add(other_number, number, "related", now, self.actor.login)
            self._write(
                ticket,
                None,
                {},
                "linked",
                field="related",
                new=str(other_number),
                note=f"related to #{other_number}",
            )
            self._write(
                other,
                None,
                {},
                "linked",
                field="related",
                new=str(number),
                note=f"related to #{number}",
            )
        return self.ticket(number)

    # -- helpers ------------------------------------------------------------------------------
    def _own(
        self: Desk, ticket: Ticket, login: str, level: int, kind: str, action: str, note: str = ""
    ) -> None:
        new_status = transitions.check(self.actor, ticket, action)
        changes: dict[str, Any] = {"owner": login}
        if new_status:
            changes["status"] = new_status
        self._write(ticket, None, changes, kind, note=note)

    def _department(self: Desk, name: str) -> str:
        known = {d.name.lower(): d.name for d in self.departments()}
        found = known.get((name or "").strip().lower())
        if found is None:
            raise NotFound(
                f"unknown department {name!r}: use one of {', '.join(sorted(known.values()))}",
                field="department",
            )
        return found

    def _routing(self: Desk, ticket: Ticket) -> str:
        """Where triage sends a ticket by default: its category's department."""
        category = self.store.reference.category(ticket.category)
        return (
            category.department
            if category and category.department
            else ticket.department or self._front_line()
        )

    def _front_line(self: Desk) -> str:
        from .ticketing import FRONT_LINE

        return FRONT_LINE

    def _vendor(self: Desk, vendor: str | None, ref: str | None, due: str | None) -> dict:
        vendor = validate.text(vendor, "vendor", field="vendor")
        ref = validate.text(ref, "vendor's case reference", field="vendor_ref")
        due_text = validate.text(due, "date the vendor promised", field="vendor_due")
        try:
            promised = date.fromisoformat(due_text)
        except ValueError:
            raise InvalidInput(
                f"vendor due date {due_text!r} is not a date: use YYYY-MM-DD", field="vendor_due"
            ) from None
        if promised < self.now().date():
            raise InvalidInput(f"vendor due date {promised} is in the past", field="vendor_due")
        return {"vendor": vendor, "vendor_ref": ref, "vendor_due": promised.isoformat()}
