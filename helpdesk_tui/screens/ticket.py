"""One ticket: its fields, the timeline of every event, and the actions on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from ..desk import StaleEdit, TicketView, human_age, local
from ..textsafe import printable
from ..vocab import CHANNEL_LABELS, PRIORITIES, STATUS_LABELS
from ..widgets.cells import PRIORITY_STYLES, age_style
from ..widgets.topbar import TopBar
from .base import DeskScreen
from .dialogs import AskText, Choose

KIND_LABELS = {
    "created": "opened",
    "contact": "contact",
    "note": "note",
    "changed": "changed",
    "resolved": "resolved",
    "closed": "closed",
    "reopened": "reopened",
}


class TicketScreen(DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="ticket.back"),
        Binding("a", "note", "Add note", id="ticket.note"),
        Binding("p", "priority", "Priority", id="ticket.priority"),
        Binding("s", "resolve", "Resolve", id="ticket.resolve"),
        Binding("c", "close_ticket", "Close", id="ticket.close"),
        Binding("o", "reopen", "Reopen", id="ticket.reopen"),
        Binding("r", "reload", "Refresh", id="ticket.refresh"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.view: TicketView | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("queue")
        with VerticalScroll(id="ticket-body"):
            yield Static(id="ticket-header", markup=False)
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
        head.append(f"  · {t.department or 'no department'}, level {t.level}")
        head.append(f"  · owner {t.owner or 'nobody'}  · version {t.version}", style="dim")
        head.append("\nCustomer: ")
        head.append(printable(t.customer_name, single_line=True), style="bold")
        head.append(f" (#{t.customer_id})")
        self.query_one("#ticket-header", Static).update(head)
        self.query_one("#ticket-fields", Static).update(self._fields_text(view))
        self.query_one("#ticket-timeline", Static).update(self._timeline_text(view))

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
        out = Text()
        for e in view.events:
            out.append(f"{local(e.at, now=now):>16}  ", style="dim")
            out.append(f"{e.actor:<10} ", style="bold")
            out.append(f"{KIND_LABELS.get(e.kind, e.kind):<9} ", style="cyan")
            if e.kind == "created" and e.contact_id in contacts:
                c = contacts[e.contact_id]
                out.append(f"from a {CHANNEL_LABELS.get(c.channel, c.channel)} contact: ")
                out.append(printable(c.summary, single_line=True))
            elif e.kind == "contact":
                out.append(f"{CHANNEL_LABELS.get(e.new_value or '', e.new_value or '')}: ")
                out.append(printable(e.note, single_line=True))
            elif e.field:
                out.append(f"{e.field} {e.old_value or '-'} -> {e.new_value or '-'}")
                if e.note and e.kind != "created":
                    out.append("\n" + " " * 39 + printable(e.note).replace("\n", "\n" + " " * 39))
            else:
                out.append(printable(e.note).replace("\n", "\n" + " " * 39))
            out.append("\n")
        return out

    # -- actions ---------------------------------------------------------------------------
    def _versioned(self, call: Callable[[int], Any]) -> Callable[[str], Any]:
        """Wrap a save so a stale edit is refused once, then may be retried deliberately.

        The version is the one the user saw when the dialog opened; after a
        refusal the user has been told what changed, so a second save uses
        the current version.
        """
        holder = {"version": self.view.ticket.version if self.view else 0}

        def save(_text: str) -> Any:
            try:
                return call(holder["version"])
            except StaleEdit:
                holder["version"] = self.desk.ticket(self.number).version
                raise

        return save

    def action_note(self) -> None:
        self.app.push_screen(
            AskText(
                f"Note on ticket #{self.number}",
                lambda text: self.desk.add_note(self.number, text),
                hint="Visible to the team in the timeline.",
            ),
            self._after("Note added"),
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
                    lambda _t: self.say(f"Priority set to {priority}"),
                )

        self.app.push_screen(Choose("Priority", [(p, p) for p in PRIORITIES], current), chosen)

    def action_resolve(self) -> None:
        if self.view is None:
            return
        holder: dict[str, str] = {}
        save = self._versioned(
            lambda version: self.desk.resolve(self.number, holder["text"], version)
        )

        def run(text: str) -> Any:
            holder["text"] = text
            return save(text)

        self.app.push_screen(
            AskText(
                f"Resolve ticket #{self.number}",
                run,
                hint="The solution given to the customer (required).",
            ),
            self._after("Ticket resolved"),
        )

    def action_close_ticket(self) -> None:
        if self.view is None:
            return
        version = self.view.ticket.version
        self.run_desk(
            lambda: self.desk.close_ticket(self.number, version),
            lambda _t: self.say(f"Ticket #{self.number} closed"),
        )

    def action_reopen(self) -> None:
        if self.view is None:
            return
        holder: dict[str, str] = {}
        save = self._versioned(
            lambda version: self.desk.reopen_ticket(self.number, holder["text"], version)
        )

        def run(text: str) -> Any:
            holder["text"] = text
            return save(text)

        self.app.push_screen(
            AskText(f"Reopen ticket #{self.number}", run, hint="Why is it being reopened?"),
            self._after("Ticket reopened"),
        )

    def _after(self, message: str) -> Callable[[str | None], None]:
        def done(result: str | None) -> None:
            if result is not None:
                self.say(message)
                self.load()

        return done

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
