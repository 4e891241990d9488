"""Who is on the line: the customer's details and their latest contacts.

Seen at intake, so an agent notices "third call this week about the same
printer" before opening a duplicate ticket.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..desk import Contact, Customer, local
from ..desk.assets import IntakeNotes
from ..textsafe import printable
from ..vocab import CHANNEL_LABELS, OUTCOME_LABELS


class CustomerCard(Static):
    DEFAULT_CSS = """
    CustomerCard { width: 1fr; height: 1fr; border: round $panel-lighten-2; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.border_title = "Customer"
        self.notes: IntakeNotes | None = None
        self.show(None, [])

    def show_notes(self, notes: IntakeNotes | None) -> None:
        """The service-model verdicts for this contact: entitlement, support, warranty."""
        self.notes = notes
        self.show(self.customer, self.history)

    def _notes_text(self, notes: IntakeNotes) -> Text:
        out = Text()
        verdict = notes.entitlement
        if verdict.allowed:
            out.append(f"✓ Entitled ({notes.tier})\n", style="bold green")
        else:
            out.append(f"✗ Not entitled ({notes.tier})\n", style="bold red")
            for reason in verdict.reasons:
                out.append(f"  {reason}\n", style="red")
            if verdict.pointer:
                out.append(f"  Tell them: {verdict.pointer}\n")
        if notes.support_warning:
            out.append(f"⚠ {notes.support_warning}\n", style="bold yellow")
        if notes.warranty_text:
            style = "green" if notes.warranty == "valid" else "yellow"
            out.append(f"{notes.warranty_text}\n", style=style)
        return out

    def show(self, customer: Customer | None, history: list[Contact]) -> None:
        self.customer, self.history = customer, history
        if customer is None:
            self.update(Text("No customer chosen yet.", style="dim"))
            return
        out = Text()
        if self.notes is not None:
            out.append_text(self._notes_text(self.notes))
            out.append("\n")
        out.append(printable(customer.name, single_line=True) + "\n", style="bold")
        for label, value in (
            ("Organisation", customer.org),
            ("E-mail", customer.email),
            ("Phone", customer.phone),
            ("Tier", customer.tier),
            ("Customer #", str(customer.id)),
        ):
            if value:
                out.append(f"{label}: ", style="dim")
                out.append(printable(value, single_line=True) + "\n")
        out.append("\nLatest contacts\n", style="bold")
        if not history:
            out.append("none yet\n", style="dim")
        now = None
        for c in history:
            out.append(f"{local(c.at, now=now)} ", style="dim")
            out.append(f"{CHANNEL_LABELS.get(c.channel, c.channel)}: ")
            out.append(printable(c.summary, single_line=True)[:60])
            ticket = f" (#{c.ticket_id})" if c.ticket_id else ""
            out.append(f"  {OUTCOME_LABELS.get(c.outcome, c.outcome)}{ticket}\n", style="dim")
        self.update(out)
