"""Bulletin rules as pure functions: times typed by a lead, intake matching, flags, notices.

Nothing here reads the clock or the database: the facade passes ``now`` and
the records in, so every rule is testable on its own.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..store.bulletins import Bulletin
from . import validate
from .errors import InvalidInput

KINDS: tuple[str, ...] = ("outage", "end_of_support")
SEVERITIES: tuple[str, ...] = ("minor", "major", "critical")
#: Most severe first.
SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}
DEFAULT_SEVERITY = {"outage": "major", "end_of_support": "minor"}
MAX_KEYWORDS = 50
#: Hours a report's timeline fills with zeros between waves; longer spans list busy hours only.
TIMELINE_FILL_HOURS = 7 * 24

#: A word: starts with a letter or digit; ``+`` and ``#`` stay part of it (C++, C#).
_WORD = re.compile(r"\w[\w+#]*")
#: Title words too common on a help desk to say a contact is about this bulletin.
_STOPWORDS_TEXT = """
    a all an and any are at be broken but by can can't cannot down end ends error errors
    failing failure fault faults for from has have in is issue issues it its new not notice
    of off old on or our out outage outages please problem problems slow some support the to
    unavailable was were will with work working your
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


# -- input ------------------------------------------------------------------------------------


def kind(value: str | None) -> str:
    """``outage`` or ``end_of_support`` (``end-of-support`` and ``end of support`` too)."""
    cleaned = re.sub(r"[\s-]+", "_", (value or "outage").strip().lower())
    return validate.choice(cleaned, "bulletin kind", KINDS, field="kind")


def severity(value: str | None, bulletin_kind: str) -> str:
    if value is None or not value.strip():
        return DEFAULT_SEVERITY[bulletin_kind]
    return validate.choice(value, "severity", SEVERITIES, field="severity")


def moment(value: datetime | str | None, label: str, *, field: str) -> datetime | None:
    """A date and time from ISO 8601 text (local time when it names no zone), or None.

    ``2026-11-28T17:00``, ``2026-11-28 17:00``, ``2026-11-28T16:00Z`` and a bare
    ``2026-11-28`` (midnight) are accepted; anything else is one clear error.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        found = value
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            found = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                f"{label} {printable_value(text)} is not a date and time: use ISO 8601, "
                "e.g. 2026-11-28T17:00 (local time) or 2026-11-28T16:00Z",
                field=field,
            ) from None
    if found.tzinfo is None:
        found = found.astimezone()  # the desk's local time
    return found.astimezone(UTC)


def printable_value(text: str) -> str:
    shown = text if len(text) <= 40 else text[:39] + "\u2026"
    return repr(shown)


def keywords(values: Iterable[str] | None) -> tuple[str, ...]:
    """Keywords as typed (blanks dropped, repeats removed ignoring case)."""
    seen: set[str] = set()
    result: list[str] = []
    for value in values or ():
        cleaned = validate.text(value, "keyword", required=False, field="keywords")
        if not cleaned or cleaned.casefold() in seen:
            continue
        if not words(cleaned):
            raise InvalidInput(
                f"keyword {printable_value(cleaned)} has no letters or digits to match on",
                field="keywords",
            )
        seen.add(cleaned.casefold())
        result.append(cleaned)
    if len(result) > MAX_KEYWORDS:
        raise InvalidInput(
            f"{len(result)} keywords given; the limit is {MAX_KEYWORDS}", field="keywords"
        )
    return tuple(result)


def check_window(start: datetime, end: datetime | None) -> None:
    if end is not None and end <= start:
        raise InvalidInput(
            f"the expected end {_utc(end)} is not after the start {_utc(start)}: "
            "give a later --until (or an earlier start)",
            field="expected_end",
        )


def _utc(moment_: datetime) -> str:
    return moment_.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- flags ------------------------------------------------------------------------------------


def is_expired(bulletin: Bulletin, now: datetime) -> bool:
    """Still active although its expected end has passed."""
    return (
        bulletin.status == "active"
        and bulletin.expected_end is not None
        and bulletin.expected_end <= now
    )


def flagged(bulletin: Bulletin, now: datetime) -> Bulletin:
    """The record with ``expired`` and ``scheduled`` set for ``now``."""
    return dataclasses.replace(
        bulletin,
        expired=is_expired(bulletin, now),
        scheduled=bulletin.status == "active" and bulletin.starts_at > now,
    )


# -- matching at intake ---------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-cased words: any text is valid input (``C++``, quotes, ``NOT``...)."""
    return _WORD.findall((text or "").casefold())


