"""A DataTable that holds one page of a long list and asks for the next.

Loading 100k rows into a DataTable takes seconds; this table holds one page
(from a keyset query) and, when the cursor runs off either end, posts
:class:`PagedTable.PageRequest` so the screen can fetch the neighbour page.
The scrolling feels continuous; memory and paint time stay flat.

Painting a page is the other cost: DataTable draws every cell through
``console.render_lines`` (padding, styling, wrapping, cropping), about 0.2 ms a
cell, so a new screenful of 40 rows by 11 columns took a tenth of a second.
Our cells are one-line :class:`~rich.text.Text` (widgets/cells.py), and
:func:`text_line` draws such a cell directly, the same segments in a tenth of
the time (``tests/test_paged_table.py`` compares them cell by cell); anything
else (markup strings, several lines, the header) still goes the DataTable way.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.containers import Lines
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

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

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable measures every cell of every new row (for auto-width columns and
        auto-height rows), a Rich measurement each, tens of milliseconds a page; with
        fixed widths and one-line unlabelled rows only the scrollable size changes."""
        keys = list(new_rows)
        rows = [self.rows.get(key) for key in keys]
        if any(c.auto_width for c in self.columns.values()) or any(
            row is not None and (row.auto_height or row.label is not None) for row in rows
        ):
            super()._update_dimensions(keys)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._fast_settings = self._fast_pass = None

    def _settings(self) -> tuple[int, bool, bool, bool, Console, ConsoleOptions]:
        """What every cell of a paint needs, read once (reactive reads cost microseconds):
        padding, show_cursor, CSS priority of the cursor's colours, console and options."""
        found = getattr(self, "_fast_settings", None)
        if found is None or found[0] != self._update_count:
            settings = (
                self.cell_padding,
                self.show_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
                self.app.console,
                self.app.console_options,
            )
            found = self._fast_settings = (self._update_count, settings)
        return found[1]

    def _pass(self) -> tuple[list[int], int, Style, Style]:
        """Per paint: the columns' widths, the room right of the table, and the zebra
        rows' styles (DataTable reads them again for every row)."""
        key = (self._update_count, self._pseudo_class_state, self.size.width, self.cell_padding)
        found = getattr(self, "_fast_pass", None)
        if found is None or found[0] != key:
            widths = [column.get_render_width(self) for column in self.ordered_columns]
            room = max(0, self.size.width - sum(widths) - self._row_label_column_width)
            even = self.get_component_styles("datatable--even-row").rich_style
            odd = self.get_component_styles("datatable--odd-row").rich_style
            found = self._fast_pass = (key, (widths, room, even, odd))
        return found[1]

    def _render_line_in_row(
        self,
        row_key: RowKey,
        line_no: int,
        base_style: Style,
        cursor_location: Coordinate,
        hover_location: Coordinate,
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        """DataTable's row line for a plain body row (row cursor, no fixed columns or
        labels), reading the table's settings once per paint instead of once a cell."""
        cursor_type, show_cursor = self.cursor_type, self.show_cursor
        if (
            row_key is self._header_row_key
            or row_key not in self._row_locations
            or cursor_type != "row"
            or self.fixed_columns
            or self.fixed_rows
            or (self._labelled_row_exists and self.show_row_labels)
        ):
            return super()._render_line_in_row(
                row_key, line_no, base_style, cursor_location, hover_location
            )
        show_hover = self._show_hover_cursor
        cache_key = (
            row_key,
            line_no,
            base_style,
            cursor_location,
            hover_location,
            cursor_type,
            show_cursor,
            show_hover,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._row_render_cache.get(cache_key)
        if cached is not None:
            return cached
        widths, room, even, odd = self._pass()
        row_index = self._row_locations.get(row_key)
        row_style = (odd if row_index % 2 else even) if self.zebra_stripes else base_style
        cursor = cursor_location.row == row_index
        hover = hover_location.row == row_index
        render_cell = self._render_cell
        scrollable = [
            render_cell(row_index, column, row_style, width, cursor, hover)[line_no]
            for column, width in enumerate(widths)
        ]
        extend, _ = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, show_cursor, show_hover, False, False
        )
        extend = row_style + extend + _meta(row_index, 0, out_of_bounds=True)
        scrollable.append([Segment(" " * room, extend)])
        pair: tuple[list[list[Segment]], list[list[Segment]]] = ([], scrollable)
        self._row_render_cache[cache_key] = pair
        return pair

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """DataTable's cell rendering (same cache, same styles), one-line Text drawn fast."""
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        show_hover = self._show_hover_cursor
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            show_hover,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        padding, show_cursor, css_fg, css_bg, console, options = self._settings()
        row = self.rows.get(row_key)
        cell = self._data.get(row_key, {}).get(column_key)
        inner = width - 2 * padding
        line = None
        if row is not None and row.height == 1 and isinstance(cell, Text) and inner >= 0:
            line = text_line(cell, inner, console, options)
        if line is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, show_cursor, show_hover, css_fg, css_bg
        )
        pre = base_style + _meta(row_index, column_index) + component
        if padding:
            pad = Segment(" " * padding)
            line = [pad, *line, pad]
        lines = [_merged(line, pre, post)]
        self._cell_render_cache[cache_key] = lines
        return lines

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


