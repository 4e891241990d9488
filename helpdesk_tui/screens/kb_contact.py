"""Walking a tree for the contact being logged (the contact form's ctrl+k).

The agent has the caller on the line and the contact form half filled. The
search is filtered by the category and product chosen on the form, if any.
What the form holds is read when the walk ends, not when it starts, so the
agent may go on typing the summary meanwhile:

- a solution is one keystroke: the contact is logged as answered at first
  contact (with a resolved ticket when the form's outcome asks for one);
- an escalation opens a ticket from the form and sends it to triage with
  the path taken, after one confirmation.

A blank summary becomes the article's title: the walk says what the call was
about. The form clears for the next call as after ctrl+s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual.widgets import Input, RadioSet, Select

from ..desk import DeskError, TicketDraft
from ..desk.knowledge_walk import Walk
from ..desk.knowledge_walking import WalkResult
from ..widgets.kb_view import one_line
from ..widgets.ticket_form import TicketForm
from .form_dialog import Field
from .kb_walk import WalkFor
from .knowledge import KnowledgeScreen

if TYPE_CHECKING:
    from ..desk import Desk
    from .contact import ContactScreen


@dataclass(frozen=True)
class FormState:
    """The contact form as it is when the walk ends."""

    channel: str
    customer_id: int
    summary: str
    resolved_ticket: bool  # the form's outcome: answered, and record it as a resolved ticket
    draft: TicketDraft  # the ticket part of the form
    started_at: object
    override_reason: str | None


class ContactIntake:
    """The :class:`~.kb_walk.Intake` of the contact form below the walk."""

    def __init__(self, screen: ContactScreen) -> None:
        self.screen = screen

    @property
    def desk(self) -> Desk:
        return self.screen.desk

    def describe(self) -> str:
        customer = self.screen.customer
        name = one_line(customer.name) if customer else "no customer chosen yet"
        return f"for the contact being logged ({name})"

    def state(self, walk: Walk) -> FormState:
        """Read the form now (UI thread); refuses when no customer is chosen yet."""
        from .contact import OUTCOME_CHOICES

        screen = self.screen
        if screen.customer is None:
            raise DeskError(
                "choose the customer on the contact form first (every contact is logged)",
                field="customer",
            )
        summary = screen.query_one("#summary", Input).value
        if not summary.strip():
            summary = walk.article.title
        form = screen.query_one(TicketForm).draft()
        draft = replace(
            form,
            title=form.title.strip() or summary,
            category=form.category or walk.article.category,
        )
        index = max(screen.query_one(RadioSet).pressed_index, 0)
        outcome, with_ticket, _label = OUTCOME_CHOICES[index]
        override = screen.query_one("#override-reason", Input).value.strip() or None
        return FormState(
            channel=str(screen.query_one("#channel", Select).value),
            customer_id=screen.customer.id,
            summary=summary,
            resolved_ticket=outcome == "answered" and with_ticket,
            draft=draft,
            started_at=screen.started_at,
            override_reason=override,
        )

    def solve_call(self, walk: Walk) -> Callable[[], WalkResult]:
        state = self.state(walk)
        ticket = state.draft if state.resolved_ticket else None
        return lambda: self.desk.kb_log_contact_solved(
            walk,
            channel=state.channel,
            customer_id=state.customer_id,
            summary=state.summary,
            ticket=ticket,
            started_at=state.started_at,  # type: ignore[arg-type]
            override_reason=state.override_reason if ticket is not None else None,
        )

    def escalate_fields(self, walk: Walk) -> list[Field]:
        state = self.state(walk)
        departments = tuple((d, d) for d in self.screen.helpdesk.department_names)
        node = walk.node
        category = self.screen.helpdesk.categories.get(state.draft.category)
        department = node.department or (category.department if category else None) or ""
        fields = [
            Field("title", "Ticket title", initial=state.draft.title),
            Field("department", "Send to triage of", "choice", departments, department),
            Field("tried", "What was tried", "text", initial=self.desk.kb_escalation_tried(walk)),
        ]
        for spec in category.fields if category else ():
            if spec.required and not state.draft.fields.get(spec.key, "").strip():
                fields.append(Field(f"cf_{spec.key}", f"{spec.label} *", placeholder=spec.help))
        if state.override_reason is None and self.screen.query_one("#override-reason").display:
            fields.append(Field("override", "Override: why open a ticket they are not entitled to"))
        return fields

    def escalate_call(self, walk: Walk) -> Callable[[dict[str, str]], WalkResult]:
        state = self.state(walk)

        def save(values: dict[str, str]) -> WalkResult:
            return self.desk.kb_log_contact_escalated(
                walk,
                channel=state.channel,
                customer_id=state.customer_id,
                summary=state.summary,
                ticket=replace(
                    state.draft,
                    title=values["title"],
                    fields={**state.draft.fields, **_category_fields(values)},
                ),
                tried=values["tried"],
                department=values["department"] or None,
                started_at=state.started_at,  # type: ignore[arg-type]
                override_reason=values.get("override") or state.override_reason,
            )

        return save

    def logged(self, result: WalkResult) -> None:
        if result.contact is not None:
            self.screen._saved(result.contact)


def _category_fields(values: dict[str, str]) -> dict[str, str]:
    """The ticket category's required fields the escalation dialog asked for."""
    return {k.removeprefix("cf_"): v for k, v in values.items() if k.startswith("cf_")}


def walk_for_contact(screen: ContactScreen) -> None:
    """ctrl+k on the contact form: find a tree (filtered by the form's category and product)."""
    if screen.customer is None:
        screen._field_error(
            DeskError(
                "choose the customer first (every contact is logged), then ctrl+k walks a tree",
                field="customer",
            )
        )
        return
    category, product, _asset = screen.query_one(TicketForm).choices()
    index = max(screen.query_one(RadioSet).pressed_index, 0)
    from .contact import OUTCOME_CHOICES

    with_ticket = OUTCOME_CHOICES[index][1]
    purpose = WalkFor(intake=ContactIntake(screen))
    search = KnowledgeScreen(
        purpose,
        category=category if with_ticket else None,
        product=product if with_ticket else None,
    )
    screen.app.push_screen(search)
