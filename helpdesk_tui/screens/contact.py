"""Log a contact: the front line's main form (seed 002: every customer is logged).

Keyboard path for an agent on the phone: type the caller's name (matches
appear as you type; enter picks the highlighted one, ctrl+n adds a new
customer), tab to the summary, pick the outcome, ctrl+s. The form clears
for the next call and the channel is kept.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, OptionList, RadioButton, RadioSet, Select
from textual.widgets.option_list import Option

from ..desk import ContactResult, Customer, DeskError
from ..desk.assets import IntakeNotes
from ..textsafe import NO_CONTROLS, printable
from ..vocab import CHANNEL_LABELS, CHANNELS, TIERS
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.bulletin_offer import BulletinOffer
from ..widgets.customer_card import CustomerCard
from ..widgets.ticket_form import TicketForm
from ..widgets.topbar import TopBar
from .base import DeskScreen
from .bulletins_intake import BulletinIntake
from .form_dialog import Field, FormDialog


def _shown(text: str) -> str:
    """Stored text on one line with its control characters made visible (textsafe)."""
    return printable(text, single_line=True)


#: Radio order -> (contact outcome, whether a ticket is opened).
OUTCOME_CHOICES: tuple[tuple[str, bool, str], ...] = (
    ("answered", False, "Answered at first contact"),
    ("answered", True, "Answered, and record it as a resolved ticket"),
    ("ticket", True, "Open a ticket"),
    ("existing", False, "Add to an existing ticket"),
)
FIELD_WIDGETS = {
    "channel": "#channel",
    "customer": "#customer-search",
    "summary": "#summary",
    "title": "#title",
    "category": "#category",
    "priority": "#priority",
    "description": "#description",
    "resolution": "#resolution",
    "existing_ticket": "#existing-ticket",
    "ticket": "#existing-ticket",
    "override_reason": "#override-reason",
    "product": "#product",
    "asset_id": "#asset",
}


class CustomerSearch(Input):
    """The caller's name, e-mail or phone; down moves into the matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_matches", "Matches", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(restrict=NO_CONTROLS, **kwargs)  # type: ignore[arg-type]


