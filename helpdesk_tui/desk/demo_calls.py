"""The demo's phone records, satisfaction ratings and complaints (issue 7).

Called by :mod:`.demo` once the history is loaded: the demo desk then has what a lead's
metrics need. Shares are those of a typical help desk: about 30 % of customers answer
the satisfaction question at close; about 8 % of callers hang up while waiting before
they get through (and call again: that is the answered call), 1.5 % time out; a few
contacts in a hundred are complaints. The phone system's records cover the last
:data:`CALL_DAYS` days, as if its log had been imported since then. Everything is made
in SQL from the rows already loaded (see :mod:`..store.bulk_metrics`), deterministic
for a seed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from ..clock import to_stamp
from ..store import Store
from ..store.bulk_metrics import demo_calls, demo_complaints, demo_ratings

CALL_DAYS = 120
COMPLAINT_DAYS = 180
ABANDONED_PER_10K = 800
TIMEOUT_PER_10K = 150
RATED_PER_10K = 3_000
COMPLAINTS_PER_10K = 600  # of contacts not answered at once


def add_demo_metrics(
    store: Store,
    *,
    seed: int,
    now: datetime,
    login: str,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Add calls, ratings and complaint reasons to a freshly loaded demo; returns counts."""
    report = progress or (lambda stage, done, total: None)
    report("phone calls, ratings", 0, 3)
    calls = demo_calls(
        store,
        seed=seed,
        since=to_stamp(now - timedelta(days=CALL_DAYS)),
        imported_at=to_stamp(now),
        login=login,
        abandoned_per_10k=ABANDONED_PER_10K,
        timeout_per_10k=TIMEOUT_PER_10K,
    )
    report("phone calls, ratings", 1, 3)
    ratings = demo_ratings(store, seed=seed, responded_per_10k=RATED_PER_10K)
    report("phone calls, ratings", 2, 3)
    complaints = demo_complaints(
        store,
        seed=seed,
        since=to_stamp(now - timedelta(days=COMPLAINT_DAYS)),
        per_10k=COMPLAINTS_PER_10K,
    )
    report("phone calls, ratings", 3, 3)
    return {"calls": calls, "ratings": ratings, "complaints": complaints}
