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
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from ..desk import Category, TicketDraft
from ..vocab import PRIORITIES


class TicketForm(Vertical):
    DEFAULT_CSS = """
    TicketForm { height: auto; }
    TicketForm #ticket-fields-box { height: auto; }
    TicketForm .field-row { height: auto; }
    TicketForm Input { width: 1fr; }
    """

    def __init__(
        self,
        categories: list[Category],
        products: list[tuple[str, str]] = (),  # type: ignore[assignment]
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.categories = {c.key: c for c in categories}
        self.order = [c.key for c in categories]
        self.products = list(products)  # (key, name) of the catalogue
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
        with Horizontal(classes="field-row"):
            yield Select(
                [(Text(name), key) for key, name in self.products],
                prompt="Product (optional)",
                id="product",
                allow_blank=True,
            )
            yield Select([], prompt="Customer's asset (optional)", id="asset", allow_blank=True)
        yield Checkbox("Business-critical", id="business-critical")
        yield Vertical(id="ticket-fields-box")
        yield TextArea(id="description", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.query_one("#description", TextArea).border_title = "Description (optional)"

    def set_assets(self, assets: list[tuple[int, str]]) -> None:
        """The customer's assets to choose from (id, label), keeping the choice if still there."""
        select = self.query_one("#asset", Select)
        current = select.value
        select.set_options([(Text(label), asset_id) for asset_id, label in assets])
        if isinstance(current, int) and any(a == current for a, _ in assets):
            select.value = current

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "category":  # bubbles on: the intake notes follow it too
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
        product = self.query_one("#product", Select).value
        asset = self.query_one("#asset", Select).value
        return TicketDraft(
            title=self.query_one("#title", Input).value,
            category=key,
            fields={k: v for k, v in self.values.items() if k in known},
            priority=priority if isinstance(priority, str) else "normal",
            description=self.query_one("#description", TextArea).text,
            product=product if isinstance(product, str) else None,
            asset_id=asset if isinstance(asset, int) else None,
            business_critical=self.query_one("#business-critical", Checkbox).value,
        )

    def choices(self) -> tuple[str | None, str | None, int | None]:
        """Category, product and asset as chosen so far (for the intake notes)."""
        values = [self.query_one(f"#{name}", Select).value for name in ("category", "product")]
        asset = self.query_one("#asset", Select).value
        return (
            values[0] if isinstance(values[0], str) else None,
            values[1] if isinstance(values[1], str) else None,
            asset if isinstance(asset, int) else None,
        )

    def clear(self) -> None:
        # Blank the mounted fields first: clearing the category below remembers
        # them (on_select_changed), and the next caller must not get this one's.
        for field_input in self.query("#ticket-fields-box Input").results(Input):
            field_input.value = ""
        self.values.clear()
        self.query_one("#title", Input).value = ""
        self.query_one("#category", Select).clear()
        self.query_one("#product", Select).clear()
        self.query_one("#asset", Select).set_options([])
        self.query_one("#business-critical", Checkbox).value = False
        self.query_one("#priority", Select).value = "normal"
        self.query_one("#description", TextArea).text = ""
        self.query_one("#ticket-fields-box", Vertical).remove_children()
