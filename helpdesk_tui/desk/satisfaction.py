"""Customer satisfaction recorded at close (seed 001: feedback, satisfaction tracked).

When a ticket is closed the agent may enter what the customer said: a rating from 1
(very dissatisfied) to 5 (very satisfied) and a comment. Both are part of the close:
the ``closed`` event carries them in its data and a ``satisfaction`` row keeps them
for the report. A comment needs a rating: it is the rating's explanation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store.metrics import MetricsStore
from . import validate
from .errors import InvalidInput

if TYPE_CHECKING:
    from .facade import Desk

RATING_LABELS: dict[int, str] = {
    1: "very dissatisfied",
    2: "dissatisfied",
    3: "neutral",
    4: "satisfied",
    5: "very satisfied",
}


def checked_rating(rating: object, comment: str | None) -> tuple[int | None, str]:
    """The rating as a whole number 1-5 (or None) and the comment, or a clear refusal."""
    text = validate.text(
        comment, "comment", required=False, limit=validate.SUMMARY_MAX, field="comment"
    )
    if rating is None or (isinstance(rating, str) and not rating.strip()):
        if text:
            raise InvalidInput("a satisfaction comment needs a rating from 1 to 5", field="rating")
        return None, ""
    try:
        value = int(str(rating).strip())
    except ValueError:
        value = 0
    if isinstance(rating, bool) or value not in RATING_LABELS or str(value) != str(rating).strip():
        raise InvalidInput(
            f"the rating must be a whole number from 1 to 5, not {rating!r}", field="rating"
        )
    return value, text


def record_rating(desk: Desk, ticket_id: int, at: str, rating: int, comment: str) -> None:
    """Inside the close's transaction: keep the rating for the report."""
    MetricsStore(desk.store.session).add_rating(ticket_id, at, rating, comment, desk.login)
