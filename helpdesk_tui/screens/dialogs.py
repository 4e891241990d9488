"""Small dialogs: ask for a number, ask for text, pick one of a few choices.

Each is a ModalScreen with a typed result; escape cancels (result None).
A dialog that saves through the desk stays open on a refusal, so what the
user typed is never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from ..desk import DeskError
from .base import DeskModal


class AskNumber(DeskModal[int | None]):
    """A ticket number: ``#12``, ``12``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder="ticket number, e.g. 1234", id="number")
            yield Label("", id="dialog-error", classes="field-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip().lstrip("#")
        if not text.isdigit():
            self.query_one("#dialog-error", Label).update("Type a ticket number (digits only).")
            event.input.add_class("-invalid")
            return
        self.dismiss(int(text))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskText(DeskModal[str | None]):
    """Multi-line text (a note, a resolution, a reason) saved by ``save``.

    ``save`` runs in a thread worker; on a DeskError the dialog stays open
    with the text intact and the message shown.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, title: str, save: Callable[[str], Any], *, hint: str = "", initial: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.save_call = save
        self.hint = hint
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            if self.hint:
                yield Label(self.hint, classes="dim", markup=False)
            yield TextArea(self.initial, id="text", soft_wrap=True, show_line_numbers=False)
            yield Label("", id="dialog-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        self.run_desk(
            lambda: self.save_call(text),
            lambda _result: self.dismiss(text),
            failed=self._refused,
            exclusive=True,
        )

    def _refused(self, error: DeskError) -> None:
        self.query_one("#dialog-error", Label).update(str(error))
        self.report(error)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Choose(DeskModal[str | None]):
    """Pick one value from a short list; the current one is highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*[Option(Text(label), id=value) for value, label in self.choices])

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [v for v, _ in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
