"""Turning whatever a user typed into a valid FTS5 query.

FTS5 syntax errors on ordinary input (``C++``, ``can't``, ``e-mail``, ``NOT``,
an unbalanced quote). We split the text into words the way the unicode61
tokenizer does, quote each word, and make the last one a prefix so that
search-as-you-type finds "Mar" in "Marta".
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


def match_query(text: str, *, prefix_last: bool = True) -> str | None:
    """Return an FTS5 MATCH expression, or None when nothing searchable was typed."""
    words = _WORD.findall(text)
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if prefix_last:
        quoted[-1] += "*"
    return " ".join(quoted)