def text_line(
    text: Text, width: int, console: Console, options: ConsoleOptions
) -> list[Segment] | None:
    """``text`` in ``width`` cells as ``console.render_lines`` draws it on one line
    without wrapping (justify, overflow, base style and spans alike); None for text
    that is not one line or may wrap (the caller then lets Rich do it)."""
    plain = text.plain
    if "\n" in plain or "\t" in plain or text.no_wrap is False:
        return None
    justify = text.justify or options.justify or "default"
    overflow = text.overflow or options.overflow or "fold"
    if overflow == "ignore":
        return None
    if not text.spans:
        return _plain_line(text, plain, width, justify, overflow, console)
    line = text.copy()
    Lines([line]).justify(console, width, justify=justify, overflow=overflow)
    line.truncate(width, overflow=overflow)
    if line.style:  # as Text.join hands it to render: the base style is the first span
        line.spans = [Span(0, len(line), line.style), *line.spans]
        line.style = ""
    return Segment.adjust_line_length(list(line.render(console)), width, pad=True)


def _plain_line(
    text: Text, plain: str, width: int, justify: str, overflow: str, console: Console
) -> list[Segment]:
    """:func:`text_line` for text with one style throughout, on strings alone.

    The steps are Rich's (``Lines.justify``, ``Text.truncate``, then padding to the
    width with unstyled spaces); only the Text objects are left out.
    """
    length = cell_len(plain)
    if justify in ("center", "right"):
        plain = plain.rstrip()
        length = cell_len(plain)
    longer = length > width  # Text.truncate pads a left-justified line only if it was not
    if longer:
        plain = (
            set_cell_size(plain, width - 1) + "…"
            if overflow == "ellipsis"
            else set_cell_size(plain, width)
        )
        length = cell_len(plain)
    if justify == "left" and not longer and length < width:
        plain += " " * (width - length)
    elif justify == "right":
        plain = " " * (width - length) + plain
    elif justify == "center":
        left = (width - length) // 2
        plain = " " * left + plain + " " * (width - length - left)
    length = cell_len(plain)
    style = console.get_style(text.style) if text.style else None
    segments = [Segment(plain, style if plain else None)]
    if length != width:  # pad with unstyled spaces, or crop (an ellipsis in no room at all)
        return Segment.adjust_line_length(segments, width, style=Style.null(), pad=True)
    return segments


def _merged(line: list[Segment], pre: Style, post: Style) -> list[Segment]:
    """``Segment.apply_style(line, pre, post)``, neighbours of one style joined (as the
    table's ``Strip.simplify`` joins them anyway): a cell is one or two segments."""
    styled: dict[Style | None, Style | None] = {}
    out: list[Segment] = []
    for text, style, _ in line:
        final = styled.get(style, _UNSET)
        if final is _UNSET:
            final = styled[style] = next(
                iter(Segment.apply_style([Segment("", style)], pre, post))
            ).style
        if out and out[-1].style == final:
            out[-1] = Segment(out[-1].text + text, final)
        else:
            out.append(Segment(text, final))
    return out


_UNSET: Any = object()


@lru_cache(maxsize=8192)
def _meta(row: int, column: int, *, out_of_bounds: bool = False) -> Style:
    """The mouse's cell address DataTable puts on each cell (the same few recur a lot)."""
    if out_of_bounds:
        return Style.from_meta({"row": row, "column": column, "out_of_bounds": True})
    return Style.from_meta({"row": row, "column": column})
