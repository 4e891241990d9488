"""The paged table draws its one-line Text cells itself: exactly what DataTable shows.

Two contracts: :func:`text_line` gives the segments Rich's ``render_lines`` gives
for a one-line cell; and a PagedTable's screen lines (cursor, hover, zebra
stripes, focus and all) are the lines a DataTable with the same rows shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from helpdesk_tui.widgets import paged_table
from helpdesk_tui.widgets.cells import age_cell, literal, number_cell, priority_cell
from helpdesk_tui.widgets.paged_table import PagedTable, text_line

CELLS = [
    Text("plain"),
    Text("Printer shows offline for the finance team after the update"),
    Text("bold base style", style="bold"),
    Text("right", justify="right"),
    Text("a long right-justified number 1234567890", justify="right"),
    Text("centre", justify="center"),
    Text("left pad", justify="left", style="underline"),
    Text("ellipsis overflow that is far too long", overflow="ellipsis"),
    Text("crop overflow that is far too long", overflow="crop"),
    Text("trailing spaces    "),
    Text("  leading spaces"),
    Text(""),
    Text("", style="bold"),
    Text("   ", style="on blue"),
    Text("打印机无法打印 wide characters"),
    Text("打印机无法打印 wide characters", justify="left", style="on red"),
    Text("打印机无法打印 wide characters", justify="right", overflow="ellipsis"),
    Text("打印机无法打印", justify="center", style="bold"),
    Text("left and long enough to be cut", justify="left", style="reverse"),
    Text("centre and long enough to be cut", justify="center", overflow="ellipsis"),
    Text.assemble(("red ", "red"), ("green", "green on black"), " none", style="italic"),
    Text("[not] markup [b]at all[/b]"),
    number_cell(48211),
    priority_cell("urgent"),
    literal("O'Markup [red]customer[/red] with a long name", width=14),
]
WIDTHS = (1, 2, 6, 14, 30)


def test_text_line_is_what_rich_renders() -> None:
    console = Console(width=80, force_terminal=True, color_system="truecolor")
    for cell in CELLS:
        for width in (0, *WIDTHS):
            options = console.options.update_dimensions(width, 1).update(no_wrap=True)
            # as Padding asks for it inside DataTable: padded with unstyled spaces
            expected = console.render_lines(cell, options, style=Style.null(), pad=True)[0]
            mine = text_line(cell, width, console, console.options)
            assert mine is not None
            assert _same(mine) == _same(expected), (cell, width)


def _same(line: list[Segment]) -> list[Segment]:
    """Joined neighbours, no style the same as a null style (both become the cell's)."""
    plain = [Segment(text, style or Style.null()) for text, style, _ in line]
    return [s for s in Segment.simplify(plain) if s.text]


def test_text_that_is_not_one_line_is_left_to_rich() -> None:
    console = Console()
    assert text_line(Text("two\nlines"), 10, console, console.options) is None
    assert text_line(Text("a\ttab"), 10, console, console.options) is None
    assert text_line(Text("may wrap", no_wrap=False), 10, console, console.options) is None


class Pair(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedTable(id="paged")
        yield DataTable(id="plain", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            for n, width in enumerate(WIDTHS):
                table.add_column(f"c{n}", width=width, key=f"c{n}")
            for i, cell in enumerate(CELLS):
                table.add_row(*([cell] * len(WIDTHS)), key=str(i))
            table.add_row(age_cell.__name__, Text("two\nlines"), "[b]markup[/b]", 7, None)


async def test_the_screen_shows_what_datatable_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    fast: list[Text] = []

    def counted(text: Text, *args: Any) -> Any:
        fast.append(text)
        return text_line(text, *args)

    monkeypatch.setattr(paged_table, "text_line", counted)
    app = Pair()
    async with app.run_test(size=(80, 70)) as pilot:
        await pilot.pause()
        paged, plain = app.query_one("#paged", PagedTable), app.query_one("#plain", DataTable)
        lines = range(len(CELLS) + 2)
        for focused in (True, False):  # the cursor's colours depend on focus
            for cursor, hover in ((0, 3), (5, 5), (len(CELLS) - 1, 0), (len(CELLS), 9)):
                drawn = {}
                for table in (paged, plain):
                    app.set_focus(table if focused else None)
                    table.move_cursor(row=cursor, animate=False)
                    table.hover_coordinate = Coordinate(hover, 0)
                    table._show_hover_cursor = True
                    await pilot.pause()
                    drawn[table.id] = [table.render_line(y) for y in lines]
                assert drawn["paged"] == drawn["plain"], (focused, cursor, hover)
        assert len(fast) >= len(CELLS) * len(WIDTHS)  # drawn the fast way, not by DataTable
