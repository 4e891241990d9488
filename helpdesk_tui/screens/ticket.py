"""One ticket: its fields, the timeline of every event, and the actions on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from ..desk import InvalidInput, StaleEdit, TicketView, human_age, local
from ..desk.satisfaction import RATING_LABELS
from ..desk.transitions import EXTERNAL, LEVEL_NAMES
from ..textsafe import printable
from ..vocab import CHANNEL_LABELS, CHANNELS, PRIORITIES, STATUS_LABELS
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.cells import PRIORITY_STYLES, SLA_STATE_STYLES, age_style
from ..widgets.topbar import TopBar
from .base import DeskScreen
from .dialogs import Choose
from .form_dialog import Field, FormDialog
from .knowledge import walk_for_ticket

CHANNEL_CHOICES = tuple((c, CHANNEL_LABELS[c]) for c in CHANNELS)

#: Domain action -> (key, label) for the "Keys now" line.
ACTION_KEYS = {
    "note": "a",
    "update_customer": "u",
    "triage": "t",
    "request_info": "i",
    "transfer": "x",
    "take": "k",
    "assign": "g",
    "release": "l",
    "escalate": "e",
    "escalate_external": "e",
    "deescalate": "d",
    "return": "f",
    "resolve": "s",
    "close": "c",
    "reopen": "o",
    "duplicate": "m",
    "priority": "p",
    "walk": "w",
}
ACTION_LABELS = {
    "note": "note",
    "update_customer": "update customer",
    "triage": "send to triage",
    "request_info": "ask customer",
    "transfer": "transfer",
    "take": "take",
    "assign": "assign",
    "release": "release",
    "escalate": "escalate",
    "escalate_external": "escalate to vendor",
    "deescalate": "de-escalate",
    "return": "return to front line",
    "resolve": "resolve",
    "close": "close",
    "reopen": "reopen",
    "duplicate": "link",
    "priority": "priority",
    "walk": "walk a tree",
}

KIND_LABELS = {
    "created": "opened",
    "contact": "contact",
    "note": "note",
    "changed": "changed",
    "resolved": "resolved",
    "closed": "closed",
    "reopened": "reopened",
    "triage": "triage",
    "info_requested": "asked",
    "transferred": "transfer",
    "taken": "taken",
    "assigned": "assigned",
    "released": "released",
    "escalated": "escalated",
    "deescalated": "de-escal.",
    "returned": "returned",
    "customer_update": "update",
    "duplicate": "duplicate",
    "linked": "linked",
}


def _shown(value: object) -> str:
    if value is None or value == "":
        return "-"
    return printable(str(value), single_line=True)


class TicketScreen(DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="ticket.back"),
        Binding("a", "note", "Note", id="ticket.note"),
        Binding("u", "update_customer", "Update customer", id="ticket.update_customer"),
        Binding("t", "triage", "Triage", id="ticket.triage"),
        Binding("k", "take", "Take", id="ticket.take"),
        Binding("e", "escalate", "Escalate", id="ticket.escalate"),
        Binding("s", "resolve", "Resolve", id="ticket.resolve"),
        Binding("w", "walk_tree", "Walk a tree", id="ticket.walk"),
        Binding("p", "priority", "Priority", show=False, id="ticket.priority"),
        Binding("i", "request_info", "Ask customer", show=False, id="ticket.request_info"),
        Binding("x", "transfer", "Transfer", show=False, id="ticket.transfer"),
        Binding("g", "assign", "Assign", show=False, id="ticket.assign"),
        Binding("l", "release", "Release", show=False, id="ticket.release"),
        Binding("d", "deescalate", "De-escalate", show=False, id="ticket.deescalate"),
        Binding("f", "return_front", "Return to front line", show=False, id="ticket.return"),
        Binding("c", "close_ticket", "Close", show=False, id="ticket.close"),
        Binding("o", "reopen", "Reopen", show=False, id="ticket.reopen"),
        Binding("m", "link", "Link", show=False, id="ticket.link"),
        Binding("r", "reload", "Refresh", show=False, id="ticket.refresh"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.view: TicketView | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("queue")
        yield BulletinBar()
        with VerticalScroll(id="ticket-body"):
            yield Static(id="ticket-header", markup=False)
            yield Static(id="ticket-where", markup=False)
            yield Static(id="ticket-actions", markup=False)
            yield Static(id="ticket-fields", markup=False)
            yield Static("Timeline", classes="section-title")
            yield Static(id="ticket-timeline", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.helpdesk, "data_generation", lambda _g: self.load(), init=False)
        self.load()

    def load(self) -> None:
        self.run_desk(
            lambda: self.desk.ticket_view(self.number),
            self._show,
            failed=self._missing,
            group="ticket",
            exclusive=True,
        )

    def _missing(self, error: Exception) -> None:
        self.report(str(error))
        self.dismiss()

    # -- rendering --------------------------------------------------------------------
    def _show(self, view: TicketView) -> None:
        self.view = view
        t = view.ticket
        now = self.desk.now()
        head = Text()
        head.append(f"#{t.id} ", style="bold")
        head.append(printable(t.title, single_line=True), style="bold")
        head.append("\n")
        head.append(f" {STATUS_LABELS.get(t.status, t.status)} ", style="reverse")
        head.append("  priority ")
        head.append(t.priority, style=PRIORITY_STYLES.get(t.priority, ""))
        age = now - t.created_at
        head.append("  age ")
        head.append(human_age(age), style=age_style(age))
        head.append(f"  opened {local(t.created_at, now=now)} by {t.created_by}")
        head.append(f"  · {t.department or 'no department'}, {LEVEL_NAMES[t.level]}")
        head.append(f"  · owner {t.owner or 'nobody'}  · version {t.version}", style="dim")
        head.append("\nCustomer: ")
        head.append(printable(t.customer_name, single_line=True), style="bold")
        head.append(f" (#{t.customer_id})")
        self.query_one("#ticket-header", Static).update(head)
        self.query_one("#ticket-where", Static).update(self._where_text(view))
        self.query_one("#ticket-actions", Static).update(self._actions_text(view))
        self.query_one("#ticket-fields", Static).update(self._fields_text(view))
        self.query_one("#ticket-timeline", Static).update(self._timeline_text(view))

    def _where_text(self, view: TicketView) -> Text:
        t, now = view.ticket, self.desk.now()
        out = Text()
        out.append("Where is it now: ", style="bold")
        out.append(view.where + "\n")
        legs = [
            f"{LEVEL_NAMES[level]} {human_age(spent)}"
            for level, spent in sorted(view.journey.by_level.items())
        ]
        depts = [f"{name} {human_age(spent)}" for name, spent in view.journey.by_department.items()]
        out.append("Time spent: ", style="dim")
        out.append(", ".join(legs) + "  ·  " + ", ".join(depts))
        out.append(f"  ·  escalations {t.escalations}, returns {t.returns}", style="dim")
        if t.lead_flag:
            out.append("  ·  flagged for the team lead", style="bold red")
        if view.courtesy_due is not None:
            overdue = view.courtesy_due < now
            out.append("\nCourtesy update ", style="dim")
            out.append(
                f"overdue since {local(view.courtesy_due, now=now)}"
                if overdue
                else f"due {local(view.courtesy_due, now=now)}",
                style="bold red" if overdue else "",
            )
        report = view.sla
        if report is not None and report.plan is not None:
            out.append(f"\nSLA {report.plan.name}: ", style="dim")
            for clock in report.clocks:
                out.append(f"{clock.name} ")
                when = (
                    f"met {local(clock.met_at, now=now)}"
                    if clock.met_at
                    else f"due {local(clock.due, now=now)}"
                    if clock.due
                    else clock.state
                )
                out.append(f"{when} ({clock.state})  ", style=SLA_STATE_STYLES.get(clock.state, ""))
        if view.links:
            out.append("\nLinked: ", style="dim")
            words = {
                "duplicate_of": "this is a duplicate of",
                "duplicated_by": "duplicate of this",
                "related": "related",
            }
            out.append(", ".join(f"#{n} ({words.get(kind, kind)})" for n, kind in view.links))
        return out

    def _actions_text(self, view: TicketView) -> Text:
        out = Text("Keys now: ", style="dim")
        for action in view.actions:
            key = ACTION_KEYS.get(action)
            if key:
                out.append(f" {key} ", style="reverse")
                out.append(f" {ACTION_LABELS[action]}  ")
        return out

    def _fields_text(self, view: TicketView) -> Text:
        t = view.ticket
        out = Text()
        category = self.helpdesk.categories.get(t.category)
        labels = {f.key: f.label for f in category.fields} if category else {}
        out.append(f"{category.name if category else t.category}\n", style="bold")
        for key, value in t.fields.items():
            out.append(f"  {labels.get(key, key)}: ", style="dim")
            out.append(printable(value, single_line=True) + "\n")
        if t.description:
            out.append("Description\n", style="bold")
            out.append(printable(t.description) + "\n")
        if t.resolution:
            out.append("Resolution\n", style="bold green")
            out.append(printable(t.resolution) + "\n")
        return out

    def _timeline_text(self, view: TicketView) -> Text:
        now = self.desk.now()
        contacts = {c.id: c for c in view.contacts}
        pad = "\n" + " " * 39
        out = Text()
        for e in view.events:
            out.append(f"{local(e.at, now=now):>16}  ", style="dim")
            out.append(f"{printable(e.actor, single_line=True):<10} ", style="bold")
            out.append(f"{KIND_LABELS.get(e.kind, e.kind):<9} ", style="cyan")
            note = e.note
            if e.kind == "created":
                c = contacts.get(e.contact_id or -1)
                if c is not None:
                    out.append(f"from a {CHANNEL_LABELS.get(c.channel, c.channel)} contact: ")
                    out.append(printable(c.summary, single_line=True))
                note = ""
            elif e.kind in ("contact", "customer_update"):
                channel = e.new_value if e.field != "status" else ""
                out.append(f"{CHANNEL_LABELS.get(channel or '', channel or '')}: ")
                out.append(printable(note, single_line=True))
                note = ""
            elif e.kind == "walk":  # a knowledge walk: one question and answer per line
                note = note.replace("; ", "\n")
            changes = [
                f"{name} {_shown(old)} -> {_shown(new)}"
                for name, pair in e.changes.items()
                if isinstance(pair, list) and len(pair) == 2 and e.kind != "created"
                for old, new in [pair]
            ]
            if not changes and e.field and e.kind not in ("created", "contact", "customer_update"):
                changes = [f"{e.field} {_shown(e.old_value)} -> {_shown(e.new_value)}"]
            out.append(", ".join(changes))
            if note:
                out.append(pad if changes else "")
                out.append(printable(note).replace("\n", pad))
            out.append("\n")
        return out

    # -- actions ---------------------------------------------------------------------------
    def _versioned(self, call: Callable[[int, Any], Any]) -> Callable[[Any], Any]:
        """Wrap a save so a stale edit is refused once, then may be retried deliberately.

        The version is the one the user saw when the dialog opened; after a
        refusal the user has been told what changed, so a second save uses
        the current version.
        """
        holder = {"version": self.view.ticket.version if self.view else 0}

        def save(values: Any) -> Any:
            try:
                return call(holder["version"], values)
            except StaleEdit:
                holder["version"] = self.desk.ticket(self.number).version
                raise

        return save

    def action_note(self) -> None:
        self._form(
            f"Note on ticket #{self.number}",
            [Field("note", "Note (visible to the team in the timeline)", "text")],
            lambda values: self.desk.add_note(self.number, values["note"]),
            "Note added",
        )

    def action_priority(self) -> None:
        if self.view is None:
            return
        current = self.view.ticket.priority
        version = self.view.ticket.version

        def chosen(priority: str | None) -> None:
            if priority and priority != current:
                self.run_desk(
                    lambda: self.desk.set_priority(self.number, priority, version),
                    self._done(f"Priority set to {priority}"),
                )

        self.app.push_screen(Choose("Priority", [(p, p) for p in PRIORITIES], current), chosen)

    def action_resolve(self) -> None:
        if self.view is None:
            return
        save = self._versioned(
            lambda v, values: self.desk.resolve(
                self.number, values["resolution"], v, told_via=values["told_via"] or None
            )
        )
        self._form(
            f"Resolve ticket #{self.number}",
            [
                Field("resolution", "The solution given to the customer (required)", "text"),
                Field(
                    "told_via",
                    "How the customer was told",
                    "choice",
                    (("", "not told yet"),) + CHANNEL_CHOICES,
                    "phone",
                ),
            ],
            save,
            "Ticket resolved",
        )

    def action_triage(self) -> None:
        default = self._routing_department()
        self._form(
            f"Send ticket #{self.number} to triage",
            [
                Field("tried", "What was tried (level 2 reads this first)", "text"),
                Field("department", "Route to department", "choice", self._departments(), default),
            ],
            self._versioned(
                lambda v, values: self.desk.send_to_triage(
                    self.number, values["tried"], values["department"], v
                )
            ),
            "Sent to triage",
        )

    def action_request_info(self) -> None:
        self._form(
            f"Ask the customer (ticket #{self.number})",
            [
                Field("question", "The question asked; the ticket waits for the answer", "text"),
            ],
            self._versioned(
                lambda v, values: self.desk.request_info(self.number, values["question"], v)
            ),
            "Waiting on the customer",
        )

    def action_transfer(self) -> None:
        self._form(
            f"Transfer ticket #{self.number}",
            [
                Field("department", "To department", "choice", self._departments()),
                Field("reason", "Reason", "text"),
            ],
            self._versioned(
                lambda v, values: self.desk.transfer(
                    self.number, values["department"], values["reason"], v
                )
            ),
            "Transferred",
        )

    def action_take(self) -> None:
        self.run_desk(lambda: self.desk.take(self.number), self._done(f"You own #{self.number}"))

    def action_release(self) -> None:
        self.run_desk(
            lambda: self.desk.release(self.number), self._done(f"Released #{self.number}")
        )

    def action_assign(self) -> None:
        def ask(users: list) -> None:
            choices = tuple(
                (u.login, f"{u.name} ({u.login}, L{u.level}, {u.department or '-'})")
                for u in users
                if u.active
            )
            self._form(
                f"Assign ticket #{self.number}",
                [
                    Field("login", "To", "choice", choices),
                    Field("note", "Note (optional)", "text"),
                ],
                lambda values: self.desk.assign(self.number, values["login"], values["note"]),
                "Assigned",
            )

        self.run_desk(self.desk.users, ask)

    def action_escalate(self) -> None:
        if self.view is None:
            return
        t = self.view.ticket
        target = t.level + 1
        fields = [Field("reason", "Reason", "text"), Field("tried", "Steps tried", "text")]
        if target == EXTERNAL:
            fields += [
                Field("vendor", "Vendor or consultant"),
                Field("vendor_ref", "Vendor's case reference"),
                Field("vendor_due", "Date the vendor promised", placeholder="YYYY-MM-DD"),
            ]
        title = f"Escalate ticket #{self.number} to {LEVEL_NAMES.get(target, 'beyond')}"
        self._form(
            title,
            fields,
            self._versioned(
                lambda v, values: self.desk.escalate(
                    self.number,
                    values["reason"],
                    values["tried"],
                    vendor=values.get("vendor"),
                    vendor_ref=values.get("vendor_ref"),
                    vendor_due=values.get("vendor_due"),
                    expected_version=v,
                )
            ),
            "Escalated",
            hint="High and urgent tickets are flagged for the team lead.",
        )

    def action_deescalate(self) -> None:
        self._form(
            f"De-escalate ticket #{self.number}",
            [Field("reason", "Reason", "text")],
            self._versioned(
                lambda v, values: self.desk.deescalate(self.number, values["reason"], v)
            ),
            "De-escalated",
        )

    def action_return_front(self) -> None:
        self._form(
            f"Return ticket #{self.number} to the front line",
            [
                Field("solution", "Proposed solution for the front line to give", "text"),
            ],
            self._versioned(
                lambda v, values: self.desk.return_to_front_line(self.number, values["solution"], v)
            ),
            "Returned to the front line",
        )

    def action_update_customer(self) -> None:
        self._form(
            f"Update the customer (ticket #{self.number})",
            [
                Field("channel", "Channel", "choice", CHANNEL_CHOICES, "email"),
                Field("message", "What the customer was told", "text"),
            ],
            lambda values: self.desk.update_customer(
                self.number, values["channel"], values["message"]
            ),
            "Customer update recorded",
        )

    def action_link(self) -> None:
        def save(values: dict[str, str]) -> Any:
            other = values["other"].strip().lstrip("#")
            if not other.isdigit():
                raise InvalidInput("type the other ticket's number", field="other")
            if values["kind"] == "duplicate":
                return self.desk.link_duplicate(self.number, int(other))
            return self.desk.link_related(self.number, int(other))

        self._form(
            f"Link ticket #{self.number}",
            [
                Field(
                    "kind",
                    "Link",
                    "choice",
                    (("related", "related to"), ("duplicate", "duplicate of (closes this one)")),
                ),
                Field("other", "Other ticket number", placeholder="e.g. 1234"),
            ],
            save,
            "Linked",
        )

    # -- helpers -------------------------------------------------------------------------------
    def _form(
        self,
        title: str,
        fields: list[Field],
        save: Callable[[dict[str, str]], Any],
        done: str,
        hint: str = "",
    ) -> None:
        def closed(result: Any) -> None:
            if result is not None:
                self.say(done)
                self.load()

        self.app.push_screen(FormDialog(title, fields, save, hint=hint), closed)

    def _departments(self) -> tuple[tuple[str, str], ...]:
        return tuple((d, d) for d in self.helpdesk.department_names)

    def _routing_department(self) -> str:
        if self.view is None:
            return ""
        category = self.helpdesk.categories.get(self.view.ticket.category)
        return (category.department if category and category.department else "") or ""

    def action_close_ticket(self) -> None:
        """Close, with what the customer said: a rating 1-5 and a comment (issue 7)."""
        if self.view is None:
            return
        ratings = (("", "not asked / no answer"), *((str(n), f"{n} - {label}")
                   for n, label in sorted(RATING_LABELS.items(), reverse=True)))  # fmt: skip
        self._form(
            f"Close ticket #{self.number}",
            [
                Field("rating", "Customer satisfaction", "choice", ratings, ""),
                Field("comment", "What the customer said (optional)", "text"),
            ],
            self._versioned(
                lambda v, values: self.desk.close_ticket(
                    self.number, v, rating=values["rating"] or None, comment=values["comment"]
                )
            ),
            f"Ticket #{self.number} closed",
        )

    def action_reopen(self) -> None:
        self._form(
            f"Reopen ticket #{self.number}",
            [Field("reason", "Why reopen it?", "text")],
            self._versioned(
                lambda v, values: self.desk.reopen_ticket(self.number, values["reason"], v)
            ),
            "Ticket reopened",
        )

    def _done(self, message: str) -> Callable[[Any], None]:
        """After an action: say so and show the ticket's new state at once."""

        def done(_result: Any) -> None:
            self.say(message)
            self.load()

        return done

    def action_reload(self) -> None:
        self.load()

    def action_walk_tree(self) -> None:
        """Find a knowledge tree for this ticket's category and product, and walk it."""
        walk_for_ticket(self)

    def action_back(self) -> None:
        self.dismiss()
