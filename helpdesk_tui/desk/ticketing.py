"""Ticket work: open, note, change, resolve, close, reopen, and the queue.

Every change bumps the ticket's version and writes its event(s) in the same
transaction. A change made against a stale version is refused with what the
other agent did, so the user can re-read and retry with their text intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..store import Contact, Event, Page, PageKey, QueueFilter, StaleVersion, Ticket
from ..vocab import OPEN_STATUSES, PRIORITIES, STATUS_LABELS
from . import validate
from .errors import Forbidden, InvalidInput, NotFound, StaleEdit
from .intake import TicketDraft

if TYPE_CHECKING:
    from .facade import Desk

QUEUE_VIEWS: tuple[str, ...] = ("all", "mine", "department")


@dataclass(frozen=True)
class PreparedTicket:
    """A draft that passed validation against its category."""

    title: str
    category: str
    department: str | None
    fields: dict[str, str]
    priority: str
    description: str


@dataclass(frozen=True)
class TicketView:
    """Everything the ticket screen shows."""

    ticket: Ticket
    events: list[Event]
    contacts: list[Contact]


class TicketMixin:
    # -- opening ------------------------------------------------------------------
    def open_ticket(
        self: Desk, customer_id: int, draft: TicketDraft, contact_id: int | None = None
    ) -> Ticket:
        """Open a ticket outside contact intake (e.g. from the CLI with --contact)."""
        prepared = self._prepare_ticket(draft)
        self.actor  # noqa: B018 - refuses unknown users before writing
        customer = self.customer(customer_id)
        contact = self.contact(contact_id) if contact_id is not None else None
        if contact is not None:
            if contact.customer_id != customer.id:
                raise InvalidInput(
                    f"contact {contact.id} is from customer {contact.customer_id}, "
                    f"not {customer.id}"
                )
            if contact.ticket_id is not None:
                raise InvalidInput(
                    f"contact {contact.id} already belongs to ticket #{contact.ticket_id}"
                )
        with self.store.transaction():
            ticket_id = self._insert_ticket(customer.id, prepared, contact_id)
            if contact is not None:
                self.store.contacts.set_ticket(contact.id, ticket_id, "ticket")
        return self.ticket(ticket_id)

    def _prepare_ticket(self: Desk, draft: TicketDraft) -> PreparedTicket:
        title = validate.text(draft.title, "title", field="title")
        description = validate.text(
            draft.description,
            "description",
            required=False,
            limit=validate.LONG_TEXT_MAX,
            field="description",
        )
        priority = validate.choice(
            draft.priority or "normal", "priority", PRIORITIES, field="priority"
        )
        category = self.category(draft.category)
        known = {f.key: f for f in category.fields}
        fields: dict[str, str] = {}
        for key, value in (draft.fields or {}).items():
            if key not in known:
                names = ", ".join(known) or "none"
                raise InvalidInput(
                    f"unknown field {key!r} for category {category.key} (its fields: {names})",
                    field=f"field:{key}",
                )
            spec = known[key]
            cleaned = validate.text(value, spec.label, required=False, field=f"field:{key}")
            if cleaned and spec.choices and cleaned not in spec.choices:
                raise InvalidInput(
                    f"{spec.label} must be one of {', '.join(spec.choices)}", field=f"field:{key}"
                )
            if cleaned:
                fields[key] = cleaned
        for spec in category.fields:
            if spec.required and not fields.get(spec.key):
                raise InvalidInput(
                    f"{spec.label} is required for a {category.name} ticket"
                    + (f" ({spec.help})" if spec.help else ""),
                    field=f"field:{spec.key}",
                )
        return PreparedTicket(
            title, category.key, category.department, fields, priority, description
        )

    def _insert_ticket(
        self: Desk, customer_id: int, prepared: PreparedTicket, contact_id: int | None
    ) -> int:
        now = self._stamp()
        ticket_id = self.store.tickets.insert(
            {
                "created_at": now,
                "updated_at": now,
                "created_by": self.actor.login,
                "customer_id": customer_id,
                "category": prepared.category,
                "title": prepared.title,
                "description": prepared.description,
                "fields": prepared.fields,
                "priority": prepared.priority,
                "status": "open",
                "department": prepared.department,
                "level": 1,
            }
        )
        self.store.events.add(
            ticket_id,
            now,
            self.actor.login,
            "created",
            new_value="open",
            note=prepared.title,
            contact_id=contact_id,
        )
        return ticket_id

    # -- reading --------------------------------------------------------------------------
    def ticket(self: Desk, number: int) -> Ticket:
        found = self.store.tickets.get(number)
        if found is None:
            raise NotFound(f"no ticket #{number}", field="ticket")
        return found

    def ticket_view(self: Desk, number: int) -> TicketView:
        with self.store.session.lock:
            ticket = self.ticket(number)
            return TicketView(
                ticket, self.store.events.for_ticket(number), self.store.contacts.for_ticket(number)
            )

    def tickets(self: Desk, status: str = "open") -> list[Ticket]:
        """Tickets oldest first for the CLI: ``open``, ``closed`` (resolved or closed), ``all``."""
        status = validate.choice(status, "status", ("open", "closed", "all"))
        statuses = {"open": OPEN_STATUSES, "closed": ("resolved", "closed"), "all": None}[status]
        return self.store.tickets.list(statuses)

    def queue_page(
        self: Desk,
        view: str = "all",
        size: int = 50,
        *,
        after: PageKey | None = None,
        before: PageKey | None = None,
        last: bool = False,
    ) -> Page[Ticket]:
        """One page of the open queue, oldest first."""
        view = validate.choice(view, "queue view", QUEUE_VIEWS)
        flt = QueueFilter()
        if view == "mine":
            flt = QueueFilter(owner=self.login)
        elif view == "department":
            flt = QueueFilter(department=self.actor.department or "")
        return self.store.tickets.queue_page(flt, size, after=after, before=before, last=last)

    # -- changing ---------------------------------------------------------------------------
    def add_note(self: Desk, number: int, text: str) -> Ticket:
        """Notes never conflict with other edits, so they need no version check."""
        note = validate.text(text, "note", limit=validate.LONG_TEXT_MAX, field="note")
        with self.store.transaction():
            ticket = self.ticket(number)
            self._write(ticket, ticket.version, {}, "note", note=note)
        return self.ticket(number)

    def set_priority(
        self: Desk, number: int, priority: str, expected_version: int | None = None
    ) -> Ticket:
        priority = validate.choice(priority, "priority", PRIORITIES, field="priority")
        with self.store.transaction():
            ticket = self.ticket(number)
            if ticket.priority == priority:
                return ticket
            self._require_not_closed(ticket, "change its priority")
            self._write(
                ticket,
                expected_version,
                {"priority": priority},
                "changed",
                field="priority",
                old=ticket.priority,
                new=priority,
            )
        return self.ticket(number)

    def resolve(
        self: Desk, number: int, resolution: str, expected_version: int | None = None
    ) -> Ticket:
        """Resolve with the text of the solution given to the customer (required)."""
        resolution = validate.text(
            resolution, "resolution", limit=validate.LONG_TEXT_MAX, field="resolution"
        )
        with self.store.transaction():
            self._resolve_in_tx(number, expected_version, resolution)
        return self.ticket(number)

    def close_ticket(self: Desk, number: int, expected_version: int | None = None) -> Ticket:
        with self.store.transaction():
            ticket = self.ticket(number)
            if ticket.status != "resolved":
                raise Forbidden(
                    f"ticket #{number} is {STATUS_LABELS[ticket.status]}: only a resolved "
                    "ticket can be closed (resolve it first)"
                )
            self._write(
                ticket,
                expected_version,
                {"status": "closed", "closed_at": self._stamp()},
                "closed",
                field="status",
                old=ticket.status,
                new="closed",
            )
        return self.ticket(number)

    def reopen_ticket(
        self: Desk, number: int, reason: str, expected_version: int | None = None
    ) -> Ticket:
        """Back to the queue: a resolved ticket by anyone, a closed one by a lead or admin."""
        reason = validate.text(reason, "reason", limit=validate.LONG_TEXT_MAX, field="reason")
        with self.store.transaction():
            ticket = self.ticket(number)
            if ticket.status not in ("resolved", "closed"):
                raise Forbidden(f"ticket #{number} is still {STATUS_LABELS[ticket.status]}")
            if ticket.status == "closed" and self.actor.role not in ("lead", "admin"):
                raise Forbidden(f"only leads or admins may reopen a closed ticket (#{number})")
            self._write(
                ticket,
                expected_version,
                {"status": "open", "resolved_at": None, "closed_at": None},
                "reopened",
                field="status",
                old=ticket.status,
                new="open",
                note=reason,
            )
        return self.ticket(number)

    # -- inside a transaction ----------------------------------------------------------------
    def _resolve_in_tx(
        self: Desk, number: int, expected_version: int | None, resolution: str, note: str = ""
    ) -> None:
        ticket = self.ticket(number)
        if ticket.status not in OPEN_STATUSES:
            raise Forbidden(f"ticket #{number} is already {STATUS_LABELS[ticket.status]}")
        self._write(
            ticket,
            expected_version,
            {"status": "resolved", "resolution": resolution, "resolved_at": self._stamp()},
            "resolved",
            field="status",
            old=ticket.status,
            new="resolved",
            note=resolution if not note else f"{resolution}\n({note})",
        )

    def _link_contact_in_tx(
        self: Desk, number: int, contact_id: int, summary: str, channel: str
    ) -> int:
        ticket = self.ticket(number)
        if ticket.status == "closed":
            raise Forbidden(
                f"ticket #{number} is closed: open a new ticket, or ask a lead to reopen it"
            )
        self._write(ticket, None, {}, "contact", note=summary, new=channel, contact_id=contact_id)
        return ticket.id

    def _require_not_closed(self: Desk, ticket: Ticket, doing: str) -> None:
        if ticket.status == "closed":
            raise Forbidden(f"ticket #{ticket.id} is closed: reopen it to {doing}")

    def _write(
        self: Desk,
        ticket: Ticket,
        expected_version: int | None,
        changes: dict[str, Any],
        kind: str,
        *,
        field: str | None = None,
        old: str | None = None,
        new: str | None = None,
        note: str = "",
        contact_id: int | None = None,
    ) -> None:
        """Update the row (version-checked) and append its event."""
        now = self._stamp()
        version = ticket.version if expected_version is None else expected_version
        try:
            self.store.tickets.update(ticket.id, version, {**changes, "updated_at": now})
        except StaleVersion:
            raise self._stale(ticket) from None
        self.store.events.add(
            ticket.id,
            now,
            self.actor.login,
            kind,
            field=field,
            old_value=old,
            new_value=new,
            note=note,
            contact_id=contact_id,
        )

    def _stale(self: Desk, ticket: Ticket) -> StaleEdit:
        latest = self.store.events.for_ticket(ticket.id)[-1:]
        what = ""
        if latest:
            e = latest[0]
            change = f" ({e.field}: {e.old_value} -> {e.new_value})" if e.field else ""
            what = f": {e.actor} {e.kind}{change}"
        return StaleEdit(
            f"ticket #{ticket.id} was changed by someone else since you opened it{what}; "
            "nothing was saved: reload and try again (your text is kept)"
        )
