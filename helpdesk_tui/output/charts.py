"""Charts drawn with characters, for a lead who would rather look than read (issue 7).

A heatmap of a grid of counts (shade blocks, darker = more), a sparkline of a series
(``▁▂▃▄▅▆▇█``) and horizontal bars. Plain Rich renderables: the command line prints
them and the console shows them in a ``Static``. Labels are ours, never user text.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

SPARKS = "▁▂▃▄▅▆▇█"
#: Heatmap shades from empty to the busiest cell, and their colours.
SHADES = (" ", "░", "▒", "▓", "█")
HEAT_STYLES = ("dim", "blue", "cyan", "yellow", "bold red")


def sparkline(values: Sequence[float]) -> str:
    """One character per value, scaled to the largest (all zero: the lowest bar)."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, round(v / top * (len(SPARKS) - 1)))] for v in values)


def heat_level(value: float, top: float) -> int:
    """0 for nothing, else 1-4 by share of the busiest cell."""
    if value <= 0 or top <= 0:
        return 0
    return min(4, 1 + int(value / top * 3.999))


def heatmap(
    rows: Sequence[Sequence[float]], row_labels: Sequence[str], title: str = ""
) -> RenderableType:
    """Rows of 24 hourly values as shade blocks, the hours along the top, a legend below."""
    top = max((v for row in rows for v in row), default=0)
    width = max((len(r) for r in rows), default=24)
    grid = Table.grid(padding=(0, 0))
    grid.add_column(no_wrap=True)
    for _ in range(width):
        grid.add_column(no_wrap=True, width=2)
    hours = (Text(f"{h:<2d}" if h % 3 == 0 else "", style="dim") for h in range(width))
    grid.add_row(Text(""), *hours)
    for label, row in zip(row_labels, rows, strict=True):
        cells = []
        for value in row:
            level = heat_level(value, top)
            cells.append(Text(SHADES[level] * 2, style=HEAT_STYLES[level]))
        grid.add_row(Text(f"{label} "), *cells)
    legend = Text("    ")
    for level in range(1, 5):
        legend.append(SHADES[level] * 2, style=HEAT_STYLES[level])
        legend.append(f" up to {top * level / 4:,.0f}  " if top else "  ")
    parts: list[RenderableType] = [Text(title)] if title else []
    return Group(*parts, grid, legend)


def bars(items: Sequence[tuple[str, float]], width: int = 40, unit: str = "") -> Table:
    """``label ████ value`` lines, scaled to the largest value."""
    top = max((v for _, v in items), default=0)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    for label, value in items:
        length = round(value / top * width) if top else 0
        grid.add_row(
            Text(label), Text("█" * length or "·", style="cyan"), Text(f"{value:,.0f}{unit}")
        )
    return grid
