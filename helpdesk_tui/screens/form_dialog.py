"""A small form in a dialog: a few lines, choices and a text box, saved by one call.

Used for every ticket action that needs more than a keystroke (triage,
transfer, escalate, customer update...). The save runs in a thread worker;
a refusal keeps the dialog open with everything typed, marks the field the
desk named, and shows the one-line reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, TextArea

from ..desk import DeskError
from .base import DeskModal


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "line"  # line | text | choice
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    initial: str = ""
    placeholder: str = ""


class FormDialog(DeskModal[Any]):
    """Dismisses with whatever ``save`` returned (the new ticket, the customer), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        save: Callable[[dict[str, str]], Any],
        *,
        hint: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.save_call = save
        self.hint = hint

    def on_mount(self) -> None:
        first = self.fields[0]
        widget = self.query_one(f"#f-{first.key}")
        if first.initial and len(self.fields) > 1:
            widget = self.query_one(f"#f-{self.fields[1].key}")
        widget.focus()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            if self.hint:
                yield Label(self.hint, classes="dim", markup=False)
            for f in self.fields:
                yield Label(f.label, classes="field-label", markup=False)
                if f.kind == "choice":
                    yield Select(
                        [(Text(label), value) for value, label in f.choices],
                        value=f.initial or f.choices[0][0],
                        allow_blank=False,
                        id=f"f-{f.key}",
                    )
                elif f.kind == "text":
                    yield TextArea(f.initial, id=f"f-{f.key}", soft_wrap=True, classes="short")
                else:
                    yield Input(f.initial, placeholder=f.placeholder, id=f"f-{f.key}")
            yield Label("", id="dialog-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.key}")
            if isinstance(widget, TextArea):
                out[f.key] = widget.text
            elif isinstance(widget, Select):
                out[f.key] = str(widget.value)
            elif isinstance(widget, Input):
                out[f.key] = widget.value
        return out

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        values = self.values()
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self.run_desk(
            lambda: self.save_call(values),
            self.dismiss,
            failed=self._refused,
            exclusive=True,
        )

    def _refused(self, error: DeskError) -> None:
        self.query_one("#dialog-error", Label).update(str(error))
        if error.field and self.query(f"#f-{error.field}"):
            widget = self.query_one(f"#f-{error.field}")
            widget.add_class("-invalid")
            widget.focus()
        self.report(error)

    def action_cancel(self) -> None:
        self.dismiss(None)
