"""The demo database: realistic, deterministic, consistent, and made only where allowed."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import T0

from helpdesk_tui.clock import FrozenClock, from_stamp, to_stamp
from helpdesk_tui.desk import Desk, InvalidInput, TicketDraft
from helpdesk_tui.desk import demo as demo_module
from helpdesk_tui.desk.demo import DemoReport, build_demo
from helpdesk_tui.desk.demo_content import CATEGORY_WEIGHTS
from helpdesk_tui.desk.demo_knowledge import generate_articles, publish_articles
from helpdesk_tui.desk.demo_time import DAY, Timeline
from helpdesk_tui.desk.knowledge_tree import check
from helpdesk_tui.store.bulk import BulkLoad
from helpdesk_tui.vocab import CHANNELS, OPEN_STATUSES, PRIORITIES, STATUSES, TIERS

TABLES = ("users", "customers", "tickets", "contacts", "events", "ticket_links")
KNOWLEDGE_TABLES = ("kb_articles", "kb_versions", "kb_walks", "kb_walk_nodes", "bulletins")


def _build(path: Path, tickets: int = 300, seed: int = 1, **kw: Any) -> DemoReport:
    return build_demo(path, tickets=tickets, seed=seed, login="admin", clock=FrozenClock(T0), **kw)


def _rows(db: sqlite3.Connection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return db.execute(sql, params).fetchall()


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as db:
        return {t: _rows(db, f"SELECT * FROM {t} ORDER BY rowid") for t in TABLES}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoReport]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    return path, _build(path, articles=40)


@pytest.fixture
def db(built: tuple[Path, DemoReport]) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(built[0])
    yield conn
    conn.close()


# -- size and shape --------------------------------------------------------------------------
def test_counts_are_plausible(built: tuple[Path, DemoReport], db: sqlite3.Connection) -> None:
    path, report = built
    count = {t: _rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}
    assert report.path == path and report.seconds > 0
    assert count["tickets"] == report.tickets == 300
    assert count["customers"] == report.customers == 75  # max(50, 300 // 4)
    assert count["contacts"] == report.contacts and 2.7 <= report.contacts / 300 <= 3.3
    assert count["events"] == report.events and report.events >= 3 * 300
    assert count["users"] == report.users >= 12
    marks = ",".join("?" * len(OPEN_STATUSES))
    still_open = _rows(
        db, f"SELECT count(*) FROM tickets WHERE status IN ({marks})", *OPEN_STATUSES
    )
    assert still_open[0][0] == report.open_tickets == 15  # 5%
    statuses = {s for (s,) in _rows(db, "SELECT DISTINCT status FROM tickets")}
    assert statuses == set(STATUSES)
    assert _rows(db, "SELECT value FROM meta WHERE key = 'demo'") == [("1",)]


def test_the_runner_is_a_level_3_admin_among_realistic_staff(db: sqlite3.Connection) -> None:
    users = {r[0]: r for r in _rows(db, "SELECT login, name, role, level, department FROM users")}
    assert users["admin"][2:4] == ("admin", 3)
    staff = [u for login, u in users.items() if login != "admin"]
    assert {u[3] for u in staff} == {1, 2, 3} and {u[2] for u in staff} == {"agent", "lead"}
    assert len({u[4] for u in staff}) >= 5 and all(" " in u[1] for u in staff)


def test_vocabulary_and_weights(db: sqlite3.Connection) -> None:
    def share(sql: str) -> dict[str, float]:
        rows = _rows(db, sql)
        total = sum(n for _, n in rows)
        return {k: n / total for k, n in rows}

    channels = share("SELECT channel, count(*) FROM contacts GROUP BY channel")
    priorities = share("SELECT priority, count(*) FROM tickets GROUP BY priority")
    tiers = share("SELECT tier, count(*) FROM customers GROUP BY tier")
    assert set(channels) == set(CHANNELS) and max(channels, key=channels.__getitem__) == "email"
    assert set(priorities) <= set(PRIORITIES) and priorities["normal"] > 0.5
    assert set(tiers) <= set(TIERS) and tiers["basic"] > 0.6
    outcomes = {o for (o,) in _rows(db, "SELECT DISTINCT outcome FROM contacts")}
    assert outcomes == {"answered", "ticket", "existing"}


# -- determinism -------------------------------------------------------------------------------
def test_same_seed_and_clock_give_the_same_file(
    built: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    _build(tmp_path / "again.db", articles=40)
    assert dump(tmp_path / "again.db") == dump(built[0])
    with sqlite3.connect(tmp_path / "again.db") as again, sqlite3.connect(built[0]) as first:
        for table in KNOWLEDGE_TABLES:
            sql = f"SELECT * FROM {table} ORDER BY rowid"
            assert _rows(again, sql) == _rows(first, sql), table


def test_knowledge_leaves_the_history_as_it_was(
    built: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    """Articles and walks have random streams of their own: same tickets without them."""
    _build(tmp_path / "plain.db")
    plain, mine = dump(tmp_path / "plain.db"), dump(built[0])
    assert plain == mine


def test_another_seed_gives_another_history(built: tuple[Path, DemoReport], tmp_path: Path) -> None:
    _build(tmp_path / "other.db", seed=2)
    mine, other = dump(built[0]), dump(tmp_path / "other.db")
    assert mine["tickets"] != other["tickets"] and mine["contacts"] != other["contacts"]


def test_generating_in_a_second_process_gives_the_same_file(
    built: tuple[Path, DemoReport], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_module, "PARALLEL_FROM", 0)
    _build(tmp_path / "forked.db", articles=40)
    assert dump(tmp_path / "forked.db") == dump(built[0])
    with sqlite3.connect(tmp_path / "forked.db") as forked, sqlite3.connect(built[0]) as first:
        sql = "SELECT * FROM kb_walk_nodes ORDER BY rowid"
        assert _rows(forked, sql) == _rows(first, sql)


# -- consistency -------------------------------------------------------------------------------
def test_every_ticket_opens_with_one_created_event_and_counts_its_versions(
    db: sqlite3.Connection,
) -> None:
    bad = _rows(
        db,
        "SELECT t.id FROM tickets t WHERE "
        "(SELECT count(*) FROM events e WHERE e.ticket_id = t.id AND e.kind = 'created') != 1 "
        "OR (SELECT kind FROM events e WHERE e.ticket_id = t.id ORDER BY id LIMIT 1) != 'created' "
        "OR t.version != (SELECT count(*) FROM events e WHERE e.ticket_id = t.id) "
        "OR t.updated_at != (SELECT max(at) FROM events e WHERE e.ticket_id = t.id) "
        "OR t.created_at != "
        "(SELECT at FROM events e WHERE e.ticket_id = t.id AND e.kind = 'created')",
    )
    assert bad == []


def test_times_are_consistent(db: sqlite3.Connection) -> None:
    now = to_stamp(T0)
    assert _rows(db, "SELECT count(*) FROM events WHERE at > ?", now) == [(0,)]
    assert _rows(db, "SELECT count(*) FROM contacts WHERE at > ? OR started_at > at", now) == [(0,)]
    assert _rows(
        db,
        "SELECT count(*) FROM tickets WHERE resolved_at < created_at OR closed_at < resolved_at "
        "OR (status = 'closed') != (closed_at IS NOT NULL) "
        "OR (status IN ('resolved', 'closed')) != (resolved_at IS NOT NULL)",
    ) == [(0,)]
    # A ticket's contacts come no earlier than the ticket; its customer existed before.
    assert _rows(
        db,
        "SELECT count(*) FROM contacts k JOIN tickets t ON t.id = k.ticket_id "
        "JOIN customers c ON c.id = k.customer_id "
        "WHERE k.at < t.created_at OR k.customer_id != t.customer_id OR c.created_at > k.at",
    ) == [(0,)]
    # Ids grow with time, as when each row is written when it happens.
    for table in ("contacts", "events"):
        assert _rows(
            db,
            f"SELECT count(*) FROM {table} a JOIN {table} b ON b.id = a.id + 1 WHERE b.at < a.at",
        ) == [(0,)]
    created = [at for (at,) in _rows(db, "SELECT created_at FROM tickets ORDER BY id")]
    assert created == sorted(created)
    span = from_stamp(created[-1]) - from_stamp(created[0])
    assert timedelta(days=450) < span < timedelta(days=550)


def test_events_link_their_contacts(db: sqlite3.Connection) -> None:
    assert _rows(
        db,
        "SELECT count(*) FROM events e JOIN contacts k ON k.id = e.contact_id "
        "WHERE k.ticket_id != e.ticket_id OR k.at != e.at "
        "OR (e.kind = 'created') != (k.outcome IN ('ticket', 'answered'))",
    ) == [(0,)]
    linked = _rows(db, "SELECT count(*) FROM contacts WHERE ticket_id IS NOT NULL")[0][0]
    assert linked == _rows(db, "SELECT count(*) FROM events WHERE contact_id IS NOT NULL")[0][0]


def test_required_category_fields_are_filled(db: sqlite3.Connection) -> None:
    desk_fields = {
        key: json.loads(fields) for key, fields in _rows(db, "SELECT key, fields FROM categories")
    }
    for category, fields in _rows(db, "SELECT category, fields FROM tickets"):
        values = json.loads(fields)
        assert fields == json.dumps(values, ensure_ascii=False)  # as Tickets.insert writes it
        specs = {f["key"]: f for f in desk_fields[category]}
        assert set(values) <= set(specs)
        for key, spec in specs.items():
            if spec["required"]:
                assert values.get(key), (category, key)
            if spec["choices"] and key in values:
                assert values[key] in spec["choices"]


def test_event_data_is_what_json_dumps_writes(db: sqlite3.Connection) -> None:
    for (data,) in _rows(db, "SELECT data FROM events WHERE data IS NOT NULL"):
        assert data == json.dumps(json.loads(data), ensure_ascii=False)


def test_contacts_carry_the_desks_entitlement_verdict(built: tuple[Path, DemoReport]) -> None:
    desk = Desk.open(built[0], login="admin")
    try:
        with sqlite3.connect(built[0]) as db:
            rows = _rows(
                db,
                "SELECT k.customer_id, k.channel, t.category, k.entitled, k.override_reason, "
                "k.outcome, (SELECT count(*) FROM events e WHERE e.ticket_id = t.id "
                "AND e.kind = 'entitlement_override' AND e.note = k.override_reason) "
                "FROM contacts k LEFT JOIN tickets t ON t.id = k.ticket_id",
            )
        opened = 0
        for customer, channel, category, entitled, reason, outcome, events in rows:
            opens = outcome != "existing" and category is not None
            verdict = desk.entitlement_for(customer, channel, category if opens else None)
            assert entitled == int(verdict.allowed)
            assert (reason is not None) == (opens and not verdict.allowed) == (events == 1)
            opened += bool(reason)
        assert 0 < opened < len(rows) / 10
        assert 0 < sum(1 for r in rows if not r[3]) < len(rows) / 3
    finally:
        desk.close()


# -- through the desk ---------------------------------------------------------------------------
def test_open_tickets_fill_the_queue_oldest_first(built: tuple[Path, DemoReport]) -> None:
    desk = Desk.open(built[0], login="admin", clock=FrozenClock(T0))
    try:
        marks = ",".join("?" * len(OPEN_STATUSES))
        with sqlite3.connect(built[0]) as db:
            expected = _rows(
                db,
                f"SELECT id FROM tickets WHERE status IN ({marks}) ORDER BY created_at, id",
                *OPEN_STATUSES,
            )
        seen, page = [], desk.queue_page(size=4)
        while True:
            seen += [t.id for t in page.rows]
            if not page.has_next or page.last_key is None:
                break
            page = desk.queue_page(size=4, after=page.last_key)
        assert seen == [i for (i,) in expected]
        oldest = desk.ticket(seen[0]).created_at
        assert T0 - oldest > timedelta(days=365)  # the queue's tail reaches far back
    finally:
        desk.close()


def test_sla_columns_are_what_the_desk_derives(built: tuple[Path, DemoReport]) -> None:
    """Every ticket has its plan and first response; every open one the desk's due time.

    The replay test checks all three on a small history; this one checks the due
    time of every open ticket against the desk's own clocks (``helpdesk sla show``).
    """
    desk = Desk.open(built[0], login="admin", clock=FrozenClock(T0))
    try:
        with sqlite3.connect(built[0]) as db:
            rows = _rows(db, "SELECT id, status, sla_plan, due_at, first_response_at FROM tickets")
        assert all(plan for _, _, plan, _, _ in rows)
        open_rows = [r for r in rows if r[1] in OPEN_STATUSES]
        assert all(due is None for _, status, _, due, _ in rows if status not in OPEN_STATUSES)
        assert sum(due is not None for _, _, _, due, _ in open_rows) >= len(open_rows) // 2
        for number, _, plan, due, responded in open_rows:
            report = desk.sla(number)
            assert report.plan is not None and report.plan.name == plan
            assert (to_stamp(report.due_at) if report.due_at else None) == due, number
            clock = report.clocks[0]
            assert (to_stamp(clock.met_at) if clock.met_at else None) == responded
        views = {view: desk.queue_page(view, 500).total for view in ("breached", "at-risk")}
        assert views["breached"] > 0
    finally:
        desk.close()


def test_generated_articles_are_sound_searchable_and_walked(
    built: tuple[Path, DemoReport],
) -> None:
    path, report = built
    desk = Desk.open(path, login="admin", clock=FrozenClock(T0))
    try:
        summaries = desk.kb_articles()
        generated = [a for a in summaries if a.key[-5:].isdigit()]
        assert report.articles == len(generated) == 40 and len(summaries) > 40
        reference = desk._kb_ref()
        for summary in generated:
            article = desk.kb_article(summary.key).article
            assert check(article, reference) == [], summary.key
        one = generated[0]
        found = desk.kb_search(one.title.split()[0], limit=100)
        assert one.key in [a.key for a in found]
        stats = {s.key: s for s in desk.kb_stats()}
        assert sum(s.walks for s in stats.values()) == report.walks > 0
        assert sum(s.solved for s in stats.values()) > 0
        assert any(stats[a.key].walks for a in generated)
    finally:
        desk.close()


def test_bulk_published_articles_are_stored_as_the_desk_publishes_them(tmp_path: Path) -> None:
    clock = FrozenClock(T0)
    files = []
    for name in ("bulk", "desk"):
        desk = Desk.open(tmp_path / f"{name}.db", login="admin", clock=clock)
        desk.init()
        departments = {c.key: c.department or "" for c in desk.categories()}
        products = [(p.key, p.category or "") for p in desk.products()]
        articles = generate_articles(6, random.Random(3), CATEGORY_WEIGHTS, departments, products)
        if name == "bulk":
            publish_articles(BulkLoad(desk.store), articles, to_stamp(T0), "admin")
        else:
            with desk.store.transaction():
                for article in articles:
                    desk._kb_publish_file(article, "import")
        desk.close()
        files.append(tmp_path / f"{name}.db")
    tables = ("kb_articles", "kb_versions", "kb_fts")
    bulk, real = ({t: _rows(sqlite3.connect(f), f"SELECT rowid, * FROM {t}") for t in tables}
                  for f in files)  # fmt: skip
    assert bulk == real
    assert any(product for *_, product, _, _ in bulk["kb_articles"])


def test_walks_follow_their_articles_from_the_contacts_they_served(db: sqlite3.Connection) -> None:
    """Each path goes start -> answer -> branch taken, and ends where the walk says."""
    trees = {
        article: (start, {n["id"]: n for n in json.loads(nodes)})
        for article, start, nodes in _rows(db, "SELECT article_id, start, nodes FROM kb_versions")
    }
    walks = _rows(
        db,
        "SELECT w.id, w.article_id, w.outcome, w.end_node, w.steps, w.started_at, w.ended_at, "
        "w.agent, k.at, k.agent, k.outcome, w.ticket_id FROM kb_walks w "
        "JOIN contacts k ON k.id = w.contact_id ORDER BY w.id",
    )
    assert walks
    for walk_id, article, outcome, end, steps, started, ended, agent, *contact in walks:
        at, contact_agent, contact_outcome, ticket = contact
        assert (ended, agent, ticket) == (at, contact_agent, None) and started < ended
        path = _rows(
            db,
            "SELECT node, answer FROM kb_walk_nodes WHERE walk_id = ? ORDER BY position",
            walk_id,
        )
        start, nodes = trees[article]
        assert path[0][0] == start and path[-1] == (end, None) and len(path) == steps + 1
        for (node, answer), (following, _) in zip(path, path[1:], strict=False):
            assert nodes[node]["kind"] == "question" and nodes[node][answer] == following
        kind = nodes[end]["kind"]
        if outcome == "solved":
            assert kind == "solution" and contact_outcome == "answered"
        elif outcome == "escalated":
            assert kind == "escalation" and contact_outcome == "ticket"


def test_outage_days_have_their_bulletins(built: tuple[Path, DemoReport]) -> None:
    path, report = built
    desk = Desk.open(path, login="admin", clock=FrozenClock(T0))
    try:
        every = desk.bulletins()
        assert len(every) == report.bulletins >= 3
        outages = [b for b in every if b.kind == "outage"]
        assert outages and all(b.status == "resolved" and b.resolution for b in outages)
        assert [b.kind for b in desk.bulletins(active_only=True)] == ["end_of_support"]
        with sqlite3.connect(path) as db:
            links = _rows(
                db,
                "SELECT b.posted_at, b.resolved_at, k.at, k.summary FROM contact_bulletins l "
                "JOIN bulletins b ON b.id = l.bulletin_id JOIN contacts k ON k.id = l.contact_id",
            )
        assert links and all(posted <= at < resolved for posted, resolved, at, _ in links)
        assert all("bulletin" in summary for *_, summary in links)
    finally:
        desk.close()


def test_a_busier_queue_for_the_benchmark(tmp_path: Path) -> None:
    report = _build(tmp_path / "busy.db", tickets=200, open_share=0.2)
    assert report.open_tickets == 40
    with sqlite3.connect(tmp_path / "busy.db") as db:
        meta = dict(_rows(db, "SELECT key, value FROM meta WHERE key LIKE 'demo_%'"))
    assert meta["demo_open_share"] == "0.2" and meta["demo_articles"] == "0"
    with pytest.raises(InvalidInput, match="open share"):
        _build(tmp_path / "bad.db", tickets=10, open_share=1.5)


def test_article_count_must_be_sensible(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="--articles must be a whole number") as refused:
        _build(tmp_path / "demo.db", tickets=10, articles=-1)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "demo.db").exists()


def test_search_finds_demo_customers_by_prefix(built: tuple[Path, DemoReport]) -> None:
    desk = Desk.open(built[0], login="admin")
    try:
        name = desk.customer(20).name
        assert 20 in [c.id for c in desk.find_customers(name.split()[0][:3])]
        assert any(c.name == "[red]Rich[/red] O'Markup" for c in desk.find_customers("Rich"))
    finally:
        desk.close()


def test_testers_find_tricky_text_at_the_head_of_the_queue(built: tuple[Path, DemoReport]) -> None:
    desk = Desk.open(built[0], login="admin", clock=FrozenClock(T0))
    try:
        first = desk.queue_page(size=50).rows
        titles = [t.title for t in first]
        assert any("[@click=app.quit]quit" in t for t in titles)
        assert any("\x1b[31mred\x1b[0m" in t for t in titles)
        rich = [t for t in first if t.customer_name == "[red]Rich[/red] O'Markup"]
        assert len(rich) == 2
    finally:
        desk.close()


def test_the_file_is_sound_and_shaped_like_a_fresh_one(
    built: tuple[Path, DemoReport], tmp_path: Path, db: sqlite3.Connection
) -> None:
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(db, "PRAGMA foreign_key_check") == []
    for table in ("customers_fts", "tickets_fts", "contacts_fts", "kb_fts"):
        db.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")
    assert _rows(db, "PRAGMA journal_mode") == [("wal",)]
    fresh = Desk.open(tmp_path / "fresh.db", login="admin")
    fresh.init()
    fresh.close()
    shape = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    with sqlite3.connect(tmp_path / "fresh.db") as other:
        assert _rows(db, shape) == _rows(other, shape)


def test_replaying_the_history_through_the_desk_gives_the_same_rows(tmp_path: Path) -> None:
    """The strongest check that demo rows cannot be told from real ones: do it all for real."""
    demo = tmp_path / "demo.db"
    _build(demo, tickets=120, seed=1)
    real = tmp_path / "real.db"
    _replay(demo, real)
    mine, theirs = dump(demo), dump(real)
    for table in TABLES:
        assert _differences(real, table, mine[table], theirs[table]) == [], (
            f"demo {table} rows differ from what the desk writes (column, demo, desk): "
            "the generator (desk/demo_journey.py, demo_history.py) must learn the change"
        )
    kinds = {row[4] for row in mine["events"]}
    assert kinds == {
        "created", "note", "contact", "changed", "customer_update", "triage", "transferred",
        "taken", "assigned", "info_requested", "escalated", "returned", "resolved", "closed",
        "entitlement_override",
    }  # fmt: skip
    assert any("vendor_due" in (row[10] or "") for row in mine["events"])


def _differences(path: Path, table: str, mine: list[Any], theirs: list[Any]) -> list[Any]:
    """(column, demo value, desk value) for the first rows that differ, and row counts."""
    with sqlite3.connect(path) as db:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    found: list[Any] = [("rows", len(mine), len(theirs))] if len(mine) != len(theirs) else []
    for a, b in zip(mine, theirs, strict=False):
        found += [(c, x, y) for c, x, y in zip(columns, a, b, strict=True) if x != y]
        if len(found) > 5:
            break
    return found


def _replay(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    src.row_factory = sqlite3.Row
    users = src.execute("SELECT * FROM users ORDER BY created_at").fetchall()
    clock = FrozenClock(from_stamp(users[0]["created_at"]))
    admin = Desk.open(target, login=users[0]["login"], clock=clock)
    admin.init()
    as_user = {users[0]["login"]: admin}
    for u in users[1:]:
        clock.set(from_stamp(u["created_at"]))
        admin.add_user(u["login"], u["name"], u["role"], u["level"], u["department"])
        as_user[u["login"]] = Desk(admin.store, login=u["login"], clock=clock)
    for c in src.execute("SELECT * FROM customers ORDER BY id"):
        clock.set(from_stamp(c["created_at"]))
        assert (
            admin.add_customer(c["name"], c["email"], c["phone"], c["org"], c["tier"]).id == c["id"]
        )
    tickets = {t["id"]: t for t in src.execute("SELECT * FROM tickets")}
    events = src.execute("SELECT * FROM events ORDER BY id").fetchall()
    by_contact = {e["contact_id"]: e for e in events if e["contact_id"]}
    at_once = {e["ticket_id"]: e for e in events if e["note"].endswith("\n(at first contact)")}
    contacts = [("contact", k["at"], k) for k in src.execute("SELECT * FROM contacts ORDER BY id")]
    overrides = {e["id"] for e in events if e["kind"] == "entitlement_override"}
    done = {e["id"] for e in by_contact.values()} | {e["id"] for e in at_once.values()} | overrides
    actions = [("event", e["at"], e) for e in events if e["id"] not in done]
    for kind, at, row in sorted(contacts + actions, key=lambda a: (a[1], a[0] == "event")):
        clock.set(from_stamp(at))
        if kind == "contact":
            _contact(as_user[row["agent"]], row, tickets, by_contact, at_once)
        else:
            _event(as_user[row["actor"]], row)
    for _, _, k in contacts:  # complaints, marked afterwards (issue 7's demo metrics)
        if k["reason"] is not None:
            admin.set_contact_reason(k["id"], k["reason"])
    admin.close()


def _contact(desk: Desk, k: sqlite3.Row, tickets: dict, by_contact: dict, at_once: dict) -> None:
    started = from_stamp(k["started_at"]) if k["started_at"] else None
    common = {"channel": k["channel"], "customer_id": k["customer_id"], "summary": k["summary"]}
    if k["outcome"] == "existing":
        desk.log_contact(
            **common, outcome="existing", existing_ticket=k["ticket_id"], started_at=started
        )
        return
    draft, resolution = None, None
    if k["ticket_id"] is not None:
        t = tickets[k["ticket_id"]]
        created = by_contact[k["id"]]
        priority = json.loads(created["data"])["priority"][1]
        fields = json.loads(t["fields"])
        draft = TicketDraft(t["title"], t["category"], fields, priority, t["description"])
        if k["outcome"] == "answered":
            resolution = at_once[t["id"]]["note"].removesuffix("\n(at first contact)")
    desk.log_contact(
        **common,
        outcome=k["outcome"],
        ticket=draft,
        resolution=resolution,
        started_at=started,
        override_reason=k["override_reason"],
    )


def _event(desk: Desk, e: sqlite3.Row) -> None:
    n, note = e["ticket_id"], e["note"]
    data = json.loads(e["data"]) if e["data"] else {}
    kind = e["kind"]
    if kind == "note":
        desk.add_note(n, note)
    elif kind == "changed":
        desk.set_priority(n, e["new_value"])
    elif kind == "customer_update":
        desk.update_customer(n, e["new_value"], note)
    elif kind == "triage":
        desk.send_to_triage(n, note, data.get("department", [None, None])[1])
    elif kind == "info_requested":
        desk.request_info(n, note)
    elif kind == "transferred":
        desk.transfer(n, data["department"][1], note)
    elif kind == "taken":
        desk.take(n)
    elif kind == "assigned":
        desk.assign(n, data["owner"][1], note)
    elif kind == "escalated":
        reason, tried = note.split("\nTried: ")
        vendor = {k: data[k][1] for k in ("vendor", "vendor_ref", "vendor_due") if k in data}
        desk.escalate(n, reason, tried, **vendor)
    elif kind == "returned":
        desk.return_to_front_line(n, note)
    elif kind == "resolved":
        desk.resolve(n, note, told_via=data.get("told_via"))
    elif kind == "closed":
        desk.close_ticket(n)
    else:
        raise AssertionError(f"the replay does not know event kind {kind!r}")


# -- where it may write ----------------------------------------------------------------------------
def test_refuses_to_replace_a_real_database(tmp_path: Path) -> None:
    path = tmp_path / "real.db"
    desk = Desk.open(path, login="admin")
    desk.init()
    desk.add_customer("Marta Jones", email="marta@example.org")
    desk.close()
    with pytest.raises(InvalidInput, match="not a demo database") as refused:
        _build(path, tickets=10)
    assert "\n" not in str(refused.value)
    desk = Desk.open(path, login="admin")
    assert [c.name for c in desk.find_customers("Marta")] == ["Marta Jones"]
    desk.close()


def test_refuses_to_replace_any_other_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes")
    with pytest.raises(InvalidInput, match="not a demo database"):
        _build(path, tickets=10)
    assert path.read_text() == "my notes"


def test_rebuilds_an_existing_demo(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    _build(path, tickets=20, seed=1)
    report = _build(path, tickets=30, seed=2)
    assert report.tickets == 30
    with sqlite3.connect(path) as db:
        assert _rows(db, "SELECT count(*) FROM tickets") == [(30,)]
        assert _rows(db, "SELECT value FROM meta WHERE key = 'demo_seed'") == [("2",)]


@pytest.mark.parametrize("tickets", [-1, 5_000_001, True, 2.5])
def test_ticket_count_must_be_sensible(tmp_path: Path, tickets: Any) -> None:
    with pytest.raises(InvalidInput, match="--tickets must be a whole number") as refused:
        _build(tmp_path / "demo.db", tickets=tickets)
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "demo.db").exists()


def test_a_bad_login_is_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a valid login"):
        build_demo(tmp_path / "demo.db", tickets=10, login="Not A Login")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_demo_and_its_progress(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    report = _build(tmp_path / "empty.db", tickets=0, progress=lambda *a: calls.append(a))
    assert (report.tickets, report.contacts, report.events, report.customers) == (0, 0, 0, 50)
    assert ("customers", 50, 50) in calls


def test_progress_reaches_every_stage(tmp_path: Path) -> None:
    last: dict[str, tuple[int, int]] = {}
    _build(tmp_path / "demo.db", tickets=40, progress=lambda s, d, t: last.__setitem__(s, (d, t)))
    for stage in ("customers", "tickets", "contacts", "events"):
        done, total = last[stage]
        assert done == total > 0, stage


# -- the fast stamp -----------------------------------------------------------------------------
def test_fast_stamps_are_exactly_to_stamp() -> None:
    rng = random.Random(3)
    tl = Timeline(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), 548, rng)  # across a DST change
    moments = [rng.randrange(0, tl.now) for _ in range(2000)] + [0, tl.now, 7 * DAY, DAY - 1]
    for t in moments:
        assert tl.stamp(t) == to_stamp(tl.to_datetime(t))
    assert tl.stamps(moments) == [tl.stamp(t) for t in moments]
    assert tl.moment(tl.to_datetime(moments[0])) == moments[0]
