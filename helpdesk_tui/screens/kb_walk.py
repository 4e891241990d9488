"""Walking a knowledge tree with the customer on the line: one question at a time.

``y``/``n`` answer, ``b`` goes back, and the path so far stays on screen.
Answering is instant (the walk is in memory, on the version it started on);
only the ending touches the database, in a thread worker:

- on a solution, ``s`` resolves the ticket with it (or, at first contact,
  logs the contact as answered: one keystroke);
- on an escalation, ``e`` opens "send to triage / escalate" pre-filled with
  the target and the path taken;
- anywhere, ``d`` ("didn't help") records where the walk stopped.

The screen dismisses with the :class:`WalkResult` (None when nothing was
recorded), so the ticket or contact form below it can show what changed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..desk import DeskError, InvalidInput
from ..desk.knowledge_tree import ESCALATION, QUESTION, SOLUTION
from ..desk.knowledge_walk import Walk
from ..desk.knowledge_walking import EscalationPlan, WalkResult
from ..desk.transitions import EXTERNAL, LEVEL_NAMES
from ..textsafe import printable
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.kb_view import node_text, one_line, path_text
from ..widgets.topbar import TopBar
from .base import DeskCalls
from .dialogs import AskNumber, Choose
from .form_dialog import Field, FormDialog


class Intake(Protocol):
    """The contact being logged that a walk was started from (see :mod:`.kb_contact`)."""

    def describe(self) -> str: ...

    def solve_call(self, walk: Walk) -> Callable[[], WalkResult]: ...

    def escalate_fields(self, walk: Walk) -> list[Field]: ...

    def escalate_call(self, walk: Walk) -> Callable[[dict[str, str]], WalkResult]: ...

    def logged(self, result: WalkResult) -> None: ...


@dataclass(frozen=True)
class WalkFor:
    """What the walk is for: a ticket, a contact being logged, nothing yet, or a preview."""

    ticket: int | None = None
    ticket_title: str = ""
    told_via: str | None = None  # how the customer hears the solution (the ticket's channel)
    intake: Intake | None = None
    preview: bool = False  # an admin walking the draft: records nothing

    def describe(self) -> str:
        if self.preview:
            return "preview of the draft: nothing is recorded"
        if self.ticket is not None:
            title = f": {one_line(self.ticket_title)}" if self.ticket_title else ""
            return f"for ticket #{self.ticket}{title}"
        if self.intake is not None:
            return self.intake.describe()
        return "not on a ticket yet (s or e asks which one)"


class WalkScreen(DeskCalls, Screen[WalkResult | None]):
    DEFAULT_CSS = """
    WalkScreen #walk-title { height: auto; padding: 0 1; background: $boost; }
    WalkScreen #walk-path { height: auto; max-height: 14; padding: 0 1; }
    WalkScreen #walk-node { height: 1fr; padding: 0 1; border: round $accent; }
    WalkScreen #walk-keys { height: auto; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="walk.yes"),
        Binding("n", "answer(False)", "No", id="walk.no"),
        Binding("b", "back", "Back a step", id="walk.back"),
        Binding("s", "solve", "Resolve with this", id="walk.solve"),
        Binding("e", "escalate", "Triage / escalate", id="walk.escalate"),
        Binding("d", "gave_up", "Didn't help", id="walk.gave_up"),
        Binding("escape", "leave", "Leave", id="walk.leave"),
    ]

    def __init__(self, key: str, purpose: WalkFor | None = None) -> None:
        super().__init__()
        self.key = key
        self.purpose = purpose or WalkFor()
        self.walk: Walk | None = None
        self.busy = False  # an ending is being saved: keys wait

    def compose(self) -> ComposeResult:
        yield TopBar(getattr(self.app, "current_mode", "knowledge"))
        yield BulletinBar()
        yield Static("Opening the article…", id="walk-title", markup=False)
        yield Static("Path so far", classes="section-title", markup=False)
        with VerticalScroll(id="walk-path"):
            yield Static(id="walk-path-text", markup=False)
        with VerticalScroll(id="walk-node"):
            yield Static(id="walk-node-text", markup=False)
        yield Static(id="walk-keys", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        purpose, key = self.purpose, self.key
        self.run_desk(
            lambda: self.desk.kb_start_walk(key, ticket=purpose.ticket, preview=purpose.preview),
            self._started,
            failed=self._cannot_start,
            group="walk",
            exclusive=True,
        )

    def _started(self, walk: Walk) -> None:
        self.walk = walk
        self.show()

    def _cannot_start(self, error: DeskError) -> None:
        self.report(error)
        self.dismiss(None)

    # -- rendering ------------------------------------------------------------------------------
    def show(self) -> None:
        walk = self.walk
        if walk is None:
            return
        title = Text()
        title.append(printable(walk.article.title, single_line=True), style="bold")
        version = "draft" if walk.version is None else f"v{walk.version}"
        title.append(f"  · {version} · ", style="dim")
        title.append(printable(self.purpose.describe(), single_line=True))
        self.query_one("#walk-title", Static).update(title)
        self.query_one("#walk-path-text", Static).update(path_text(walk))
        self.query_one("#walk-path", VerticalScroll).scroll_end(animate=False)
        self.query_one("#walk-node-text", Static).update(node_text(walk.node, heading=False))
        kind = walk.node.kind
        self.query_one("#walk-node").border_title = (
            f"Question {len(walk.steps) + 1}" if kind == QUESTION else kind.capitalize()
        )
        self.query_one("#walk-node", VerticalScroll).scroll_home(animate=False)
        self.query_one("#walk-keys", Static).update(self._keys_text(walk))
        self.refresh_bindings()

    def _keys_text(self, walk: Walk) -> Text:
        keys: list[tuple[str, str]] = []
        kind = walk.node.kind
        if kind == QUESTION:
            keys += [("y", "yes"), ("n", "no")]
        elif kind == SOLUTION and not walk.preview:
            keys.append(("s", self._solve_label()))
        elif kind == ESCALATION and not walk.preview:
            keys.append(("e", "send to triage / escalate"))
        if walk.steps:
            keys.append(("b", "back a step"))
        if not walk.preview:
            keys.append(("d", "didn't help"))
        keys.append(("esc", "leave"))
        out = Text("Keys now: ", style="dim")
        for key, label in keys:
            out.append(f" {key} ", style="reverse")
            out.append(f" {label}  ")
        return out

    def _solve_label(self) -> str:
        if self.purpose.ticket is not None:
            return f"resolve #{self.purpose.ticket} with this"
        if self.purpose.intake is not None:
            return "log the contact: answered at first contact"
        return "resolve a ticket with this"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        walk = self.walk
        if walk is None:
            return action == "leave"
        kind = walk.node.kind
        if action == "answer":
            return kind == QUESTION
        if action == "back":
            return bool(walk.steps)
        if action == "solve":
            return kind == SOLUTION and not walk.preview
        if action == "escalate":
            return kind == ESCALATION and not walk.preview
        if action == "gave_up":
            return not walk.preview
        return True

    # -- walking (in memory: instant) -----------------------------------------------------------
    def action_answer(self, yes: bool) -> None:
        if self.walk is None or self.busy:
            return
        try:
            self.walk.answer(yes)
        except InvalidInput as error:
            self.report(error)
        self.show()

    def action_back(self) -> None:
        if self.walk is None or self.busy:
            return
        try:
            self.walk.back()
        except InvalidInput as error:
            self.report(error)
        self.show()

    # -- endings (recorded in a worker) ---------------------------------------------------------
    def action_solve(self) -> None:
        walk = self.walk
        if walk is None or self.busy or walk.node.kind != SOLUTION or walk.preview:
            return
        purpose = self.purpose
        if purpose.intake is not None:
            try:
                call = purpose.intake.solve_call(walk)
            except DeskError as error:
                self.report(error)
                return
            self._end(call, purpose.intake.logged)
        elif purpose.ticket is not None:
            told = purpose.told_via
            self._end(lambda: self.desk.kb_resolve_with_solution(walk, told_via=told))
        else:
            self._ask_ticket(
                "Resolve which ticket with this solution?",
                lambda number: self._on_ticket(
                    walk, number, lambda: self.desk.kb_resolve_with_solution(walk)
                ),
            )

    def action_escalate(self) -> None:
        walk = self.walk
        if walk is None or self.busy or walk.node.kind != ESCALATION or walk.preview:
            return
        intake = self.purpose.intake
        if intake is not None:
            self._form(
                "Open a ticket and send it to triage",
                intake.escalate_fields(walk),
                intake.escalate_call(walk),
                intake.logged,
                hint=self._record_hint(walk),
            )
        elif walk.ticket_id is not None:
            self.run_desk(lambda: self._plan(walk), self._escalation_form)
        else:
            self._ask_ticket(
                "Send which ticket to triage / escalate?",
                lambda number: self.run_desk(
                    lambda: self._attached_plan(walk, number), self._escalation_form
                ),
            )

    def action_gave_up(self) -> None:
        walk = self.walk
        if walk is None or self.busy or walk.preview:
            return
        self._end(lambda: self.desk.kb_abandon(walk))

    def action_leave(self) -> None:
        walk = self.walk
        if walk is None or walk.preview or not walk.steps or self.busy:
            self.dismiss(None)
            return

        def chosen(choice: str | None) -> None:
            if choice == "record":
                self.action_gave_up()
            elif choice == "leave":
                self.dismiss(None)

        self.app.push_screen(
            Choose(
                "Leave the walk?",
                [
                    ("record", "Didn't help: record where the walk stopped"),
                    ("leave", "Leave without recording anything"),
                ],
                "record",
            ),
            chosen,
        )

    # -- helpers --------------------------------------------------------------------------------
    def _end(
        self, call: Callable[[], WalkResult], after: Callable[[WalkResult], Any] | None = None
    ) -> None:
        self.busy = True

        def done(result: WalkResult) -> None:
            self.busy = False
            if after is None:  # the contact form says "Contact N logged" itself
                self.say(_ended_message(result))
            if after is not None:
                after(result)
            self.dismiss(result)

        def failed(error: DeskError) -> None:
            self.busy = False
            self.report(error)

        self.run_desk(call, done, failed=failed, group="walk-end", exclusive=True)

    def _ask_ticket(self, title: str, then: Callable[[int], None]) -> None:
        def chosen(number: int | None) -> None:
            if number is not None:
                then(number)

        self.app.push_screen(AskNumber(title), chosen)

    def _on_ticket(self, walk: Walk, number: int, call: Callable[[], WalkResult]) -> None:
        def attached() -> WalkResult:
            self.desk.kb_attach(walk, ticket=number)
            try:
                return call()
            except DeskError:
                walk.ticket_id = None
                raise

        self._end(attached)

    def _attached_plan(self, walk: Walk, number: int) -> tuple[EscalationPlan, str]:
        self.desk.kb_attach(walk, ticket=number)
        try:
            return self._plan(walk)
        except DeskError:
            walk.ticket_id = None
            raise

    def _plan(self, walk: Walk) -> tuple[EscalationPlan, str]:
        """The plan, and the department a triage goes to when the article names none."""
        plan = self.desk.kb_escalation_plan(walk)
        ticket = self.desk.ticket(plan.ticket_id)
        category = self.helpdesk.categories.get(ticket.category)
        department = (
            plan.department
            or (category.department if category else None)
            or ticket.department
            or None
        )
        return replace(plan, department=department), _next_level(ticket.level)

    def _escalation_form(self, planned: tuple[EscalationPlan, str]) -> None:
        walk = self.walk
        if walk is None:
            return
        plan, up = planned
        departments = tuple((d, d) for d in self.helpdesk.department_names)
        fields = [
            Field(
                "action",
                "What to do",
                "choice",
                (
                    ("triage", "Send to triage: level 2 of the department decides"),
                    ("escalate", f"Escalate to {up}"),
                ),
                plan.action,
            ),
            Field(
                "department",
                "Department (for triage)",
                "choice",
                departments,
                plan.department or "",
            ),
            Field("tried", "What was tried (level 2 reads this first)", "text", initial=plan.tried),
            Field("reason", "Reason (for an escalation)", "text", initial=plan.reason),
        ]
        if up == LEVEL_NAMES.get(EXTERNAL):
            fields += [
                Field("vendor", "Vendor or consultant (escalating past level 3)"),
                Field("vendor_ref", "Vendor's case reference"),
                Field("vendor_due", "Date the vendor promised", placeholder="YYYY-MM-DD"),
            ]

        def save(values: dict[str, str]) -> WalkResult:
            edited = replace(
                plan,
                action=values["action"],
                department=values["department"] or None,
                tried=values["tried"],
                reason=values["reason"],
                vendor=values.get("vendor") or None,
                vendor_ref=values.get("vendor_ref") or None,
                vendor_due=values.get("vendor_due") or None,
            )
            return self.desk.kb_escalate(walk, edited)

        self._form(
            f"Ticket #{plan.ticket_id}: send to triage / escalate",
            fields,
            save,
            None,
            hint=self._record_hint(walk),
        )

    def _record_hint(self, walk: Walk) -> str:
        node = walk.node
        target = f"The article says: {node.target()}. " if node.target() else ""
        record = " ".join(node.record.split())
        text = target + (f"Record for the next line: {record}" if record else "")
        return textwrap.fill(text, width=84)  # the dialog's hint does not wrap by itself

    def _form(
        self,
        title: str,
        fields: list[Field],
        save: Callable[[dict[str, str]], WalkResult],
        after: Callable[[WalkResult], Any] | None,
        *,
        hint: str = "",
    ) -> None:
        def closed(result: WalkResult | None) -> None:
            if result is not None:
                self.say(_ended_message(result))
                if after is not None:
                    after(result)
                self.dismiss(result)

        self.app.push_screen(FormDialog(title, fields, save, hint=hint), closed)


def _next_level(level: int) -> str:
    return LEVEL_NAMES.get(level + 1, "the next level")


def _ended_message(result: WalkResult) -> str:
    ticket = result.ticket
    where = f"ticket #{ticket.id}" if ticket is not None else "the walk"
    if result.contact is not None:
        logged = f"Contact {result.contact.contact.id} logged"
        if result.outcome == "solved":
            suffix = f"; {where} opened and resolved" if ticket is not None else ""
            return f"{logged} as answered at first contact{suffix}"
        return f"{logged}; {where} opened and sent to triage"
    if result.outcome == "solved":
        return f"{where.capitalize()} resolved with the solution; the path is on its timeline"
    if result.outcome == "escalated":
        status = ticket.status if ticket is not None else ""
        verb = "sent to triage" if status == "triage" else "escalated"
        return f"{where.capitalize()} {verb}; the path is on its timeline"
    if ticket is not None:
        return f"Didn't help: where the walk stopped is recorded on ticket #{ticket.id}"
    return "Didn't help: where the walk stopped is recorded"
