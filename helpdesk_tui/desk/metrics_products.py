"""What customers ask about most (seed 003), and how satisfied they were (seed 001).

**Products and services**: tickets opened in the period per catalogue product, and per
category (the services the desk supports), most first, each with how many are resolved
by now and the median and 90th percentile time to resolve them (creation to resolution).

**Satisfaction**: ratings (1 to 5) recorded when tickets were closed in the period: how
many, the average, how many of each, and the low ones (2 or less) with what the customer
said, newest first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..clock import from_stamp
from .metrics_stats import Durations, share

#: Ratings at or below this are "low" and listed with their comments.
LOW_RATING = 2
RATINGS = (1, 2, 3, 4, 5)
#: No product on the ticket.
NO_PRODUCT = "(no product)"


@dataclass(frozen=True)
class AskedAbout:
    name: str
    tickets: int
    resolved: int
    time_to_resolve: Durations


@dataclass(frozen=True)
class Products:
    products: list[AskedAbout]  # catalogue products, tickets without one last
    categories: list[AskedAbout]


def _ranked(groups: Mapping[str, list[float | None]]) -> list[AskedAbout]:
    rows = [
        AskedAbout(
            name,
            len(values),
            sum(v is not None for v in values),
            Durations.of(v for v in values if v is not None),
        )
        for name, values in groups.items()
    ]
    return sorted(rows, key=lambda r: (r.name == NO_PRODUCT, -r.tickets, r.name))


def products(rows: Iterable[tuple[Any, ...]], category_names: Mapping[str, str]) -> Products:
    """(product name or None, category key, seconds to resolve or None) per ticket opened."""
    by_product: dict[str, list[float | None]] = defaultdict(list)
    by_category: dict[str, list[float | None]] = defaultdict(list)
    for product, category, seconds in rows:
        by_product[product or NO_PRODUCT].append(seconds)
        by_category[category_names.get(category, category)].append(seconds)
    return Products(_ranked(by_product), _ranked(by_category))


@dataclass(frozen=True)
class LowRating:
    ticket_id: int
    at: datetime
    rating: int
    comment: str
    recorded_by: str
    title: str


@dataclass(frozen=True)
class Satisfaction:
    ratings: int
    average: float | None
    distribution: dict[int, int]  # rating -> how many, 1 to 5
    low: int  # ratings of LOW_RATING or less
    low_share: float | None
    lowest: list[LowRating]  # the newest low ones, with comments


def satisfaction(
    counts: Iterable[tuple[int, int]], low_rows: Iterable[tuple[Any, ...]]
) -> Satisfaction:
    distribution = dict.fromkeys(RATINGS, 0)
    for rating, n in counts:
        distribution[int(rating)] = distribution.get(int(rating), 0) + int(n)
    total = sum(distribution.values())
    low = sum(n for r, n in distribution.items() if r <= LOW_RATING)
    points = sum(r * n for r, n in distribution.items())
    return Satisfaction(
        ratings=total,
        average=share(points, total),
        distribution=distribution,
        low=low,
        low_share=share(low, total),
        lowest=[LowRating(r[0], from_stamp(r[1]), *r[2:]) for r in low_rows],
    )
