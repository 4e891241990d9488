"""Checks on what users type, shared by every action that stores text.

Text is stored exactly as typed (markup and control characters included:
they are made harmless when shown, see ``textsafe``); what is refused is
empty required text and text beyond the documented limits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import InvalidInput

#: Limits in characters. A pasted log belongs in an attachment, not a note.
SHORT_TEXT_MAX = 200  # names, titles, field values
SUMMARY_MAX = 4_000  # a contact's summary
LONG_TEXT_MAX = 65_536  # descriptions, notes, resolutions

#: Lone surrogates: what Python makes of bytes that are not UTF-8 (a terminal or
#: file in another encoding). SQLite cannot store them; they are refused, not mangled.
_UNDECODABLE = re.compile("[\ud800-\udfff]")
NOT_UTF8 = "set the terminal (or save the file) as UTF-8 and try again"


def text(
    value: str | None,
    label: str,
    *,
    required: bool = True,
    limit: int = SHORT_TEXT_MAX,
    field: str | None = None,
) -> str:
    """Strip surrounding blanks; refuse empty required text and oversize text."""
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"{label} is required: it cannot be empty", field=field)
    if _UNDECODABLE.search(value):
        raise InvalidInput(f"{label} has bytes that are not UTF-8 text: {NOT_UTF8}", field=field)
    if len(value) > limit:
        raise InvalidInput(
            f"{label} is {len(value):,} characters long; the limit is {limit:,}",
            field=field,
        )
    return value


def choice(
    value: str | None, label: str, allowed: Iterable[str], *, field: str | None = None
) -> str:
    allowed = tuple(allowed)
    cleaned = (value or "").strip().lower()
    if cleaned not in allowed:
        shown = value if value else "(empty)"
        raise InvalidInput(
            f"unknown {label} {shown!r}: use one of {', '.join(allowed)}", field=field
        )
    return cleaned
