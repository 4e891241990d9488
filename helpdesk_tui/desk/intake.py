"""Logging a contact: the front line's main act (seed 002, step 1).

Every contact is logged, even a general question, because management uses
the log for staffing. A contact ends one of three ways: answered at first
contact (optionally with a ticket opened and resolved at once, for the
record), a new ticket, or added to an existing ticket.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ..clock import to_stamp
from ..store import Contact, Page, PageKey, Ticket
from ..vocab import CHANNELS, OUTCOMES
from . import validate
from .errors import InvalidInput, NotFound
from .permissions import require

if TYPE_CHECKING:
    from .facade import Desk


@dataclass(frozen=True)
class TicketDraft:
    """What the agent filled in to open a ticket."""

    title: str
    category: str
    fields: dict[str, str] = field(default_factory=dict)
    priority: str = "normal"
    description: str = ""
    product: str | None = None  # a catalogue product key or id
    asset_id: int | None = None  # the customer's asset the problem is about
    business_critical: bool = False


@dataclass(frozen=True)
class ContactResult:
    contact: Contact
    ticket: Ticket | None


class IntakeMixin:
    def log_contact(
        self: Desk,
        *,
        channel: str,
        customer_id: int,
        summary: str,
        outcome: str = "answered",
        ticket: TicketDraft | None = None,
        existing_ticket: int | None = None,
        resolution: str | None = None,
        started_at: datetime | None = None,
        override_reason: str | None = None,
    ) -> ContactResult:
        """Log one contact and do what its outcome says, all in one transaction.

        - ``answered``: nothing else, unless a ``ticket`` draft and a
          ``resolution`` are given: then a ticket is opened and resolved at once.
        - ``ticket``: a new ticket from the draft, linked to this contact.
        - ``existing``: the contact is added to ticket ``existing_ticket``.

        The customer's tier decides what they are entitled to (seed 000). A
        contact that is not entitled is still logged (every contact is), with
        the verdict; opening a ticket for it needs ``override_reason``, which
        becomes an event on the ticket.
        """
        channel = validate.choice(channel, "channel", CHANNELS, field="channel")
        outcome = validate.choice(outcome, "outcome", OUTCOMES, field="outcome")
        summary = validate.text(summary, "summary", limit=validate.SUMMARY_MAX, field="summary")
        if started_at is not None and started_at.tzinfo is None:
            raise InvalidInput("the contact's start time needs a time zone", field="started_at")
        actor = self.actor
        require(actor, "contact.log")
        customer = self.customer(customer_id)
        if outcome == "ticket" and ticket is None:
            raise InvalidInput("a new ticket needs a title and a category", field="title")
        if outcome == "existing" and existing_ticket is None:
            raise InvalidInput(
                "give the ticket number to add this contact to", field="existing_ticket"
            )
        if outcome == "answered" and ticket is not None and not (resolution or "").strip():
            raise InvalidInput(
                "a ticket answered at first contact needs its resolution text", field="resolution"
            )
        if outcome != "answered" and resolution:
            raise InvalidInput("only a contact answered at first contact carries a resolution")
        if outcome == "answered" and resolution and ticket is None:
            raise InvalidInput(
                "a resolution is recorded on a ticket: give its title and category too, "
                "or leave the resolution out",
                field="title",
            )
        if outcome == "existing" and ticket is not None:
            raise InvalidInput("a contact added to an existing ticket cannot open a new one")
        if outcome != "existing" and existing_ticket is not None:
            raise InvalidInput(
                f"ticket #{existing_ticket} was given but the outcome is {outcome!r}: "
                "use the outcome 'existing' to add the contact to it",
                field="outcome",
            )
        prepared = (
            self._prepare_ticket(ticket, customer.id)
            if ticket is not None and outcome != "existing"
            else None
        )
        entitlement = self._entitlement_check(
            customer.id,
            channel,
            ticket.category if prepared is not None and ticket else None,
            override_reason,
            opens_ticket=prepared is not None,
        )
        now = self._stamp()
        with self.store.transaction():
            contact_id = self.store.contacts.add(
                at=now,
                started_at=to_stamp(started_at) if started_at else None,
                channel=channel,
                customer_id=customer.id,
                agent=actor.login,
                summary=summary,
                outcome=outcome,
                ticket_id=None,
                **entitlement,
            )
            ticket_id: int | None = None
            if prepared is not None:
                ticket_id = self._insert_ticket(customer.id, prepared, contact_id)
                if not entitlement["entitled"]:
                    opened = self.ticket(ticket_id)
                    self._write(
                        opened,
                        None,
                        {},
                        "entitlement_override",
                        note=entitlement["override_reason"] or "",
                    )
                if outcome == "answered":
                    self._resolve_in_tx(ticket_id, None, resolution or "", note="at first contact")
            elif outcome == "existing":
                assert existing_ticket is not None
                ticket_id = self._link_contact_in_tx(existing_ticket, contact_id, summary, channel)
            if ticket_id is not None:
                self.store.contacts.set_ticket(contact_id, ticket_id, outcome)
        stored = self.store.contacts.get(contact_id)
        assert stored is not None
        return ContactResult(stored, self.store.tickets.get(ticket_id) if ticket_id else None)

    def contacts(self: Desk, limit: int | None = None) -> list[Contact]:
        """The contact log, newest first."""
        return self.store.contacts.latest(limit)

    def contacts_page(
        self: Desk,
        size: int = 50,
        *,
        older_than: PageKey | None = None,
        newer_than: PageKey | None = None,
    ) -> Page[Contact]:
        """The contact log a page at a time, newest first."""
        return self.store.contacts.page(size, older_than=older_than, newer_than=newer_than)

    def contact(self: Desk, contact_id: int) -> Contact:
        found = self.store.contacts.get(contact_id)
        if found is None:
            raise NotFound(f"no contact with id {contact_id}", field="contact")
        return found

    def customer_history(self: Desk, customer_id: int, limit: int = 10) -> list[Contact]:
        """The customer's latest contacts, shown at intake ("called twice this week")."""
        return self.store.contacts.for_customer(customer_id, limit)
