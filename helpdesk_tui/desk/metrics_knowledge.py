"""Knowledge-base and bulletin figures: how much the desk answers without a ticket.

**Knowledge**: walks started in the period by outcome; the solved-by-tree rate (solved
walks / walks); contacts answered without any ticket, and how many of those followed a
solved walk; the most walked articles.

**Bulletins**: per bulletin, contacts and tickets linked to it in the period, most first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .metrics_stats import share


@dataclass(frozen=True)
class ArticleUse:
    key: str
    title: str
    walks: int
    solved: int


@dataclass(frozen=True)
class Knowledge:
    walks: int
    solved: int
    escalated: int
    abandoned: int
    solved_rate: float | None
    answered_without_ticket: int  # contacts answered with no ticket at all
    solved_by_walk: int  # ... of which after a solved walk
    articles: list[ArticleUse]


def knowledge(
    outcomes: Iterable[tuple[str, int]],
    articles: Iterable[tuple[Any, ...]],
    answered_without_ticket: int,
    solved_by_walk: int,
) -> Knowledge:
    counts = {str(outcome): int(n) for outcome, n in outcomes}
    walks = sum(counts.values())
    solved = counts.get("solved", 0)
    return Knowledge(
        walks=walks,
        solved=solved,
        escalated=counts.get("escalated", 0),
        abandoned=counts.get("abandoned", 0),
        solved_rate=share(solved, walks),
        answered_without_ticket=answered_without_ticket,
        solved_by_walk=solved_by_walk,
        articles=[ArticleUse(k, t, int(w), int(s or 0)) for k, t, w, s in articles],
    )


@dataclass(frozen=True)
class BulletinUse:
    id: int
    title: str
    status: str
    contacts: int
    tickets: int


def bulletins(rows: Iterable[tuple[Any, ...]]) -> list[BulletinUse]:
    return [BulletinUse(int(i), t, s, int(k), int(n)) for i, t, s, k, n in rows]
