"""Adding a customer on the spot, while they are on the line."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from ..desk import Customer, DeskError
from ..vocab import TIERS
from .base import DeskModal

FIELDS = (("name", "Name *"), ("email", "E-mail"), ("phone", "Phone"), ("org", "Organisation"))


class NewCustomer(DeskModal[Customer | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.initial_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("New customer", classes="dialog-title")
            for key, label in FIELDS:
                yield Label(label, classes="field-label")
                yield Input(value=self.initial_name if key == "name" else "", id=key)
            yield Label("Tier", classes="field-label")
            yield Select([(t, t) for t in TIERS], value="basic", allow_blank=False, id="tier")
            yield Label("", id="dialog-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#email" if self.initial_name else "#name").focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        values = {key: self.query_one(f"#{key}", Input).value for key, _ in FIELDS}
        tier = str(self.query_one("#tier", Select).value)
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self.run_desk(
            lambda: self.desk.add_customer(tier=tier, **values),
            self.dismiss,
            failed=self._refused,
            exclusive=True,
        )

    def _refused(self, error: DeskError) -> None:
        self.query_one("#dialog-error", Label).update(str(error))
        if error.field in {key for key, _ in FIELDS}:
            widget = self.query_one(f"#{error.field}", Input)
            widget.add_class("-invalid")
            widget.focus()
        self.report(error)

    def action_cancel(self) -> None:
        self.dismiss(None)
