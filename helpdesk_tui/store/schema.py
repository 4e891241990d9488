"""The database's shape, as an ordered list of migrations.

``ensure_schema`` is idempotent and safe when several consoles start at once:
all pending migrations run inside one IMMEDIATE transaction, so the second
console waits for the first and then finds nothing to do. A file that holds
migrations this program does not know was written by a newer version and is
refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Migrations

from ..vocab import OPEN_STATUS_SQL
from .connection import DatabaseTooNew, ImmediateDatabase, StoreError, translate

MIGRATION_SET = "helpdesk"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_foundation")
def _foundation(db: ImmediateDatabase) -> None:
    run_script(db, FOUNDATION_SQL)


def run_script(db: ImmediateDatabase, script: str) -> None:
    """Run statements one by one inside the caller's transaction.

    ``executescript`` would COMMIT first and break the all-or-nothing
    migration, so statements are split with ``sqlite3.complete_statement``
    (which understands trigger bodies).
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip():
        db.execute(buffer)


FOUNDATION_SQL = f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE departments (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE users (
    login TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead', 'admin')),
    level INTEGER NOT NULL DEFAULT 1 CHECK (level IN (1, 2, 3)),
    department TEXT REFERENCES departments(name),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE categories (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    department TEXT REFERENCES departments(name),
    fields TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    org TEXT NOT NULL DEFAULT '',
    tier TEXT NOT NULL DEFAULT 'basic',
    created_at TEXT NOT NULL
);
CREATE INDEX customers_name ON customers (name COLLATE NOCASE);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(login),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    category TEXT NOT NULL REFERENCES categories(key),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    fields TEXT NOT NULL DEFAULT '{{}}',
    priority TEXT NOT NULL DEFAULT 'normal'
        CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status TEXT NOT NULL DEFAULT 'open',
    department TEXT REFERENCES departments(name),
    level INTEGER NOT NULL DEFAULT 1,
    owner TEXT REFERENCES users(login),
    resolution TEXT NOT NULL DEFAULT '',
    resolved_at TEXT,
    closed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_open_queue ON tickets (created_at, id) WHERE status IN {OPEN_STATUS_SQL};
CREATE INDEX tickets_status ON tickets (status);
CREATE INDEX tickets_customer ON tickets (customer_id, created_at);
CREATE INDEX tickets_owner ON tickets (owner, created_at) WHERE owner IS NOT NULL;
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    started_at TEXT,
    channel TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    agent TEXT NOT NULL REFERENCES users(login),
    summary TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'ticket', 'existing')),
    ticket_id INTEGER REFERENCES tickets(id)
);
CREATE INDEX contacts_at ON contacts (at, id);
CREATE INDEX contacts_customer ON contacts (customer_id, at);
CREATE INDEX contacts_ticket ON contacts (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    note TEXT NOT NULL DEFAULT '',
    contact_id INTEGER REFERENCES contacts(id)
);
CREATE INDEX events_ticket ON events (ticket_id, id);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE VIRTUAL TABLE customers_fts USING fts5 (
    name, email, phone, org, content='customers', content_rowid='id'
);
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, name, email, phone, org)
    VALUES (new.id, new.name, new.email, new.phone, new.org);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF name, email, phone, org ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, email, phone, org)
    VALUES ('delete', old.id, old.name, old.email, old.phone, old.org);
    INSERT INTO customers_fts (rowid, name, email, phone, org)
    VALUES (new.id, new.name, new.email, new.phone, new.org);
END;
CREATE VIRTUAL TABLE tickets_fts USING fts5 (
    title, description, content='tickets', content_rowid='id'
);
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, title, description)
    VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF title, description ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO tickets_fts (rowid, title, description)
    VALUES (new.id, new.title, new.description);
END;
CREATE VIRTUAL TABLE contacts_fts USING fts5 (summary, content='contacts', content_rowid='id');
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, summary) VALUES (new.id, new.summary);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF summary ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, summary) VALUES ('delete', old.id, old.summary);
    INSERT INTO contacts_fts (rowid, summary) VALUES (new.id, new.summary);
