"""Ticket work: open, note, change, resolve, close, reopen, and the queue.

Every change bumps the ticket's version and writes its event(s) in the same
transaction. A change made against a stale version is refused with what the
other agent did, so the user can re-read and retry with their text intact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..clock import to_stamp
from ..store import Contact, Event, Page, PageKey, QueueFilter, StaleVersion, Ticket
from ..vocab import CHANNELS, OPEN_STATUSES, PRIORITIES
from . import transitions, validate
from .courtesy import courtesy_due_at
from .errors import Forbidden, InvalidInput, NotFound, StaleEdit
from .intake import TicketDraft
from .journey import Journey, replay, where_is_it
from .permissions import require
from .satisfaction import checked_rating, record_rating
from .sla import QUEUE_SORTS, SLA_VIEWS

if TYPE_CHECKING:
    from .facade import Desk

#: The front line's department when the acting user has none.
FRONT_LINE = "Service Desk"

QUEUE_VIEWS: tuple[str, ...] = (
    "all",
    "mine",
    "department",
    "triage",
    "courtesy-due",
    "escalated",
    "breached",  # issue 4: an SLA clock past its due time
    "at-risk",  # issue 4: less than a quarter of a running clock's target left
)
#: Ticket fields whose changes each event records (the journey is replayed from them).
TRACKED = frozenset(
    {
        "status",
        "priority",
        "department",
        "level",
        "owner",
        "vendor",
        "vendor_ref",
        "vendor_due",
        "duplicate_of",
        "lead_flag",
        "product_id",
        "asset_id",
        "warranty",
        "business_critical",
        "sla_plan",
    }
)


def _plain(value: Any) -> Any:
    """JSON-friendly value for event data (datetimes as stored stamps)."""
    if isinstance(value, datetime):
        return to_stamp(value)
    if isinstance(value, bool):
        return int(value)
    return value


@dataclass(frozen=True)
class PreparedTicket:
    """A draft that passed validation against its category."""

    title: str
    category: str
    department: str | None
    fields: dict[str, str]
    priority: str
    description: str
    #: Ticket columns of the service model: product, asset, warranty verdict...
    service: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TicketView:
    """Everything the ticket screen shows."""

    ticket: Ticket
    events: list[Event]
    contacts: list[Contact]
    journey: Journey
    where: str  # the one line to read out to the customer
    links: list[tuple[int, str]]
    actions: list[str]  # what the acting user may do now
    courtesy_due: datetime | None
    sla: Any = None  # SlaReport: the plan and each clock (see desk/sla.py)


class TicketMixin:
    # -- opening ------------------------------------------------------------------
    def open_ticket(
        self: Desk, customer_id: int, draft: TicketDraft, contact_id: int | None = None
    ) -> Ticket:
        """Open a ticket outside contact intake (e.g. from the CLI with --contact)."""
        prepared = self._prepare_ticket(draft, customer_id)
        require(self.actor, "ticket.open")
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

    def _prepare_ticket(self: Desk, draft: TicketDraft, customer_id: int) -> PreparedTicket:
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
            title,
            category.key,
            category.department,
            fields,
            priority,
            description,
            self._prepare_service(draft, customer_id),
        )

    def _insert_ticket(
        self: Desk, customer_id: int, prepared: PreparedTicket, contact_id: int | None
    ) -> int:
        now = self._stamp()
        actor = self.actor
        # A new ticket is with the front line; triage routes it to the
        # category's department for level 2 (seed 003).
        department = actor.department or FRONT_LINE
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
                "department": department,
                "level": 1,
                **prepared.service,
            }
        )
        initial: dict[str, Any] = {
            "status": [None, "open"],
            "department": [None, department],
            "level": [None, 1],
            "owner": [None, None],
            "priority": [None, prepared.priority],
        }
        initial.update({k: [None, v] for k, v in prepared.service.items() if v is not None})
        self.store.events.add(
            ticket_id,
            now,
            actor.login,
            "created",
            field="status",
            new_value="open",
            note=prepared.title,
            contact_id=contact_id,
            changes=initial,
        )
        self._sla_after_change(ticket_id)
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
            events = self.store.events.for_ticket(number)
            contacts = self.store.contacts.for_ticket(number)
            links = self.store.links.for_ticket(number)
            users = {u.login: u for u in self.store.users.list()}
            actor = self.actor
        now = self.now()
        journey = replay(ticket, events, now)
        return TicketView(
            ticket,
            events,
            contacts,
            journey,
            where_is_it(ticket, journey, events, now, users),
            links,
            transitions.allowed_actions(actor, ticket),
            courtesy_due_at(ticket),
            self.sla(number),
        )

    def journey(self: Desk, number: int) -> Journey:
        return self.ticket_view(number).journey

    def tickets(self: Desk, status: str = "open", limit: int | None = None) -> list[Ticket]:
        """Tickets oldest first for the CLI: ``open``, ``closed`` (resolved or closed), ``all``."""
        status = validate.choice(status, "status", ("open", "closed", "all"))
        statuses = {"open": OPEN_STATUSES, "closed": ("resolved", "closed"), "all": None}[status]
        return self.store.tickets.list(statuses, limit)

    def queue(self: Desk, view: str = "all", sort: str | None = None) -> list[Ticket]:
        """A whole queue view in its order (see :meth:`queue_page`; for the CLI)."""
        tickets: list[Ticket] = []
        page = self.queue_page(view, 500, sort=sort)
        while True:
            tickets.extend(page.rows)
            if not page.has_next or page.last_key is None:
                return tickets
            page = self.queue_page(view, 500, after=page.last_key, sort=sort)

    def queue_page(
        self: Desk,
        view: str = "all",
        size: int = 50,
        *,
        after: PageKey | None = None,
        before: PageKey | None = None,
        last: bool = False,
        sort: str | None = None,
    ) -> Page[Ticket]:
        """One page of the open queue, oldest first (``sort="age"``) or soonest due first
        (``sort="due"``: see ``SlaStore.due_page``; its page keys carry the due time).

        ``None`` is the view's own order: by due time for the SLA views (``breached``,
        ``at-risk``: read off the due index, instant on a million tickets), else by age.
        """
        view = validate.choice(view, "queue view", QUEUE_VIEWS)
        sort = sort or ("due" if view in SLA_VIEWS else "age")
        sort = validate.choice(sort, "queue sort", QUEUE_SORTS, field="sort")
        flt = QueueFilter()
        if view == "mine":
            flt = QueueFilter(owner=self.login)
        elif view == "department":
            flt = QueueFilter(department=self.actor.department or "")
        elif view == "triage":
            flt = QueueFilter(status="triage")
        elif view in ("courtesy-due", *SLA_VIEWS):
            flt = self._sla_queue_filter(view)  # plan-aware courtesy, breached, at risk
        elif view == "escalated":
            flt = QueueFilter(flagged=True)
        if sort == "due":
            return self.store.sla.due_page(flt, size, after=after, before=before, last=last)
        return self.store.tickets.queue_page(flt, size, after=after, before=before, last=last)

    # -- changing ---------------------------------------------------------------------------
    def add_note(self: Desk, number: int, text: str) -> Ticket:
        """Notes never conflict with other edits, so they need no version check."""
        note = validate.text(text, "note", limit=validate.LONG_TEXT_MAX, field="note")
        with self.store.transaction():
            ticket = self._authorised(number, "note")
            self._write(ticket, None, {}, "note", note=note)
        return self.ticket(number)

    def set_priority(
        self: Desk, number: int, priority: str, expected_version: int | None = None
    ) -> Ticket:
        priority = validate.choice(priority, "priority", PRIORITIES, field="priority")
        with self.store.transaction():
            ticket = self._authorised(number, "priority")
            if ticket.priority == priority:
                return ticket
            self._write(ticket, expected_version, {"priority": priority}, "changed")
        return self.ticket(number)

    def resolve(
        self: Desk,
        number: int,
        resolution: str,
        expected_version: int | None = None,
        *,
        told_via: str | None = None,
    ) -> Ticket:
        """Resolve with the solution given to the customer (required).

        ``told_via`` records how the customer was told (a channel); that is
        also a customer update.
        """
        resolution = validate.text(
            resolution, "resolution", limit=validate.LONG_TEXT_MAX, field="resolution"
        )
        if told_via is not None:
            told_via = validate.choice(told_via, "channel", CHANNELS, field="told_via")
        with self.store.transaction():
            self._resolve_in_tx(number, expected_version, resolution, told_via=told_via)
        return self.ticket(number)

    def close_ticket(
        self: Desk,
        number: int,
        expected_version: int | None = None,
        *,
        rating: int | str | None = None,
        comment: str | None = None,
    ) -> Ticket:
        """Close; ``rating`` (1-5) and ``comment`` are what the customer said (issue 7),
        kept in the close event and for the satisfaction report."""
        rating, comment = checked_rating(rating, comment)
        with self.store.transaction():
            ticket = self._authorised(number, "close", expected_version)
            now = self._stamp()
            said = {"rating": rating, "comment": comment} if rating is not None else None
            self._write(
                ticket,
                expected_version,
                {"status": "closed", "closed_at": now},
                "closed",
                note=comment,
                extra=said,
            )
            if rating is not None:
                record_rating(self, number, now, rating, comment)
        return self.ticket(number)

    def reopen_ticket(
        self: Desk, number: int, reason: str, expected_version: int | None = None
    ) -> Ticket:
        """Back to the queue: a resolved ticket by anyone, a closed one by a lead or admin."""
        reason = validate.text(reason, "reason", limit=validate.LONG_TEXT_MAX, field="reason")
        with self.store.transaction():
            ticket = self._authorised(number, "reopen", expected_version)
            self._write(
                ticket,
                expected_version,
                # The old resolution stays in the 'resolved' event's note, the
                # duplicate link in the 'duplicate' event and ticket_links.
                {
                    "status": "open",
                    "resolved_at": None,
                    "closed_at": None,
                    "resolution": "",
                    "duplicate_of": None,
                },
                "reopened",
                note=reason,
            )
        return self.ticket(number)

    # -- inside a transaction ----------------------------------------------------------------
    def _authorised(
        self: Desk, number: int, action: str, expected_version: int | None = None
    ) -> Ticket:
        """Read the ticket inside the write transaction and check the action on it.

        An edit made from a version read earlier is told first that someone else
        changed the ticket since (StaleEdit, "your text is kept"), not that the
        action no longer fits the status the other console left it in.
        """
        ticket = self.ticket(number)
        self._not_stale(ticket, expected_version)
        transitions.check(self.actor, ticket, action)
        return ticket

    def _not_stale(self: Desk, ticket: Ticket, expected_version: int | None) -> None:
        if expected_version is not None and ticket.version != expected_version:
            raise self._stale(ticket)

    def _resolve_in_tx(
        self: Desk,
        number: int,
        expected_version: int | None,
        resolution: str,
        note: str = "",
        told_via: str | None = None,
    ) -> None:
        ticket = self._authorised(number, "resolve", expected_version)
        now = self._stamp()
        changes: dict[str, Any] = {
            "status": "resolved",
            "resolution": resolution,
            "resolved_at": now,
        }
        if told_via:
            changes["last_update_at"] = now
        self._write(
            ticket,
            expected_version,
            changes,
            "resolved",
            note=resolution if not note else f"{resolution}\n({note})",
            extra={"told_via": told_via} if told_via else None,
        )

    def _link_contact_in_tx(
        self: Desk, number: int, contact_id: int, summary: str, channel: str
    ) -> int:
        ticket = self.ticket(number)
        if ticket.status == "closed":
            raise Forbidden(
                f"ticket #{number} is closed: open a new ticket, or ask a lead to reopen it"
            )
        transitions.check(self.actor, ticket, "contact")
        changes: dict[str, Any] = {}
        if ticket.status == "waiting_customer":
            # The customer answered: the ticket goes back to where it was when
            # the question was asked (triage, or its owner) (seed 002).
            transitions.check(self.actor, ticket, "customer_answered")
            changes["status"] = self._status_before_question(ticket)
        self._write(
            ticket, None, changes, "contact", note=summary, new=channel, contact_id=contact_id
        )
        return ticket.id

    def _status_before_question(self: Desk, ticket: Ticket) -> str:
        for event in reversed(self.store.events.for_ticket(ticket.id)):
            pair = event.changes.get("status")
            if event.kind == "info_requested" and isinstance(pair, list) and pair[0]:
                return str(pair[0])
        return "open" if ticket.owner else "triage"

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
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Update the row (version-checked) and append its event, in the caller's transaction.

        The event records every tracked field the action changed as
        ``{field: [old, new]}``; its ``field/old/new`` columns carry the
        main one (the status when it changed) for simple listings.
        """
        now = self._stamp()
        version = ticket.version if expected_version is None else expected_version
        try:
            self.store.tickets.update(ticket.id, version, {**changes, "updated_at": now})
        except StaleVersion:
            raise self._stale(ticket) from None
        data: dict[str, Any] = {
            key: [_plain(getattr(ticket, key)), _plain(value)]
            for key, value in changes.items()
            if key in TRACKED and _plain(getattr(ticket, key)) != _plain(value)
        }
        if field is None and new is None and data:
            field = "status" if "status" in data else next(iter(data))
            old, new = data[field]
        data.update(extra or {})
        self.store.events.add(
            ticket.id,
            now,
            self.actor.login,
            kind,
            field=field,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
            note=note,
            contact_id=contact_id,
            changes=data or None,
        )
        self._sla_after_change(ticket.id)

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
