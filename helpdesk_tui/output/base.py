"""The building blocks: safe table cells and tables, JSON, CSV and the progress bar."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..clock import iso
from ..textsafe import clip, printable

#: Widest a free-text cell may be in a list; ``ticket show`` has room for more.
NARROW = 40
WIDE = 60
NOTE = 80

# DEL and the C1 controls (0x9b is a one-byte CSI) and the Unicode line
# separators pass through json.dumps(ensure_ascii=False) unescaped.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def console() -> Console:
    """A stdout console made at call time, so it sees the current COLUMNS and stdout."""
    return Console(highlight=False, soft_wrap=False)


def cell(value: object, width: int | None = None, *, one_line: bool = True) -> Text:
    """One table cell: user text shown literally, clipped to ``width`` characters if given.

    ``one_line`` cells end in an ellipsis when the column is narrower than the text,
    so a row stays one line however narrow the terminal.
    """
    if isinstance(value, Text):
        return value  # already made safe by the caller
    text = "" if value is None else str(value)
    shown = clip(text, width) if width else printable(text, single_line=True)
    if one_line:
        return Text(shown, no_wrap=True, overflow="ellipsis")
    return Text(shown)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    widths: Sequence[int | None] = (),
    caption: str | None = None,
) -> Table:
    """A list as a Rich table that fits any terminal width without crashing.

    ``widths`` clips free-text columns (by character count) so one long note
    cannot take the table over. On a narrow terminal Rich shrinks the widest
    columns first and every cell ends in an ellipsis rather than wrapping.
    """
    out = Table(box=box.SIMPLE_HEAD, caption=caption, caption_justify="left", pad_edge=False)
    for header in headers:
        out.add_column(header, overflow="ellipsis")
    limits = list(widths) + [None] * (len(headers) - len(widths))
    for row in rows:
        out.add_row(*(cell(value, width) for value, width in zip(row, limits, strict=False)))
    return out


# -- JSON and CSV --------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Records to JSON-ready data: dataclasses to dicts, datetimes to ISO 8601 UTC."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """Indented JSON that keeps accents readable yet never carries a raw control byte."""
    text = json.dumps(plain(value), ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_csv(stream: IO[str], kind: type | Sequence[str], records: Iterable[Any]) -> None:
    """A header from the record type's fields (or the given names), then one row per record.

    Records are dataclasses of that type, or dicts with those keys; values as stored.
    """
    names = [f.name for f in fields(kind)] if isinstance(kind, type) else list(kind)
    writer = csv.writer(stream)
    writer.writerow(names)
    for record in records:
        if isinstance(record, dict):
            writer.writerow([_csv_value(record.get(name)) for name in names])
        else:
            writer.writerow([_csv_value(getattr(record, name)) for name in names])


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(plain(value), ensure_ascii=False)
    return value


# -- progress ----------------------------------------------------------------------------------


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback drawing one bar per stage on stderr.

    Stderr, so that ``helpdesk demo --no-open > report.txt`` keeps the report clean.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as bar:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(escape(printable(stage, single_line=True)), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report
