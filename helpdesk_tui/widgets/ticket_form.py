"""The ticket part of intake: title, category, priority and the category's fields.

Seed 002: a ticket captures contact details plus the system details tied to
the complaint (a computer's OS and memory, a phone's extension). The fields
change with the category; what was typed is kept per field key while the
agent switches categories, so nothing typed is lost.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, TextArea

from ..desk import Category, TicketDraft
from ..vocab import PRIORITIES


class TicketForm(Vertical):
    DEFAULT_CSS = """
    TicketForm { height: auto; }
    TicketForm #ticket-fields-box { height: auto; }
    TicketForm .field-row { height: auto; }
    TicketForm Input { width: 1fr; }
    """

    def __init__(self, categories: list[Category], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.categories = {c.key: c for c in categories}
        self.order = [c.key for c in categories]
        self.values: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("Ticket title", classes="field-label")
        yield Input(placeholder="the problem in a few words", id="title")
        with Horizontal(classes="field-row"):
            yield Select(
                [(Text(self.categories[k].name), k) for k in self.order],
                prompt="Category",
                id="category",
                allow_blank=True,
            )
            yield Select(
                [(p, p) for p in PRIORITIES], value="normal", id="priority", allow_blank=False
            )
        yield Vertical(id="ticket-fields-box")
        yield TextArea(id="description", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.query_one("#description", TextArea).border_title = "Description (optional)"

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "category":
            event.stop()
            self._remember()
            self._mount_fields(event.value if isinstance(event.value, str) else None)

    def _remember(self) -> None:
        for field_input in self.query("#ticket-fields-box Input").results(Input):
            if field_input.id:
                self.values[field_input.id.removeprefix("field-")] = field_input.value

    def _mount_fields(self, key: str | None) -> None:
        box = self.query_one("#ticket-fields-box", Vertical)
        box.remove_children()
        category = self.categories.get(key or "")
        if category is None:
            return
        widgets = []
        for spec in category.fields:
            mark = " *" if spec.required else ""
            hint = spec.help or (", ".join(spec.choices) if spec.choices else "")
            widgets.append(Label(f"{spec.label}{mark}", classes="field-label", markup=False))
            widgets.append(
                Input(
                    value=self.values.get(spec.key, ""),
                    placeholder=hint or spec.label,
                    id=f"field-{spec.key}",
                )
            )
        box.mount_all(widgets)

    def draft(self) -> TicketDraft:
        """What the agent typed, unvalidated: the desk decides what is acceptable."""
        self._remember()
        category = self.query_one("#category", Select).value
        key = category if isinstance(category, str) else ""
        known = {f.key for f in self.categories[key].fields} if key in self.categories else set()
        priority = self.query_one("#priority", Select).value
        return TicketDraft(
            title=self.query_one("#title", Input).value,
            category=key,
            fields={k: v for k, v in self.values.items() if k in known},
            priority=priority if isinstance(priority, str) else "normal",
            description=self.query_one("#description", TextArea).text,
        )

    def clear(self) -> None:
        self.values.clear()
        self.query_one("#title", Input).value = ""
        self.query_one("#category", Select).clear()
        self.query_one("#priority", Select).value = "normal"
        self.query_one("#description", TextArea).text = ""
        self.query_one("#ticket-fields-box", Vertical).remove_children()