class ContactScreen(BulletinIntake, DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Log contact", priority=True, id="contact.save"),
        Binding("ctrl+n", "new_customer", "New customer", priority=True, id="contact.customer"),
        Binding("ctrl+l", "clear", "Clear form", priority=True, id="contact.clear"),
        Binding("ctrl+o", "open_last", "Open last ticket", id="contact.open_last"),
        Binding("ctrl+k", "walk_tree", "Walk a tree", priority=True, id="contact.walk"),
        Binding("ctrl+t", "link_bulletin", "Link bulletin", priority=True, id="contact.bulletin"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.customer: Customer | None = None
        self.matches: list[Customer] = []
        self.matches_for = ""  # the search text the shown matches belong to
        self.pick_pending = False
        self.last_ticket: int | None = None
        self.started_at = None

    def compose(self) -> ComposeResult:
        yield TopBar("contact")
        yield BulletinBar()
        with Horizontal(id="contact-layout"):
            with VerticalScroll(id="contact-form"):
                yield Label("Channel", classes="field-label")
                yield Select(
                    [(CHANNEL_LABELS[c], c) for c in CHANNELS],
                    value="phone",
                    allow_blank=False,
                    id="channel",
                )
                yield Label(
                    "Customer (name, e-mail or phone; ctrl+n adds one)", classes="field-label"
                )
                yield CustomerSearch(placeholder="start typing…", id="customer-search")
                yield OptionList(id="customer-matches")
                yield Label("Summary", classes="field-label")
                yield Input(placeholder="what the customer asked or reported", id="summary")
                yield BulletinOffer(id="bulletin-offer")
                yield Label("Outcome", classes="field-label")
                with RadioSet(id="outcome"):
                    for n, (_o, _t, label) in enumerate(OUTCOME_CHOICES):
                        yield RadioButton(label, value=n == 0)
                with Vertical(id="ticket-part"):
                    yield TicketForm(
                        list(self.helpdesk.categories.values()),
                        self.helpdesk.products,
                        id="ticket-form",
                    )
                    yield Input(
                        placeholder="Override: why open a ticket the customer is not entitled to",
                        id="override-reason",
                    )
                    yield Input(
                        placeholder="Resolution: the answer given (required)", id="resolution"
                    )
                with Vertical(id="existing-part"):
                    yield Input(placeholder="ticket number, e.g. 1234", id="existing-ticket")
                yield Label("", id="form-error", classes="field-error", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("Log contact (ctrl+s)", id="save", variant="primary")
                    yield Button("Clear (ctrl+l)", id="clear")
            yield CustomerCard(id="customer-card")
        yield Footer()

    def on_mount(self) -> None:
        self._apply_outcome(0)
        self._override_needed(False)
        self.started_at = self.desk.now()
        self.query_one("#customer-search").focus()
        self.watch(self.helpdesk, "bulletin_generation", self._bulletins_changed, init=False)

    # -- customer search ----------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")
        if event.input.id in ("summary", "title"):
            self.match_bulletins()
        if event.input.id != "customer-search":
            return
        if self.customer is not None and event.value != _shown(self.customer.name):
            self._choose(None)
        text = event.value
        if not text.strip():
            self.matches, self.matches_for, self.pick_pending = [], text, False
            self.query_one("#customer-matches", OptionList).clear_options()
            return
        self.run_desk(
            lambda: self.desk.find_customers(text, 8),
            lambda found: self._show_matches(text, found),
            group="customer-search",
            exclusive=True,
        )

    def _show_matches(self, text: str, found: list[Customer]) -> None:
        if text != self.query_one("#customer-search", Input).value:
            return  # the agent has typed on since: a newer search is coming
        self.matches = found
        self.matches_for = text
        options = self.query_one("#customer-matches", OptionList)
        options.clear_options()
        for c in found:
            line = Text(_shown(c.name), style="bold")
            details = _shown(" · ".join(x for x in (c.org, c.email, c.phone, c.tier) if x))
            line.append(f"  {details}", style="dim")
            options.add_option(Option(line, id=str(c.id)))
        if text.strip():
            new = f"+ new customer “{_shown(text.strip())}” (ctrl+n)"
            options.add_option(Option(Text(new), id="new"))
        if options.option_count:
            options.highlighted = 0
        if self.pick_pending:
            self.pick_pending = False
            self._pick(options.get_option_at_index(0).id if options.option_count else None)

    def action_focus_matches(self) -> None:
        options = self.query_one("#customer-matches", OptionList)
        if options.option_count:
            options.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "customer-search":
            if self.customer is not None:
                self.query_one("#summary").focus()
                return
            if self.matches_for != event.value:
                # Enter came before the matches: take the first when they
                # arrive, and let the agent type on into the summary meanwhile.
                self.pick_pending = True
                self.query_one("#summary").focus()
                return
            options = self.query_one("#customer-matches", OptionList)
            if options.highlighted is not None and options.option_count:
                self._pick(options.get_option_at_index(options.highlighted).id)
        elif event.input.id in ("summary", "existing-ticket", "resolution"):
            self.focus_next()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        if option_id == "new":
            self.action_new_customer()
            return
        chosen = next((c for c in self.matches if str(c.id) == option_id), None)
        if chosen is not None:
            self._choose(chosen)
            if self.focused is None or self.focused.id in ("customer-search", "customer-matches"):
                self.query_one("#summary").focus()

    def _choose(self, customer: Customer | None) -> None:
        self.customer = customer
        card = self.query_one(CustomerCard)
        if customer is None:
            card.show_notes(None)
            card.show(None, [])
            self._override_needed(False)
            return
        search = self.query_one("#customer-search", Input)
        with search.prevent(Input.Changed):
            search.value = _shown(customer.name)
        self.query_one("#customer-matches", OptionList).clear_options()
        self.run_desk(
            lambda: self.desk.customer_history(customer.id, 8),
            lambda history: card.show(customer, history),
            group="history",
            exclusive=True,
        )
        self.refresh_notes()

    # -- the service model at intake ------------------------------------------------------
    def refresh_notes(self) -> None:
        """Entitlement, end of support and warranty for what is chosen so far (issue 4)."""
        self.match_bulletins()  # and the bulletins that fit it (issue 6)
        if self.customer is None:
            return
        customer_id = self.customer.id
        channel = str(self.query_one("#channel", Select).value)
        category, product, asset = self.query_one(TicketForm).choices()
        self.run_desk(
            lambda: self.desk.intake_notes(customer_id, channel, category, product, asset),
            self._show_notes,
            failed=self._field_error,
            group="notes",
            exclusive=True,
        )

    def _show_notes(self, notes: IntakeNotes) -> None:
        self.query_one(CustomerCard).show_notes(notes)
        labels = [
            (a.id, f"{a.product_name} {a.serial}".strip() + f" (#{a.id})") for a in notes.assets
        ]
        self.query_one(TicketForm).set_assets(labels)
        self._override_needed(not notes.entitlement.allowed)

    def _override_needed(self, needed: bool) -> None:
        self.query_one("#override-reason").display = needed

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("channel", "category", "product", "asset"):
            self.refresh_notes()

    def action_new_customer(self) -> None:
        typed = self.query_one("#customer-search", Input).value.strip()

        def created(customer: Customer | None) -> None:
            if customer is not None:
                self.say(f"Customer {customer.name} added (#{customer.id})")
                self._choose(customer)
                self.query_one("#summary").focus()

        fields = [
            Field("name", "Name *", initial=typed),
            Field("email", "E-mail"),
            Field("phone", "Phone"),
            Field("org", "Organisation"),
            Field("tier", "Tier", "choice", tuple((t, t) for t in TIERS), "basic"),
        ]
        self.app.push_screen(
            FormDialog("New customer", fields, lambda values: self.desk.add_customer(**values)),
            created,
        )

    # -- outcome ----------------------------------------------------------------------------
    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._apply_outcome(event.index)

    def _apply_outcome(self, index: int) -> None:
        outcome, with_ticket, _ = OUTCOME_CHOICES[index]
        self.query_one("#ticket-part").display = with_ticket
        self.query_one("#resolution").display = outcome == "answered" and with_ticket
        self.query_one("#existing-part").display = outcome == "existing"

    # -- saving ---------------------------------------------------------------------------------
    def action_save(self) -> None:
        self._clear_errors()
        if self.customer is None:
            self._field_error(
                DeskError(
                    "choose a customer: type to search and press enter, or ctrl+n to add one",
                    field="customer",
                )
            )
            return
        index = self.query_one(RadioSet).pressed_index
        outcome, with_ticket, _ = OUTCOME_CHOICES[max(index, 0)]
        channel = self.query_one("#channel", Select).value
        summary = self.query_one("#summary", Input).value
        draft = self.query_one(TicketForm).draft() if with_ticket else None
        resolution = (
            self.query_one("#resolution", Input).value if draft and outcome == "answered" else None
        )
        existing_text = self.query_one("#existing-ticket", Input).value.strip().lstrip("#")
        existing = None
        if outcome == "existing":
            if not existing_text.isdigit():
                self._field_error(
                    DeskError(
                        "type the number of the ticket to add this contact to",
                        field="existing_ticket",
                    )
                )
                return
            existing = int(existing_text)
        customer_id, started = self.customer.id, self.started_at
        override = self.query_one("#override-reason", Input).value if draft else None
        log = self.contact_logger()  # linked to the bulletin chosen, if any
        self.run_desk(
            lambda: log(
                channel=str(channel),
                customer_id=customer_id,
                summary=summary,
                outcome=outcome,
                ticket=draft,
                existing_ticket=existing,
                resolution=resolution,
                started_at=started,
                override_reason=override or None,
            ),
            self._saved,
            failed=self._field_error,
            group="save",
            exclusive=True,
        )

    def _saved(self, result: ContactResult) -> None:
        message = f"Contact {result.contact.id} logged"
        if result.ticket is not None:
            self.last_ticket = result.ticket.id
            verb = {"answered": "opened and resolved", "ticket": "opened", "existing": "updated"}[
                result.contact.outcome
            ]
            message += f"; ticket #{result.ticket.id} {verb} (ctrl+o opens it)"
        self.say(message + self.linked_note())
        self.action_clear()

    def _field_error(self, error: DeskError) -> None:
        self.query_one("#form-error", Label).update(str(error))
        selector = FIELD_WIDGETS.get(error.field or "")
        if error.field and error.field.startswith("field:"):
            selector = "#field-" + error.field.removeprefix("field:")
        widget: Widget | None = None
        if selector:
            found = self.query(selector)
            widget = found.first() if found else None
        if widget is not None:
            widget.add_class("-invalid")
            widget.focus()
        self.report(error)

    def _clear_errors(self) -> None:
        self.query_one("#form-error", Label).update("")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")

    def action_clear(self) -> None:
        self._clear_errors()
        self._choose(None)
        self.forget_bulletin()
        for selector in (
            "#customer-search",
            "#summary",
            "#resolution",
            "#existing-ticket",
            "#override-reason",
        ):
            self.query_one(selector, Input).value = ""
        self.query_one(TicketForm).clear()
        self.query_one("#customer-matches", OptionList).clear_options()
        first = self.query(RadioButton).first()
        first.value = True
        self._apply_outcome(0)
        self.started_at = self.desk.now()
        self.query_one("#customer-search").focus()

    def action_walk_tree(self) -> None:
        """Walk a knowledge tree with the caller; a solution logs the contact (issue 5)."""
        from .kb_contact import walk_for_contact

        walk_for_contact(self)

    def action_open_last(self) -> None:
        if self.last_ticket is not None:
            self.helpdesk.open_ticket(self.last_ticket)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "clear":
            self.action_clear()
