"""A DataTable that holds one page of a long list and asks for the next.

Loading 100k rows into a DataTable takes seconds; this table holds one page
(from a keyset query) and, when the cursor runs off either end, posts
:class:`PagedTable.PageRequest` so the screen can fetch the neighbour page.
The scrolling feels continuous; memory and paint time stay flat.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

Direction = Literal["next", "previous", "first", "last"]


class PagedTable(DataTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+home", "first_page", "First", show=False),
        Binding("ctrl+end", "last_page", "Last", show=False),
        Binding("right_square_bracket", "next_page", "Next page", show=False),
        Binding("left_square_bracket", "previous_page", "Prev page", show=False),
    ]

    class PageRequest(Message):
        """The user moved past the loaded page."""

        def __init__(self, table: PagedTable, direction: Direction) -> None:
            super().__init__()
            self.table = table
            self.direction = direction

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.has_next = False
        self.has_previous = False

    def _request(self, direction: Direction) -> None:
        self.post_message(self.PageRequest(self, direction))

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1 and self.has_next:
            self._request("next")
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0 and self.has_previous:
            self._request("previous")
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.cursor_row >= self.row_count - 1 and self.has_next:
            self._request("next")
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.cursor_row <= 0 and self.has_previous:
            self._request("previous")
        else:
            super().action_page_up()

    def action_next_page(self) -> None:
        if self.has_next:
            self._request("next")

    def action_previous_page(self) -> None:
        if self.has_previous:
            self._request("previous")

    def action_first_page(self) -> None:
        if self.has_previous:
            self._request("first")
        else:
            self.move_cursor(row=0)

    def action_last_page(self) -> None:
        if self.has_next:
            self._request("last")
        else:
            self.move_cursor(row=max(self.row_count - 1, 0))
