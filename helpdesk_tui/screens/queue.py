"""The queue: open tickets, oldest first (seed 002: older problems are worked first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from ..desk import QUEUE_VIEWS, Page, PageKey, Ticket
from ..desk.courtesy import courtesy_overdue
from ..desk.sla import SLA_VIEWS
from ..desk.transitions import EXTERNAL
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.cells import age_cell, due_cell, literal, number_cell, priority_cell
from ..widgets.paged_table import PagedTable
from ..widgets.topbar import TopBar
from .base import DeskScreen
from .dialogs import Choose

PAGE_SIZE = 50
VIEW_LABELS = {
    "all": "all open",
    "mine": "mine",
    "department": "my department",
    "triage": "triage",
    "courtesy-due": "customer update due",
    "escalated": "escalated, flagged for the lead",
    "breached": "SLA breached, by due time",
    "at-risk": "SLA at risk, by due time",
}
SORT_LABELS = {"age": "oldest first", "due": "soonest due first"}
COLUMNS = (
    ("#", 6),
    ("Age", 6),
    ("Pri", 6),
    ("Due", 10),  # the next SLA due time, coloured by state
    ("Upd", 3),  # "due": the customer is owed a courtesy update
    ("Customer", 14),
    ("Category", 8),
    ("Title", 26),
    ("Status", 9),
    ("With", 10),
    ("Owner", 8),
)
SHORT_STATUS = {
    "open": "open",
    "triage": "triage",
    "waiting_customer": "wait cust",
    "waiting_vendor": "wait vend",
}


@dataclass(frozen=True)
class QueueWindow:
    """One page of the queue with what its cells need, all read in the worker."""

    page: Page[Ticket]
    states: dict[int, str]  # SLA state per ticket ("" without a plan)
    intervals: dict[str, timedelta]  # courtesy interval per SLA plan
    now: datetime  # the moment the states were worked out for


class QueueScreen(DeskScreen):
    """Open tickets a page at a time, refreshed when anyone writes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="queue.open", show=True),
        Binding("v", "next_view", "View", id="queue.view"),
        Binding("o", "toggle_sort", "Order", id="queue.sort"),
        Binding("r", "reload", "Refresh", id="queue.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "all"
        self.sort = "age"  # "age" (oldest first) or "due" (soonest SLA due time first)
        self.page: Page[Ticket] | None = None
        self._anchor: PageKey | None = None  # reload from just after this key

    def compose(self) -> ComposeResult:
        yield TopBar("queue")
        yield BulletinBar()
        yield Static(id="queue-title", markup=False)
        table = PagedTable(id="queue-table")
        for label, width in COLUMNS:
            table.add_column(label, width=width, key=label)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.helpdesk, "data_generation", self._changed, init=False)
        self.load()

    def on_screen_resume(self) -> None:
        """Back from a ticket or another section: show what changed meanwhile."""
        if self.page is not None:
            self.load()

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    # -- loading -------------------------------------------------------------------
    def load(self, direction: str = "reload", cursor: str = "keep") -> None:
        view, sort, page = self.view, self.sort, self.page
        after = before = None
        last = False
        if direction == "next" and page and page.last_key:
            after = page.last_key
        elif direction == "previous" and page and page.first_key:
            before = page.first_key
        elif direction == "last":
            last = True
        elif direction == "reload":
            after = self._anchor

        def fetch() -> QueueWindow:
            found = self.desk.queue_page(
                view, PAGE_SIZE, after=after, before=before, last=last, sort=sort
            )
            now = self.desk.now()
            states = self.desk.sla_states(found.rows, now)
            return QueueWindow(found, states, self.desk.courtesy_intervals(), now)

        self.run_desk(
            fetch,
            lambda result: self._show(result, cursor),
            group="queue",
            exclusive=True,
        )

    def _show(self, window: QueueWindow, cursor: str) -> None:
        page = window.page
        table = self.table
        keep_id = self.selected_number() if cursor == "keep" else None
        keep_row = table.cursor_row
        self.page = page
        first = page.first_key
        self._anchor = PageKey(first.created_at, first.id - 1) if first else None
        now = window.now
        table.clear()
        for t in page.rows:
            level = "ext" if t.level == EXTERNAL else f"L{t.level}"
            overdue = courtesy_overdue(t, now, window.intervals)
            state = window.states.get(t.id, "")
            table.add_row(
                number_cell(t.id),
                age_cell(t.created_at, now),
                priority_cell(t.priority),
                due_cell(t.due_at, state, now),
                Text("due" if overdue else "", style="bold red"),
                literal(t.customer_name, width=14),
                literal(t.category),
                literal(t.title, width=26),
                Text(SHORT_STATUS.get(t.status, t.status)),
                literal(
                    f"{level} {t.department or ''}",
                    width=10,
                    style="bold red" if t.lead_flag else "",
                ),
                literal(t.owner or "", width=8),
                key=str(t.id),
            )
        table.has_next, table.has_previous = page.has_next, page.has_previous
        row = 0
        if cursor == "end":
            row = table.row_count - 1
        elif keep_id is not None and str(keep_id) in table.rows:
            row = table.get_row_index(str(keep_id))
        elif cursor == "keep":
            row = min(keep_row, table.row_count - 1)
        if table.row_count:
            table.move_cursor(row=max(row, 0), animate=False)
        self._title()

    def _title(self) -> None:
        page = self.page
        line = Text()
        line.append(f" Queue: {VIEW_LABELS[self.view]}, {SORT_LABELS[self.sort]} ", style="bold")
        if page is None or page.total == 0:
            line.append("  no open tickets", style="dim")
        else:
            start = page.offset + 1
            end = page.offset + len(page.rows)
            line.append(f"  {start:,}-{end:,} of {page.total:,}")
        line.append(
            "   v view · o order · enter open · n new contact · # ticket · [ ] pages", style="dim"
        )
        self.query_one("#queue-title", Static).update(line)

    def _changed(self, _generation: int) -> None:
        self.load("reload")

    def selected_number(self) -> int | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    # -- actions ------------------------------------------------------------------------
    def on_paged_table_page_request(self, event: PagedTable.PageRequest) -> None:
        cursor = "end" if event.direction in ("previous", "last") else "top"
        if event.direction == "first":
            self._anchor = None
            self.load("reload", cursor="top")
        else:
            self.load(event.direction, cursor=cursor)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.helpdesk.open_ticket(int(event.row_key.value))

    def action_open(self) -> None:
        number = self.selected_number()
        if number is not None:
            self.helpdesk.open_ticket(number)

    def action_next_view(self) -> None:
        """Pick a view: all, mine, my department, triage, update due, escalated."""

        def chosen(view: str | None) -> None:
            if view:
                self.show_view(view)

        choices = [(v, VIEW_LABELS[v]) for v in QUEUE_VIEWS]
        self.app.push_screen(Choose("Queue view", choices, self.view), chosen)

    def show_view(self, view: str) -> None:
        self.view = view
        # the SLA views read off the due index: they are listed soonest due first
        self.sort = "due" if view in SLA_VIEWS else self.sort
        self._anchor = None
        self.load("reload", cursor="top")

    def action_toggle_sort(self) -> None:
        """Oldest first (the desk's rule) or soonest due first (who breaches next)."""
        if self.view in SLA_VIEWS:
            self.notify("The SLA views are always soonest due first.", markup=False)
            return
        self.sort = "due" if self.sort == "age" else "age"
        self._anchor = None
        self.load("reload", cursor="top")

    def action_reload(self) -> None:
        self.load("reload")
