"""A walk that reaches an escalation while the contact is still being logged.

At first contact there is no ticket yet to send anywhere: the contact is
logged with a new ticket, the walk's path becomes its ``walk`` event, and the
ticket goes to triage with the path as what was tried, all in one
transaction, so the console's one confirmation does what the front line
would otherwise do in three steps. (A solution at first contact is
:meth:`~.knowledge_walking.KbWalkMixin.kb_log_contact_solved`.)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from .errors import InvalidInput
from .intake import ContactResult, TicketDraft
from .knowledge_base import KbBase
from .knowledge_tree import ESCALATION
from .knowledge_walk import ESCALATED, Walk
from .knowledge_walking import WalkResult

if TYPE_CHECKING:
    from .facade import Desk


class KbIntakeMixin(KbBase):
    def kb_log_contact_escalated(
        self: Desk,
        walk: Walk,
        *,
        channel: str,
        customer_id: int,
        summary: str,
        ticket: TicketDraft,
        tried: str | None = None,
        department: str | None = None,
        started_at: datetime | None = None,
        override_reason: str | None = None,
    ) -> WalkResult:
        """Log the contact with a new ticket and send it to triage, with the walk's path.

        ``tried`` defaults to the path taken; ``department`` to the one the
        escalation names (else the ticket category's). A blank ticket title
        becomes the escalation's title, a blank category the article's.
        """
        self._kb_at(walk, ESCALATION)
        if walk.ticket_id is not None or walk.contact_id is not None:
            raise InvalidInput("this walk is already recorded on a ticket or contact")
        node = walk.node
        ticket = replace(
            ticket,
            title=ticket.title.strip() or node.text.strip().splitlines()[0],
            category=ticket.category or walk.article.category,
        )
        tried = tried if tried and tried.strip() else self.kb_escalation_tried(walk)
        try:
            with self.store.transaction():
                logged = self.log_contact(
                    channel=channel,
                    customer_id=customer_id,
                    summary=summary,
                    outcome="ticket",
                    ticket=ticket,
                    started_at=started_at,
                    override_reason=override_reason,
                )
                assert logged.ticket is not None
                walk.contact_id, walk.ticket_id = logged.contact.id, logged.ticket.id
                walk_id = self._kb_store_walk(walk, ESCALATED)
                self._kb_walk_event(walk, logged.ticket, None, ESCALATED, walk_id)
                self.send_to_triage(logged.ticket.id, tried, department or node.department)
        except BaseException:
            walk.contact_id = walk.ticket_id = None  # rolled back: the walk may be retried
            raise
        result = self._kb_result(walk, walk_id, ESCALATED)
        contact = self.contact(logged.contact.id)
        return WalkResult(
            walk_id, ESCALATED, result.path, result.ticket, ContactResult(contact, result.ticket)
        )

    def kb_escalation_tried(self: Desk, walk: Walk) -> str:
        """What was tried, as a triage note: the article walked and the path taken."""
        return f"Walked {self._kb_source(walk)}: {walk.path_text(ESCALATED)}"