END;
"""


@migrations(name="0002_journey")
def _journey(db: ImmediateDatabase) -> None:
    run_script(db, JOURNEY_SQL)


#: Triage, escalation, ownership and customer updates (issue 3). ``events.data``
#: holds every field an action changed as JSON ``{field: [old, new]}``, so the
#: journey (who had it, at which level and department, for how long) can be
#: replayed from the events alone.
JOURNEY_SQL = """
ALTER TABLE tickets ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN returns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN lead_flag INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN vendor TEXT;
ALTER TABLE tickets ADD COLUMN vendor_ref TEXT;
ALTER TABLE tickets ADD COLUMN vendor_due TEXT;
ALTER TABLE tickets ADD COLUMN duplicate_of INTEGER REFERENCES tickets(id);
ALTER TABLE tickets ADD COLUMN last_update_at TEXT;
ALTER TABLE events ADD COLUMN data TEXT;
CREATE TABLE ticket_links (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    other_id INTEGER NOT NULL REFERENCES tickets(id),
    kind TEXT NOT NULL CHECK (kind IN ('duplicate_of', 'duplicated_by', 'related')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (ticket_id, other_id, kind)
);
CREATE INDEX ticket_links_other ON ticket_links (other_id);
"""


@migrations(name="0003_service_model")
def _service_model(db: ImmediateDatabase) -> None:
    run_script(db, SERVICE_SQL)


#: Tiers and entitlements, the catalogue, assets and warranty, SLA plans on
#: business-hours calendars (issue 4). Reference data is loaded from
#: data/*.yaml by ``helpdesk init`` / ``helpdesk config import``.
SERVICE_SQL = f"""
CREATE TABLE tiers (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    channels TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    self_service TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE calendars (
    name TEXT PRIMARY KEY,
    timezone TEXT NOT NULL,
    weekly TEXT NOT NULL DEFAULT '{{}}',
    holidays TEXT NOT NULL DEFAULT '[]',
    always_open INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sla_plans (
    name TEXT PRIMARY KEY,
    calendar TEXT NOT NULL REFERENCES calendars(name),
    first_response_minutes INTEGER NOT NULL,
    courtesy_minutes INTEGER NOT NULL,
    resolution_minutes INTEGER NOT NULL,
    pause_statuses TEXT NOT NULL DEFAULT '["waiting_customer", "waiting_vendor"]'
);
CREATE TABLE sla_matrix (
    tier TEXT NOT NULL REFERENCES tiers(name),
    priority TEXT NOT NULL,
    business_critical INTEGER NOT NULL DEFAULT 0,
    plan TEXT NOT NULL REFERENCES sla_plans(name),
    PRIMARY KEY (tier, priority, business_critical)
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT REFERENCES categories(key),
    department TEXT REFERENCES departments(name),
    support_start TEXT,
    end_of_support TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    serial TEXT NOT NULL DEFAULT '',
    purchase_date TEXT,
    warranty_end TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX assets_customer ON assets (customer_id);
CREATE UNIQUE INDEX assets_serial ON assets (product_id, serial) WHERE serial != '';
ALTER TABLE tickets ADD COLUMN product_id INTEGER REFERENCES products(id);
ALTER TABLE tickets ADD COLUMN asset_id INTEGER REFERENCES assets(id);
ALTER TABLE tickets ADD COLUMN warranty TEXT;
ALTER TABLE tickets ADD COLUMN business_critical INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_plan TEXT;
ALTER TABLE tickets ADD COLUMN first_response_at TEXT;
ALTER TABLE tickets ADD COLUMN due_at TEXT;
CREATE INDEX tickets_due ON tickets (due_at, id) WHERE status IN {OPEN_STATUS_SQL};
ALTER TABLE contacts ADD COLUMN entitled INTEGER;
ALTER TABLE contacts ADD COLUMN override_reason TEXT;
"""


@migrations(name="0004_knowledge")
def _knowledge(db: ImmediateDatabase) -> None:
    run_script(db, KNOWLEDGE_SQL)


#: The knowledge base (issue 5): yes/no decision trees. An article's published
#: versions are immutable snapshots (its nodes as JSON, last in the row so lists
#: never read them); admins edit one draft per article; ``kb_articles`` carries a
#: copy of the published version's title, category, product and tags for lists
#: and search filters. ``kb_fts`` is filled from Python on publish (rowid =
#: article id); its ``facets`` column holds the category and product as tokens so
#: that filters are part of the MATCH, and its prefix index keeps search-as-you-type
#: instant on one or two typed letters. Walks are kept for the statistics, their path in
#: ``kb_walk_nodes`` (one row per node passed, the last one where it ended).
KNOWLEDGE_SQL = """
CREATE TABLE kb_articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    version INTEGER,
    title TEXT NOT NULL DEFAULT '',
    category TEXT,
    product TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    published_at TEXT
);
CREATE INDEX kb_articles_title ON kb_articles (title COLLATE NOCASE, key)
    WHERE version IS NOT NULL;
CREATE INDEX kb_articles_category ON kb_articles (category, title COLLATE NOCASE, key)
    WHERE version IS NOT NULL;
CREATE TABLE kb_versions (
    article_id INTEGER NOT NULL REFERENCES kb_articles(id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    product TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    start TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    nodes TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
);
CREATE TRIGGER kb_versions_immutable_update BEFORE UPDATE ON kb_versions
BEGIN SELECT RAISE(ABORT, 'published knowledge versions are immutable'); END;
CREATE TRIGGER kb_versions_immutable_delete BEFORE DELETE ON kb_versions
BEGIN SELECT RAISE(ABORT, 'published knowledge versions are immutable'); END;
CREATE TABLE kb_drafts (
    article_id INTEGER PRIMARY KEY REFERENCES kb_articles(id),
    based_on INTEGER,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    product TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    start TEXT,
    revision INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    nodes TEXT NOT NULL DEFAULT '[]'
);
CREATE VIRTUAL TABLE kb_fts USING fts5 (title, tags, body, facets, prefix='1 2 3');
CREATE TABLE kb_walks (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES kb_articles(id),
    version INTEGER NOT NULL,
    agent TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    contact_id INTEGER REFERENCES contacts(id),
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('solved', 'escalated', 'abandoned')),
    end_node TEXT NOT NULL,
    steps INTEGER NOT NULL
);
CREATE INDEX kb_walks_article ON kb_walks (article_id, end_node, outcome);
CREATE INDEX kb_walks_ticket ON kb_walks (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE TABLE kb_walk_nodes (
    walk_id INTEGER NOT NULL REFERENCES kb_walks(id),
    position INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    node TEXT NOT NULL,
    answer TEXT CHECK (answer IN ('yes', 'no')),
    PRIMARY KEY (walk_id, position)
);
CREATE INDEX kb_walk_nodes_article ON kb_walk_nodes (article_id, node);
"""


@migrations(name="0005_bulletins")
def _bulletins(db: ImmediateDatabase) -> None:
    run_script(db, BULLETINS_SQL)


#: Outage bulletins and end-of-support notices (issue 6). Products, categories
#: and keywords are JSON lists (catalogue keys, category keys, words as typed).
#: ``revision`` is a desk-wide counter: every post, update or resolution sets
#: the row's revision to the highest plus one (inside the IMMEDIATE
#: transaction), so a console asks "what changed after revision N" on one
#: index. Links to contacts and tickets are kept, never deleted.
BULLETINS_SQL = """
CREATE TABLE bulletins (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('outage', 'end_of_support')),
    title TEXT NOT NULL,
    answer TEXT NOT NULL,
    products TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    keywords TEXT NOT NULL DEFAULT '[]',
    severity TEXT NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
    starts_at TEXT NOT NULL,
    expected_end TEXT,
    support_ends TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved')),
    resolution TEXT NOT NULL DEFAULT '',
    resolved_at TEXT,
    resolved_by TEXT,
    posted_at TEXT NOT NULL,
    posted_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    revision INTEGER NOT NULL
);
CREATE INDEX bulletins_status ON bulletins (status, starts_at);
CREATE UNIQUE INDEX bulletins_revision ON bulletins (revision);
CREATE TABLE contact_bulletins (
    bulletin_id INTEGER NOT NULL REFERENCES bulletins(id),
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    at TEXT NOT NULL,
    linked_by TEXT NOT NULL,
    PRIMARY KEY (bulletin_id, contact_id)
);
CREATE INDEX contact_bulletins_contact ON contact_bulletins (contact_id);
CREATE TABLE ticket_bulletins (
    bulletin_id INTEGER NOT NULL REFERENCES bulletins(id),
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at TEXT NOT NULL,
    linked_by TEXT NOT NULL,
    PRIMARY KEY (bulletin_id, ticket_id)
);
CREATE INDEX ticket_bulletins_ticket ON ticket_bulletins (ticket_id);
CREATE TRIGGER contact_bulletins_keep BEFORE DELETE ON contact_bulletins
BEGIN SELECT RAISE(ABORT, 'bulletin links are kept'); END;
CREATE TRIGGER ticket_bulletins_keep BEFORE DELETE ON ticket_bulletins
BEGIN SELECT RAISE(ABORT, 'bulletin links are kept'); END;
"""


@migrations(name="0006_metrics")
def _metrics(db: ImmediateDatabase) -> None:
    run_script(db, METRICS_SQL)


#: Team-lead metrics (issue 7). ``calls`` holds the phone system's queue records, one row
#: per call leg in a queue; re-importing the same file adds nothing (the UNIQUE key).
#: ``satisfaction`` keeps every rating given at a close (a ticket closed twice may have two).
#: ``contacts.reason`` marks complaints (NULL: not recorded). The indexes serve the
#: report's period filters: each section reads only the period's rows; ``events_levels``
#: holds just the level changes (the report's "time at each level"); ``tickets_created`` and
#: ``tickets_resolved`` carry the columns the report reads, so it never reads ticket rows
#: (measured on 1M tickets: a period's resolution times 3x faster).
METRICS_SQL = """
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    call_id TEXT NOT NULL,
    queue TEXT NOT NULL DEFAULT '',
    entered_at TEXT NOT NULL,
    outcome TEXT NOT NULL
        CHECK (outcome IN ('answered', 'abandoned', 'timeout', 'exit_key', 'exit_empty')),
    wait_seconds REAL NOT NULL DEFAULT 0,
    talk_seconds REAL,
    agent TEXT NOT NULL DEFAULT '',
    caller TEXT NOT NULL DEFAULT '',
    transferred INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    UNIQUE (queue, call_id, entered_at)
);
CREATE INDEX calls_entered ON calls (entered_at);
CREATE TABLE satisfaction (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL
);
CREATE INDEX satisfaction_at ON satisfaction (at);
CREATE INDEX satisfaction_ticket ON satisfaction (ticket_id);
ALTER TABLE contacts ADD COLUMN reason TEXT
    CHECK (reason IS NULL OR reason IN ('question', 'problem', 'request', 'complaint'));
CREATE INDEX tickets_created ON tickets (created_at, status, escalations, category, product_id,
    resolved_at, first_response_at);
CREATE INDEX tickets_resolved ON tickets (resolved_at, created_at, sla_plan)
    WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_closed ON tickets (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX events_reopened ON events (at) WHERE kind = 'reopened';
CREATE INDEX events_resolved ON events (at, actor) WHERE kind = 'resolved';
CREATE INDEX events_levels ON events (ticket_id, id, at, json_extract(data, '$.level[1]'))
    WHERE data LIKE '%"level"%';
CREATE INDEX kb_walks_started ON kb_walks (started_at);
"""

@migrations(name="0007_queue_indexes")
def _queue_indexes(db: ImmediateDatabase) -> None:
    run_script(db, QUEUE_INDEXES_SQL)


#: The queue's two orders (issue 9), oldest first and soonest due first, carry every
#: column a queue view filters on (``QueueFilter.sql``), so that a view's count and its
#: pages read the index alone: with 100,000 open tickets a count of "mine" or
#: "courtesy due" no longer reads 100,000 ticket rows.
QUEUE_INDEXES_SQL = f"""
DROP INDEX tickets_open_queue;
CREATE INDEX tickets_open_queue ON tickets (created_at, id, status, owner, department,
    lead_flag, priority, sla_plan, last_update_at, due_at, first_response_at)
    WHERE status IN {OPEN_STATUS_SQL};
DROP INDEX tickets_due;
CREATE INDEX tickets_due ON tickets (due_at, id, status, owner, department, lead_flag,
    priority, sla_plan, last_update_at, first_response_at, created_at)
    WHERE status IN {OPEN_STATUS_SQL};
"""

#: Triggers the program relies on; ``table.transform()`` silently drops
#: triggers, so start-up checks they are all still there.
REQUIRED_TRIGGERS: tuple[str, ...] = (
    "events_append_only_update",
    "events_append_only_delete",
    "customers_fts_insert",
    "customers_fts_update",
    "tickets_fts_insert",
    "tickets_fts_update",
    "contacts_fts_insert",
    "contacts_fts_update",
    "kb_versions_immutable_update",
    "kb_versions_immutable_delete",
    "contact_bulletins_keep",
    "ticket_bulletins_keep",
)

KNOWN_MIGRATIONS = {m.name for m in migrations._migrations}


def _applied_names(db: ImmediateDatabase) -> set[str]:
    return {m.name for m in migrations.applied(db)}


def ensure_schema(db: ImmediateDatabase) -> bool:
    """Bring the file up to this program's schema; return True if anything changed."""
    try:
        applied = _applied_names(db)
        unknown = applied - KNOWN_MIGRATIONS
        if unknown:
            raise DatabaseTooNew(
                "this database was written by a newer version of helpdesk "
                f"(it has schema step {sorted(unknown)[-1]}); upgrade the program: "
                "pip install -U helpdesk-tui"
            )
        if not migrations.pending(db):
            _check_triggers(db)
            return False
        with db.atomic():
            # Re-read inside the write lock: another console may have just
            # finished the same migrations.
            migrations.apply(db)
        _check_triggers(db)
        return True
    except sqlite3.Error as exc:
        raise translate(exc) from None


def _check_triggers(db: ImmediateDatabase) -> None:
    present = {
        row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    missing = [t for t in REQUIRED_TRIGGERS if t not in present]
    if missing:
        raise StoreError(
            f"the database is missing triggers {', '.join(missing)}; "
            "run `helpdesk check` and restore from a backup"
        )
