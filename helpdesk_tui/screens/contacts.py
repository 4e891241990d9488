"""The contact log, newest first: every interaction, ticket or not (seed 002)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from ..desk import Contact, Page, PageKey, local
from ..vocab import CHANNEL_LABELS, OUTCOME_LABELS
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.cells import literal
from ..widgets.paged_table import PagedTable
from ..widgets.topbar import TopBar
from .base import DeskScreen

PAGE_SIZE = 50
COLUMNS = (
    ("Contact", 8),
    ("When", 16),
    ("Channel", 10),
    ("Customer", 22),
    ("Agent", 10),
    ("Summary", 44),
    ("Outcome", 28),
)


class ContactLogScreen(DeskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open ticket", id="contacts.open"),
        Binding("r", "reload", "Refresh", id="contacts.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page: Page[Contact] | None = None
        self._anchor: PageKey | None = None  # reload from just before this key
        self._tickets: dict[int, int | None] = {}

    def compose(self) -> ComposeResult:
        yield TopBar("contacts")
        yield BulletinBar()
        yield Static(id="contacts-title", markup=False)
        table = PagedTable(id="contacts-table")
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.helpdesk, "data_generation", lambda _g: self.load(), init=False)
        self.load()

    def on_screen_resume(self) -> None:
        """Back from a ticket or another section: show what changed meanwhile."""
        if self.page is not None:
            self.load()

    def load(self, direction: str = "reload", cursor: str = "keep") -> None:
        page = self.page
        older = newer = None
        if direction == "next" and page and page.last_key:
            older = page.last_key
        elif direction == "previous" and page and page.first_key:
            newer = page.first_key
        elif direction == "reload":
            older = self._anchor
        self.run_desk(
            lambda: self.desk.contacts_page(PAGE_SIZE, older_than=older, newer_than=newer),
            lambda result: self._show(result, cursor),
            group="contacts",
            exclusive=True,
        )

    def _show(self, page: Page[Contact], cursor: str) -> None:
        table = self.query_one(PagedTable)
        keep_row = table.cursor_row
        self.page = page
        first = page.first_key
        # "Older than (at, id + 1)" includes the first row itself on reload.
        self._anchor = PageKey(first.created_at, first.id + 1) if first and page.offset else None
        now = self.desk.now()
        self._tickets = {c.id: c.ticket_id for c in page.rows}
        table.clear()
        for c in page.rows:
            ticket = f" #{c.ticket_id}" if c.ticket_id else ""
            table.add_row(
                Text(str(c.id), justify="right"),
                Text(local(c.at, now=now)),
                Text(CHANNEL_LABELS.get(c.channel, c.channel)),
                literal(c.customer_name, width=22),
                literal(c.agent),
                literal(c.summary, width=44),
                Text(OUTCOME_LABELS.get(c.outcome, c.outcome) + ticket),
                key=str(c.id),
            )
        table.has_next, table.has_previous = page.has_next, page.has_previous
        if table.row_count:
            row = {"top": 0, "end": table.row_count - 1}.get(cursor, keep_row)
            table.move_cursor(row=min(max(row, 0), table.row_count - 1), animate=False)
        title = Text(" Contact log, newest first ", style="bold")
        if page.total:
            title.append(
                f"  {page.offset + 1:,}-{page.offset + len(page.rows):,} of {page.total:,}"
            )
        else:
            title.append("  no contacts yet: press n to log one", style="dim")
        self.query_one("#contacts-title", Static).update(title)

    def on_paged_table_page_request(self, event: PagedTable.PageRequest) -> None:
        if event.direction == "first":
            self._anchor = None
            self.load("reload", cursor="top")
        elif event.direction == "previous":
            self.load("previous", cursor="end")
        else:
            self.load("next", cursor="top")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        ticket = self._tickets.get(int(event.row_key.value or 0))
        if ticket is not None:
            self.helpdesk.open_ticket(ticket)
        else:
            self.say("This contact has no ticket.")

    def action_open(self) -> None:
        table = self.query_one(PagedTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self.on_data_table_row_selected(DataTable.RowSelected(table, table.cursor_row, key))

    def action_reload(self) -> None:
        self.load()
