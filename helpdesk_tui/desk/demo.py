"""``helpdesk demo``: a database with months of realistic desk history.

Decides *what* the history looks like (people, load over time, ticket
journeys: see the ``demo_*`` modules) and leaves *how* to write millions of
rows quickly to :mod:`helpdesk_tui.store.bulk`. The same seed and the same
clock give the same file, row for row; only ``now`` is read from the clock.

The file is made the normal way (``Desk.open`` then ``init``, so the person
running the demo is its first admin, level 3) and only then bulk-loaded;
it is marked ``demo = 1`` in meta, and only such a file is ever replaced.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..clock import Clock, FrozenClock
from ..store import StoreError
from ..store.bulk import BulkLoad, is_demo_file, remove_database
from . import demo_content as pool
from .demo_bulletins import post_bulletins
from .demo_calls import add_demo_metrics
from .demo_history import History
from .demo_knowledge import generate_articles, plan_knowledge, publish_articles
from .demo_people import People
from .demo_plan import OPEN_SHARE
from .demo_sla import DemoSla
from .demo_tiers import TierRules
from .demo_time import DAY, HOUR, MINUTE, Timeline
from .demo_worker import batches
from .errors import InvalidInput, StorageProblem
from .facade import Desk
from .people import validate_login
from .starter import load_categories

MAX_TICKETS = 5_000_000
MAX_ARTICLES = 100_000
#: About 18 months of history.
HISTORY_DAYS = 548
BATCH = 50_000
#: From this many tickets the history is generated in a second process while
#: this one writes (see demo_worker); below it, forking is not worth its cost.
PARALLEL_FROM = 20_000
#: The columns each table's rows arrive sorted by: ids follow time, so tickets come
#: by creation and contacts by moment. Indexes leading with these only grow at their
#: end and are kept while loading; every other index is dropped and rebuilt after,
#: which costs less than filling it in random order (measured at 200k tickets: the
#: inserts 40% faster, the rebuild 2 s longer; events' indexes all go, their rows
#: arrive by day, not by ticket).
ORDERED = {
    "tickets": ("created_at",),
    "contacts": ("at",),
    "events": (),
}

Progress = Callable[[str, int, int], None]
Sizes = tuple[int, int, float]  # tickets, generated articles, share of tickets still open


@dataclass(frozen=True)
class DemoReport:
    """What was built, for the command's one-line summary."""

    path: Path
    tickets: int
    open_tickets: int
    contacts: int
    customers: int
    events: int
    users: int
    seconds: float
    articles: int = 0  # generated (``--articles``), on top of the starter trees
    walks: int = 0
    bulletins: int = 0


def _quiet(stage: str, done: int, total: int) -> None:
    """The default progress callback: say nothing."""


def build_demo(
    path: Path,
    *,
    tickets: int = 500,
    seed: int = 1,
    login: str,
    articles: int = 0,
    open_share: float = OPEN_SHARE,
    progress: Progress | None = None,
    clock: Clock | None = None,
) -> DemoReport:
    """Build (or rebuild) the demo database at ``path`` with ``tickets`` tickets of history."""
    started = time.perf_counter()
    _check_count(tickets, "tickets", MAX_TICKETS)
    _check_count(articles, "articles", MAX_ARTICLES)
    if not isinstance(open_share, int | float) or not 0 <= open_share <= 1:
        raise InvalidInput(f"the open share must be from 0 to 1, not {open_share!r}")
    login = validate_login(login)  # before minutes of work, not after
    path = Path(path)
    if path.exists() and (path.is_dir() or not is_demo_file(path)):
        raise InvalidInput(
            f"{path} exists and is not a demo database: the demo never replaces real data; "
            "choose another --db path"
        )
    try:
        remove_database(path)  # a previous demo, or stale -wal/-shm files of a deleted one
    except OSError as exc:
        raise StorageProblem(f"cannot replace the demo database {path}: {exc.strerror}") from None
    progress = progress or _quiet
    # Millions of live tuples make every cyclic-GC pass longer: 16% of the run
    # at 1M tickets, for garbage the generator never makes (it has no cycles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        sizes = (tickets, articles, float(open_share))
        report = _build(path, sizes, seed, login, progress, clock or Clock())
    finally:
        if collecting:
            gc.enable()
    return DemoReport(path=path, seconds=time.perf_counter() - started, **report)