def _contains(haystack: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    if n == 0:
        return False
    return any(list(haystack[i : i + n]) == list(phrase) for i in range(len(haystack) - n + 1))


def significant_title_words(title: str) -> set[str]:
    return {w for w in words(title) if len(w) >= 3 and w not in STOPWORDS and not w.isdigit()}


def match_score(
    bulletin: Bulletin, *, category: str | None, product: str | None, text_words: Sequence[str]
) -> int:
    """How well a contact fits a bulletin; 0 means not at all.

    A named product counts most, then a keyword (a phrase of consecutive words),
    then the category, then each significant word of an outage's title.
    """
    score = 0
    if product and product in bulletin.products:
        score += 8
    if category and category in bulletin.categories:
        score += 2
    for keyword in bulletin.keywords:
        if _contains(text_words, words(keyword)):
            score += 4
    if bulletin.kind == "outage":  # a notice's title names a product, not a problem
        score += len(significant_title_words(bulletin.title) & set(text_words))
    return score


def matching(
    bulletins: Iterable[Bulletin],
    *,
    now: datetime,
    category: str | None = None,
    product: str | None = None,
    text: str = "",
) -> list[Bulletin]:
    """Active, started bulletins that fit; most severe first, then best fit, then newest."""
    text_words = words(text)
    scored = []
    for b in bulletins:
        if b.status != "active" or b.starts_at > now:
            continue
        score = match_score(b, category=category, product=product, text_words=text_words)
        if score:
            scored.append((SEVERITY_RANK[b.severity], -score, -b.starts_at.timestamp(), -b.id, b))
    scored.sort(key=lambda item: item[:4])
    return [item[-1] for item in scored]


# -- notices ----------------------------------------------------------------------------------


def end_of_support_text(name: str, last_day: date, today: date) -> tuple[str, str]:
    """Title and answer of an end-of-support notice for a product."""
    if last_day < today:
        return (
            f"End of support: {name} (ended {last_day.isoformat()})",
            f"Support for {name} ended on {last_day.isoformat()}. The help desk can no longer "
            "repair or update it; please contact us to plan a replacement.",
        )
    return (
        f"End of support: {name} on {last_day.isoformat()}",
        f"Support for {name} ends on {last_day.isoformat()}. After that day the help desk can "
        "no longer repair or update it; please contact us to plan a replacement.",
    )


# -- the wave -----------------------------------------------------------------------------------


def hour_start(prefix: str) -> str:
    """``2026-11-25T09`` (a stored stamp's first 13 characters) -> ``2026-11-25T09:00:00Z``."""
    return f"{prefix}:00:00Z"


@dataclass(frozen=True)
class HourCount:
    hour: str  # start of the hour, UTC ISO 8601
    contacts: int
    tickets: int


def timeline(contacts: dict[str, int], tickets: dict[str, int]) -> list[HourCount]:
    """Every hour from the first link to the last (zeros included), oldest first.

    Spans longer than :data:`TIMELINE_FILL_HOURS` list only the hours with links.
    """
    hours = sorted(set(contacts) | set(tickets))
    if not hours:
        return []
    first = datetime.fromisoformat(hours[0])
    last = datetime.fromisoformat(hours[-1])
    span = int((last - first).total_seconds() // 3600)
    if span <= TIMELINE_FILL_HOURS:
        hours = [
            (first + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(span + 1)
        ]
    return [HourCount(h, contacts.get(h, 0), tickets.get(h, 0)) for h in hours]
