"""Turning whatever a user typed into a valid FTS5 query.

FTS5 syntax errors on ordinary input (``C++``, ``can't``, ``e-mail``, ``NOT``,
an unbalanced quote). We split the text into words the way the unicode61
tokenizer does, quote each word, and make the last one a prefix so that
search-as-you-type finds "Mar" in "Marta".
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
#: A query of thousands of words (a paragraph pasted into a search box) took
#: seconds per keystroke (measured: 5,000 words, 9 s); more than this many
#: distinct words narrow nothing down that the first ones do not.
MAX_WORDS = 12


def match_query(text: str, *, prefix_last: bool = True) -> str | None:
    """Return an FTS5 MATCH expression, or None when nothing searchable was typed."""
    words = list(dict.fromkeys(_WORD.findall(text)))  # each distinct word once, in order
    if not words:
        return None
    if len(words) > MAX_WORDS:
        # keep the last word: it is the one being typed, searched as a prefix
        words = [*words[: MAX_WORDS - 1], words[-1]]
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if prefix_last:
        quoted[-1] += "*"
    return " ".join(quoted)
