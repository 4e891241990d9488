"""Demo phone records, satisfaction ratings and complaint reasons, made in SQL (issue 7).

The demo's history is already in the file when these run, so each is one
``INSERT ... SELECT`` (or ``UPDATE``) over it: a million tickets' worth takes seconds,
not the minutes a row-by-row Python loop would. Choices are a deterministic hash of
the row id and the demo's seed (same seed, same file), turned into shares by
:mod:`helpdesk_tui.desk.demo_calls`, which decides what is plausible.
"""

from __future__ import annotations

from . import Store

#: A multiplicative hash of a row id and the seed, 0 .. 9999, from the high bits of the
#: 32-bit product. Each use has its own odd multiplier: hashes of one id with different
#: multipliers are (nearly) independent, where an added salt would only shift one hash.
_HASH = "((((({col}) + {seed} * 7919) * {factor}) % 4294967296) * 10000 / 4294967296)"
_FACTORS = (2654435761, 2246822519, 3266489917, 668265263, 374761393)
_STAMP = "strftime('%Y-%m-%dT%H:%M:%S', {expr}) || '.000000Z'"


def _hash(col: str, seed: int, which: int = 0) -> str:
    return _HASH.format(col=col, seed=int(seed), factor=_FACTORS[which])


def demo_calls(
    store: Store,
    *,
    seed: int,
    since: str,
    imported_at: str,
    login: str,
    abandoned_per_10k: int,
    timeout_per_10k: int,
) -> int:
    """One answered call per timed phone contact since ``since`` (the call waited, then
    the contact's handling is its talk), and for some of them an earlier abandoned or
    timed-out attempt. Waits are longer in the morning peak. Returns calls added."""
    h = _hash("k.id", seed)
    h2 = _hash("k.id", seed, 1)
    u = f"({h} / 10000.0)"
    peak = (
        "(CASE WHEN substr(k.started_at, 12, 2) IN ('08', '09', '10', '11') THEN 1.7 ELSE 1.0 END)"
    )
    wait = (
        f"(round({peak} * CASE WHEN {u} < 0.55 THEN {u} * 36 "
        f"WHEN {u} < 0.85 THEN 20 + ({u} - 0.55) * 300 ELSE 110 + ({u} - 0.85) * 2000 END))"
    )
    talk = "round((julianday(k.at) - julianday(k.started_at)) * 86400.0)"
    where = "k.channel = 'phone' AND k.started_at IS NOT NULL AND k.at >= ?"
    columns = (
        "INSERT OR IGNORE INTO calls (call_id, queue, entered_at, outcome, wait_seconds, "
        "talk_seconds, agent, caller, transferred, source, imported_at, imported_by) "
    )
    session = store.session
    with store.transaction():
        before = session.db.conn.total_changes
        session.execute(
            columns + f"SELECT 'demo-' || k.id, 'support', "
            f"{_STAMP.format(expr=f'julianday(k.started_at) - {wait} / 86400.0')}, "
            f"'answered', {wait}, {talk}, 'SIP/' || k.agent, 'customer ' || k.customer_id, "
            f"{h} % 50 = 0, 'demo', ?, ? FROM contacts k WHERE {where} ORDER BY k.id",
            [imported_at, login, since],
        )
        session.execute(
            columns + f"SELECT 'demo-early-' || k.id, 'support', "
            f"{_STAMP.format(expr='julianday(k.started_at) - (20 + ' + h2 + ' % 40) / 1440.0')}, "
            f"CASE WHEN {h2} < ? THEN 'abandoned' ELSE 'timeout' END, "
            f"CASE WHEN {h2} < ? THEN 15 + {h2} % 240 ELSE 300 END, NULL, '', "
            f"'customer ' || k.customer_id, 0, 'demo', ?, ? "
            f"FROM contacts k WHERE {where} AND {h2} < ? ORDER BY k.id",
            [
                abandoned_per_10k,
                abandoned_per_10k,
                imported_at,
                login,
                since,
                abandoned_per_10k + timeout_per_10k,
            ],
        )
        return session.db.conn.total_changes - before


#: Comments customers give with a low rating, and a few with a high one.
LOW_COMMENTS = (
    "Took far too long to fix",
    "Had to call three times",
    "Nobody told me what was happening",
    "Problem came back the next day",
    "Was passed from one team to another",
    "Still not working properly",
)
HIGH_COMMENTS = ("Quick and friendly, thanks", "Sorted on the first call", "Very helpful")


def demo_ratings(store: Store, *, seed: int, responded_per_10k: int) -> int:
    """A rating for a share of the closed tickets, given at the close: mostly 4 and 5,
    lower for tickets that were escalated, returned or took over a week."""
    h = _hash("t.id", seed, 2)
    h3 = _hash("t.id", seed, 3)
    rough = (
        "(t.escalations > 0 OR t.returns > 0 OR "
        "julianday(t.closed_at) - julianday(t.created_at) > 7)"
    )
    rating = (
        f"CASE WHEN {rough} THEN CASE WHEN {h3} < 800 THEN 1 WHEN {h3} < 2000 THEN 2 "
        f"WHEN {h3} < 4000 THEN 3 WHEN {h3} < 7000 THEN 4 ELSE 5 END "
        f"ELSE CASE WHEN {h3} < 200 THEN 1 WHEN {h3} < 600 THEN 2 WHEN {h3} < 1500 THEN 3 "
        f"WHEN {h3} < 4500 THEN 4 ELSE 5 END END"
    )
    low = (
        "CASE "
        + " ".join(
            f"WHEN {h} % {len(LOW_COMMENTS)} = {n} THEN '{c}'" for n, c in enumerate(LOW_COMMENTS)
        )
        + " END"
    )
    high = (
        "CASE "
        + " ".join(
            f"WHEN {h} % {len(HIGH_COMMENTS)} = {n} THEN '{c}'" for n, c in enumerate(HIGH_COMMENTS)
        )
        + " END"
    )
    session = store.session
    with store.transaction():
        before = session.db.conn.total_changes
        session.execute(
            "INSERT INTO satisfaction (ticket_id, at, rating, comment, recorded_by) "
            "SELECT id, closed_at, r, CASE WHEN r <= 2 THEN lo WHEN r = 5 AND lucky THEN hi "
            "ELSE '' END, by FROM (SELECT t.id, t.closed_at, "
            f"{rating} AS r, {low} AS lo, {high} AS hi, {h} % 5 = 0 AS lucky, "
            "coalesce(t.owner, t.created_by) AS by "
            f"FROM tickets t WHERE t.closed_at IS NOT NULL AND {h} < ?) ORDER BY closed_at",
            [responded_per_10k],
        )
        return session.db.conn.total_changes - before


def demo_complaints(store: Store, *, seed: int, since: str, per_10k: int) -> int:
    """Mark a share of the contacts since ``since`` that were not answered at once as
    complaints (about a ticket's progress, mostly)."""
    h = _hash("id", seed, 4)
    session = store.session
    with store.transaction():
        first = session.scalar("SELECT min(id) FROM contacts WHERE at >= ?", [since])
        if first is None:
            return 0
        cursor = session.execute(
            "UPDATE contacts SET reason = 'complaint' "
            f"WHERE id >= ? AND outcome != 'answered' AND {h} < ?",
            [first, per_10k],
        )
        return cursor.rowcount