def _check_count(value: object, name: str, top: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise InvalidInput(
            f"--{name} must be a whole number from 0 to {top:,}, not {value!r}", field=name
        )


def _build(
    path: Path, sizes: Sizes, seed: int, login: str, progress: Progress, clock: Clock
) -> dict[str, int]:
    """Make the file the normal way, then bulk-load its history; remove it on any failure."""
    tickets = sizes[0]
    rng = random.Random(seed)
    tl = Timeline(clock.now(), HISTORY_DAYS, rng)
    people = People(login, max(50, tickets // 4), tl, rng)
    go_live = tl.to_datetime(4 * DAY + 9 * HOUR)  # the desk's admin set it up a week early
    desk = Desk.open(path, login=login, clock=FrozenClock(go_live))
    try:
        desk.init()
        report = _load(desk, people, tl, rng, sizes, seed, progress)
    except BaseException as exc:
        desk.close()
        remove_database(path)
        if isinstance(exc, StoreError):  # e.g. the disk filled up: one line, no traceback
            raise StorageProblem(str(exc)) from None
        raise
    desk.close()
    return report


def _load(
    desk: Desk,
    people: People,
    tl: Timeline,
    rng: random.Random,
    sizes: Sizes,
    seed: int,
    progress: Progress,
) -> dict[str, int]:
    """Bulk-load the staff, the customers and the streamed history into the fresh file."""
    tickets, article_count, open_share = sizes
    load = BulkLoad(desk.store)
    load.begin(ORDERED)
    categories = load_categories()
    departments = {c.key: c.department or "Service Desk" for c in categories}
    rules = TierRules(desk.tiers(), [c.key for c in categories], rng)
    calendars = {c.name: c for c in desk.calendars()}
    sla = DemoSla(tl, desk.sla_plans(), desk.sla_matrix(), calendars)
    # Knowledge has random streams of its own: the history is the same with or without it.
    products = [(p.key, p.category or "") for p in desk.products()]
    weights = pool.CATEGORY_WEIGHTS
    articles = generate_articles(
        article_count, random.Random(f"articles-{seed}"), weights, departments, products
    )
    walker = plan_knowledge(desk, articles, seed, weights)
    history = History(tl, people, rules, rng, tickets, departments, sla, walker)
    history.open_share = open_share
    stream = batches(history, BATCH, parallel=tickets >= PARALLEL_FROM)
    users = [
        (s.login, s.name, s.role, s.level, s.department, tl.stamp(4 * DAY + 9 * HOUR + k * MINUTE))
        for k, s in enumerate(people.staff, 1)
    ]
    load.users(users)
    rows = people.rows
    for done in range(0, len(rows), BATCH):  # while the history is being generated
        progress("customers", done, len(rows))
        load.customers(rows[done : done + BATCH])
    progress("customers", len(rows), len(rows))
    published = tl.stamp(4 * DAY + 10 * HOUR)  # imported an hour after the go-live
    progress("articles", 0, len(articles))
    publish_articles(load, articles, published, people.runner)
    progress("articles", len(articles), len(articles))
    done = {"tickets": 0, "contacts": 0, "events": 0, "kb_walks": 0, "kb_walk_nodes": 0}
    guess = {"tickets": tickets, "contacts": 3 * tickets, "events": 5 * tickets}
    guess |= {"kb_walks": tickets // 5, "kb_walk_nodes": tickets // 2}
    inserts = {"tickets": load.tickets, "contacts": load.contacts, "events": load.events}
    inserts |= {"kb_walks": load.walks, "kb_walk_nodes": load.walk_nodes}
    progress("tickets", 0, tickets)
    open_tickets = 0
    for table, batch in stream:
        if table == "summary":
            open_tickets = batch[0][0]
            continue
        inserts[table](batch)
        done[table] += len(batch)
        progress(table, done[table], max(done[table], guess[table]))
    for table in ("contacts", "events"):
        progress(table, done[table], done[table])
    bulletins = post_bulletins(desk, load, tl, people.lead)
    meta = {"demo": "1", "demo_seed": str(seed), "demo_tickets": str(tickets)}
    meta |= {"demo_articles": str(article_count), "demo_open_share": str(open_share)}
    add_demo_metrics(desk.store, seed=seed, now=tl.to_datetime(tl.now), login="demo")  # issue 7
    load.finish(meta, progress)
    return {
        "tickets": tickets,
        "open_tickets": open_tickets,
        "contacts": done["contacts"],
        "customers": len(rows),
        "events": done["events"],
        "users": len(users) + 1,
        "articles": len(articles),
        "walks": done["kb_walks"],
        "bulletins": bulletins,
    }
