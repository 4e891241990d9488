"""Walking an article with the customer on the line, and what the walk ends in.

``kb_start_walk`` gives a :class:`~.knowledge_walk.Walk` holding the version it
started on; ``kb_answer``/``kb_back`` move it (no storage). A walk ends one of
three ways, each recorded for the statistics and, on a ticket, as a ``walk``
event whose note is the path, written in the same transaction as the ticket's
change:

- on a solution: :meth:`kb_resolve_with_solution` (the ticket is resolved with
  it) or, at first contact, :meth:`kb_log_contact_solved`;
- on an escalation: :meth:`kb_escalation_plan` pre-fills the move (send to
  triage, or escalate a level) and :meth:`kb_escalate` makes it;
- anywhere: :meth:`kb_abandon` ("didn't help") records where it stopped.

:meth:`kb_record_walk` records a walk with no change to a ticket (the CLI
without ``--ticket``, a general question answered at first contact).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..clock import to_stamp
from ..store import Ticket
from ..store.knowledge import KbWalkRecord
from ..vocab import CHANNELS
from . import transitions, validate
from .errors import InvalidInput
from .intake import ContactResult, TicketDraft
from .knowledge_base import KbBase, to_article
from .knowledge_tree import ESCALATION, SOLUTION, Node
from .knowledge_walk import ABANDONED, ESCALATED, OUTCOMES, SOLVED, Walk
from .permissions import require

if TYPE_CHECKING:
    from .facade import Desk


@dataclass(frozen=True)
class EscalationPlan:
    """What an escalation node proposes for the walk's ticket, for the agent to confirm.

    ``action`` is ``triage`` (level 1 sends to triage: level 2 of ``department``
    decides, seed 002) or ``escalate`` (a specialist moves it one level up).
    """

    action: str
    ticket_id: int
    department: str | None  # None: the ticket category's department
    level: int | None  # the level the article names
    reason: str
    tried: str
    record: str  # what the article says to record: guidance for the agent
    vendor: str | None = None  # past level 3: the vendor's name, case and promised date
    vendor_ref: str | None = None
    vendor_due: str | None = None


@dataclass(frozen=True)
class WalkResult:
    walk_id: int | None  # None: a preview, never recorded
    outcome: str
    path: str
    ticket: Ticket | None = None
    contact: ContactResult | None = None


class KbWalkMixin(KbBase):
    def kb_start_walk(
        self: Desk,
        key: str,
        *,
        ticket: int | None = None,
        contact: int | None = None,
        preview: bool = False,
    ) -> Walk:
        """Start at the published version (``preview``: admins walk the draft, unrecorded)."""
        actor = self.actor
        require(actor, "kb.walk")
        row = self._kb_row(key)
        version: int | None
        if preview:
            self._kb_admin()
            draft = self.store.knowledge.draft(row.id)
            content = draft.content if draft else self._kb_version_row(row, None).content
            version = None
        else:
            found = self._kb_version_row(row, None)
            content, version = found.content, found.version
        walk = Walk(
            to_article(row.key, content),
            version,
            article_id=row.id,
            agent=actor.login,
            started_at=self.now(),
            preview=preview,
        )
        self.kb_attach(walk, ticket=ticket, contact=contact)
        return walk

    def kb_attach(
        self: Desk, walk: Walk, *, ticket: int | None = None, contact: int | None = None
    ) -> Walk:
        """Tie a walk to a ticket or contact logged after it started."""
        if ticket is not None:
            transitions.check(self.actor, self.ticket(ticket), "walk")
            walk.ticket_id = ticket
        if contact is not None:
            walk.contact_id = self.contact(contact).id
        return walk

    def kb_answer(self: Desk, walk: Walk, answer: bool | str) -> Node:
        """Answer the current question (True/False, or y/yes/n/no); returns the next node."""
        return walk.answer(answer)

    def kb_back(self: Desk, walk: Walk) -> Node:
        return walk.back()

    # -- ending ----------------------------------------------------------------------------------
    def kb_record_walk(
        self: Desk, walk: Walk, outcome: str | None = None, note: str = ""
    ) -> WalkResult:
        """Record the walk as it ends now, with no other change to its ticket.

        ``outcome`` defaults to where the walk is: solved on a solution,
        escalated on an escalation, abandoned on a question.
        """
        outcome = self._kb_outcome(walk, outcome or walk.outcome or ABANDONED)
        note = validate.text(note, "note", required=False, limit=validate.SUMMARY_MAX)
        if walk.preview:
            return WalkResult(None, outcome, walk.path_text(outcome))
        with self.store.transaction():
            walk_id = self._kb_store_walk(walk, outcome)
            ticket = None
            if walk.ticket_id is not None:
                ticket = self._authorised(walk.ticket_id, "walk")
                self._kb_walk_event(walk, ticket, None, outcome, walk_id, note)
        return self._kb_result(walk, walk_id, outcome)

    def kb_abandon(self: Desk, walk: Walk, note: str = "") -> WalkResult:
        """Record where the walk stopped ("didn't help")."""
        return self.kb_record_walk(walk, ABANDONED, note)

    def kb_resolve_with_solution(
        self: Desk,
        walk: Walk,
        *,
        expected_version: int | None = None,
        told_via: str | None = None,
    ) -> WalkResult:
        """Resolve the walk's ticket with the solution reached (its title and steps)."""
        node = self._kb_at(walk, SOLUTION)
        number = self._kb_ticket_of(walk)
        if told_via is not None:
            told_via = validate.choice(told_via, "channel", CHANNELS, field="told_via")
        with self.store.transaction():
            ticket = self._authorised(number, "walk")
            walk_id = self._kb_store_walk(walk, SOLVED)
            self._kb_walk_event(walk, ticket, expected_version, SOLVED, walk_id)
            self._resolve_in_tx(
                number, None, node.resolution, note=self._kb_source(walk), told_via=told_via
            )
        return self._kb_result(walk, walk_id, SOLVED)

    def kb_log_contact_solved(
        self: Desk,
        walk: Walk,
        *,
        channel: str,
        customer_id: int,
        summary: str,
        ticket: TicketDraft | None = None,
        started_at: datetime | None = None,
        override_reason: str | None = None,
    ) -> WalkResult:
        """At first contact: log the contact as answered with the solution reached.

        With a ``ticket`` draft a ticket is opened and resolved at once with the
        solution as its resolution (the one keystroke of the contact form).
        """
        node = self._kb_at(walk, SOLUTION)
        if walk.ticket_id is not None:
            raise InvalidInput(
                f"this walk is on ticket #{walk.ticket_id}: resolve the ticket with the solution"
            )
        if walk.contact_id is not None:
            raise InvalidInput(
                f"contact {walk.contact_id} is already logged: record the walk on it instead"
            )
        try:
            logged, walk_id = self._kb_log_contact(
                walk, node, channel, customer_id, summary, ticket, started_at, override_reason
            )
        except BaseException:
            walk.contact_id = walk.ticket_id = None  # rolled back: the walk may be retried
            raise
        result = self._kb_result(walk, walk_id, SOLVED)
        contact = self.contact(logged.contact.id)
        return WalkResult(
            result.walk_id,
            SOLVED,
            result.path,
            result.ticket,
            ContactResult(contact, result.ticket),
        )

    def _kb_log_contact(
        self: Desk,
        walk: Walk,
        node: Node,
        channel: str,
        customer_id: int,
        summary: str,
        ticket: TicketDraft | None,
        started_at: datetime | None,
        override_reason: str | None,
    ) -> tuple[ContactResult, int]:
        with self.store.transaction():
            logged = self.log_contact(
                channel=channel,
                customer_id=customer_id,
                summary=summary,
                outcome="answered",
                ticket=ticket,
                resolution=node.resolution if ticket is not None else None,
                started_at=started_at,
                override_reason=override_reason,
            )
            walk.contact_id = logged.contact.id
            walk.ticket_id = logged.ticket.id if logged.ticket else None
            walk_id = self._kb_store_walk(walk, SOLVED)
            if logged.ticket is not None:
                self._kb_walk_event(walk, self.ticket(logged.ticket.id), None, SOLVED, walk_id)
        return logged, walk_id

    def kb_escalation_plan(self: Desk, walk: Walk) -> EscalationPlan:
        """The move an escalation node proposes for the walk's ticket, pre-filled."""
        node = self._kb_at(walk, ESCALATION)
        ticket = self.ticket(self._kb_ticket_of(walk))
        up = node.level is not None and ticket.level >= 2 and node.level > ticket.level
        target = f" ({node.target()})" if node.target() else ""
        return EscalationPlan(
            action="escalate" if up else "triage",
            ticket_id=ticket.id,
            department=node.department,
            level=node.level,
            reason=f"{node.text}{target}, as {self._kb_source(walk)} says",
            tried=f"Walked {self._kb_source(walk)}: {walk.path_text(ESCALATED)}",
            record=node.record,
        )

    def kb_escalate(
        self: Desk,
        walk: Walk,
        plan: EscalationPlan | None = None,
        *,
        expected_version: int | None = None,
    ) -> WalkResult:
        """Send the walk's ticket to triage or up a level, as the (edited) plan says."""
        self._kb_at(walk, ESCALATION)
        plan = plan or self.kb_escalation_plan(walk)
        number = self._kb_ticket_of(walk)
        if plan.ticket_id != number:
            raise InvalidInput(f"the plan is for ticket #{plan.ticket_id}, the walk for #{number}")
        if plan.action not in ("triage", "escalate"):
            raise InvalidInput(f"unknown action {plan.action!r}: use triage or escalate")
        with self.store.transaction():
            ticket = self._authorised(number, "walk")
            walk_id = self._kb_store_walk(walk, ESCALATED)
            self._kb_walk_event(walk, ticket, expected_version, ESCALATED, walk_id)
            if plan.action == "triage":
                self.send_to_triage(number, plan.tried, plan.department)
            else:
                self.escalate(
                    number,
                    plan.reason,
                    plan.tried,
                    vendor=plan.vendor,
                    vendor_ref=plan.vendor_ref,
                    vendor_due=plan.vendor_due,
                )
        return self._kb_result(walk, walk_id, ESCALATED)

    # -- inside ----------------------------------------------------------------------------------
    def _kb_at(self: Desk, walk: Walk, kind: str) -> Node:
        if walk.node.kind != kind:
            article = "an" if kind[0] in "aeiou" else "a"
            raise InvalidInput(f"the walk is at {walk.node.label()}, not at {article} {kind}")
        if walk.preview:
            raise InvalidInput("a preview of the draft changes no ticket: publish it first")
        return walk.node

    def _kb_ticket_of(self: Desk, walk: Walk) -> int:
        if walk.ticket_id is None:
            raise InvalidInput("this walk is not on a ticket: open or choose one first")
        return walk.ticket_id

    def _kb_outcome(self: Desk, walk: Walk, outcome: str) -> str:
        outcome = validate.choice(outcome, "outcome", OUTCOMES)
        if outcome != ABANDONED and outcome != walk.outcome:
            raise InvalidInput(
                f"the walk is at {walk.node.label()}: it can end {walk.outcome or ABANDONED} "
                "or abandoned"
            )
        return outcome

    def _kb_source(self: Desk, walk: Walk) -> str:
        return f"knowledge article '{walk.article.title}' v{walk.version}"

    def _kb_store_walk(self: Desk, walk: Walk, outcome: str) -> int:
        assert walk.version is not None
        return self.store.knowledge.add_walk(
            KbWalkRecord(
                article_id=walk.article_id,
                version=walk.version,
                agent=self.actor.login,
                ticket_id=walk.ticket_id,
                contact_id=walk.contact_id,
                started_at=to_stamp(walk.started_at),
                ended_at=self._stamp(),
                outcome=outcome,
                path=walk.path(),
            )
        )

    def _kb_walk_event(
        self: Desk,
        walk: Walk,
        ticket: Ticket,
        expected_version: int | None,
        outcome: str,
        walk_id: int,
        note: str = "",
    ) -> None:
        text = walk.path_text(outcome) + (f"\nNote: {note}" if note else "")
        extra = {
            "article": walk.article.key,
            "version": walk.version,
            "outcome": outcome,
            "end_node": walk.current,
            "walk": walk_id,
        }
        self._write(ticket, expected_version, {}, "walk", note=text, extra=extra)

    def _kb_result(self: Desk, walk: Walk, walk_id: int, outcome: str) -> WalkResult:
        ticket = self.ticket(walk.ticket_id) if walk.ticket_id is not None else None
        return WalkResult(walk_id, outcome, walk.path_text(outcome), ticket)
