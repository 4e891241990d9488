"""The knowledge base's tables: articles, immutable published versions, drafts, the
search index, and the walks kept for statistics (issue 5).

Nodes travel as plain JSON-ready dicts; the desk turns them into its own types.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..clock import from_stamp
from .base import Repo
from .fts import match_query


@dataclass(frozen=True)
class KbContent:
    """What a version or a draft holds: the article's fields and its nodes."""

    title: str
    category: str
    product: str | None
    tags: tuple[str, ...]
    start: str | None
    nodes: list[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> KbContent:
        return cls(
            title=row["title"],
            category=row["category"],
            product=row["product"],
            tags=tuple(json.loads(row["tags"])),
            start=row["start"],
            nodes=json.loads(row["nodes"]),
        )


@dataclass(frozen=True)
class KbArticleRow:
    """An article as lists show it: the published version's fields (if any)."""

    id: int
    key: str
    version: int | None  # the published version; None: never published
    title: str
    category: str | None
    product: str | None
    tags: tuple[str, ...]
    published_at: datetime | None
    created_at: datetime
    created_by: str
    has_draft: bool
    draft_title: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> KbArticleRow:
        return cls(
            id=row["id"],
            key=row["key"],
            version=row["version"],
            title=row["title"],
            category=row["category"],
            product=row["product"],
            tags=tuple(json.loads(row["tags"])),
            published_at=from_stamp(row["published_at"]) if row["published_at"] else None,
            created_at=from_stamp(row["created_at"]),
            created_by=row["created_by"],
            has_draft=row.get("draft_title") is not None,
            draft_title=row.get("draft_title"),
        )


@dataclass(frozen=True)
class KbVersionRow:
    article_id: int
    version: int
    content: KbContent
    source: str  # starter, import, editor
    content_hash: str
    note: str
    published_at: datetime
    published_by: str


@dataclass(frozen=True)
class KbDraftRow:
    article_id: int
    based_on: int | None
    content: KbContent
    revision: int
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class KbWalkRecord:
    """A finished walk, as the statistics keep it."""

    article_id: int
    version: int
    agent: str
    ticket_id: int | None
    contact_id: int | None
    started_at: str
    ended_at: str
    outcome: str  # solved, escalated, abandoned
    path: Sequence[tuple[str, str | None]]  # (node, 'yes'/'no'); the last one is where it ended


#: Rank (bm25) at most this many matches; past it, title matches or the newest first.
RANK_CAP = 400


def _facet(kind: str, value: str | None) -> str:
    """A category or product as one FTS token (letters and digits only)."""
    return kind + (value.encode("utf-8").hex() if value else "none")


_ARTICLE_SELECT = (
    "SELECT a.*, d.title AS draft_title FROM kb_articles a "
    "LEFT JOIN kb_drafts d ON d.article_id = a.id"
)


class Knowledge(Repo):
    # -- articles ------------------------------------------------------------------------------
    def article(self, key: str) -> KbArticleRow | None:
        row = self.s.row(f"{_ARTICLE_SELECT} WHERE a.key = ?", [key])
        return KbArticleRow.from_row(row) if row else None

    def article_by_id(self, article_id: int) -> KbArticleRow | None:
        row = self.s.row(f"{_ARTICLE_SELECT} WHERE a.id = ?", [article_id])
        return KbArticleRow.from_row(row) if row else None

    def add_article(self, key: str, at: str, by: str) -> int:
        cursor = self.s.execute(
            "INSERT INTO kb_articles (key, created_at, created_by) VALUES (?, ?, ?)", [key, at, by]
        )
        return int(cursor.lastrowid or 0)

    def articles(
        self,
        *,
        category: str | None = None,
        product: str | None = None,
        drafts: bool = False,
        limit: int | None = None,
    ) -> list[KbArticleRow]:
        """Published articles by title (with ``drafts``: never-published ones too)."""
        where: list[str] = [] if drafts else ["a.version IS NOT NULL"]
        params: list[Any] = []
        if category is not None:
            where.append("a.category = ?")
            params.append(category)
        if product is not None:
            # An article for no particular product applies to every product of its category.
            where.append("(a.product = ? OR a.product IS NULL)")
            params.append(product)
        sql = _ARTICLE_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        if drafts:
            sql += " ORDER BY COALESCE(NULLIF(a.title, ''), d.title) COLLATE NOCASE, a.key"
        else:
            sql += " ORDER BY a.title COLLATE NOCASE, a.key"  # the kb_articles_title index
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [KbArticleRow.from_row(r) for r in self.s.rows(sql, params)]

    def search(
        self, text: str, *, category: str | None, product: str | None, limit: int
    ) -> list[KbArticleRow]:
        """Published articles matching what was typed, best first (title counts most).

        Ranking (bm25) costs time per match, so it is used only on match sets of
        at most :data:`RANK_CAP` articles: past that, the articles whose title or
        tags match are ranked instead, and when even those are too many, the
        newest come first. Nothing typed lists articles by title.
        """
        query = match_query(text)
        if query is None:
            return self.articles(category=category, product=product, limit=limit)
        facets = ""
        if category is not None:
            facets += f' AND {{facets}} : "{_facet("c", category)}"'
        if product is not None:
            facets += f' AND {{facets}} : ("{_facet("p", product)}" OR "{_facet("p", None)}")'
        anywhere = f"{{title tags body}} : ({query}){facets}"
        titles = f"{{title tags}} : ({query}){facets}"
        with self.s.lock:
            ids = self._ranked(anywhere, limit)
            if ids is None:
                ids = self._ranked(titles, limit)
                if ids is None:
                    ids = self._newest(titles, limit, [])
                if len(ids) < limit:
                    ids += self._newest(anywhere, limit - len(ids), ids)
            if not ids:
                return []
            marks = ", ".join("?" for _ in ids)
            found = {
                r["id"]: KbArticleRow.from_row(r)
                for r in self.s.rows(f"{_ARTICLE_SELECT} WHERE a.id IN ({marks})", ids)
            }
        return [found[i] for i in ids if i in found]

    def _ranked(self, expression: str, limit: int) -> list[int] | None:
        """Ids best first, or None when there are too many matches to rank."""
        matches = self.s.scalar(
            "SELECT count(*) FROM (SELECT 1 FROM kb_fts WHERE kb_fts MATCH ? LIMIT ?)",
            [expression, RANK_CAP + 1],
        )
        if matches > RANK_CAP:
            return None
        rows = self.s.rows(
            "SELECT rowid AS id FROM kb_fts WHERE kb_fts MATCH ? "
            "ORDER BY bm25(kb_fts, 10.0, 5.0, 1.0, 0.0), rowid DESC LIMIT ?",
            [expression, limit],
        )
        return [r["id"] for r in rows]

    def _newest(self, expression: str, limit: int, skip: list[int]) -> list[int]:
        rows = self.s.rows(
            "SELECT rowid AS id FROM kb_fts WHERE kb_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            [expression, limit + len(skip)],
        )
        return [r["id"] for r in rows if r["id"] not in skip][:limit]

    def count(self) -> int:
        return self.s.scalar("SELECT count(*) FROM kb_articles WHERE version IS NOT NULL")

    # -- versions ------------------------------------------------------------------------------
    def version(self, article_id: int, version: int) -> KbVersionRow | None:
        row = self.s.row(
            "SELECT * FROM kb_versions WHERE article_id = ? AND version = ?", [article_id, version]
        )
        return self._version(row) if row else None

    def versions(self, article_id: int) -> list[KbVersionRow]:
        rows = self.s.rows(
            "SELECT * FROM kb_versions WHERE article_id = ? ORDER BY version", [article_id]
        )
        return [self._version(r) for r in rows]

    @staticmethod
    def _version(row: dict[str, Any]) -> KbVersionRow:
        return KbVersionRow(
            article_id=row["article_id"],
            version=row["version"],
            content=KbContent.from_row(row),
            source=row["source"],
            content_hash=row["content_hash"],
            note=row["note"],
            published_at=from_stamp(row["published_at"]),
            published_by=row["published_by"],
        )

    def publish(
        self,
        article_id: int,
        content: KbContent,
        *,
        source: str,
        content_hash: str,
        note: str,
        at: str,
        by: str,
        body: str,
    ) -> int:
        """Add the next immutable version, make it the published one, and index it."""
        version = 1 + int(
            self.s.scalar(
                "SELECT COALESCE(max(version), 0) FROM kb_versions WHERE article_id = ?",
                [article_id],
            )
        )
        tags = json.dumps(list(content.tags), ensure_ascii=False)
        self.s.execute(
            "INSERT INTO kb_versions (article_id, version, title, category, product, tags, start, "
            "source, content_hash, note, published_at, published_by, nodes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                article_id,
                version,
                content.title,
                content.category,
                content.product,
                tags,
                content.start,
                source,
                content_hash,
                note,
                at,
                by,
                json.dumps(content.nodes, ensure_ascii=False),
            ],
        )
        self.s.execute(
            "UPDATE kb_articles SET version = ?, title = ?, category = ?, product = ?, tags = ?, "
            "published_at = ? WHERE id = ?",
            [version, content.title, content.category, content.product, tags, at, article_id],
        )
        self.s.execute("DELETE FROM kb_fts WHERE rowid = ?", [article_id])
        facets = f"{_facet('c', content.category)} {_facet('p', content.product)}"
        self.s.execute(
            "INSERT INTO kb_fts (rowid, title, tags, body, facets) VALUES (?, ?, ?, ?, ?)",
            [article_id, content.title, " ".join(content.tags), body, facets],
        )
        return version

    # -- drafts --------------------------------------------------------------------------------
    def draft(self, article_id: int) -> KbDraftRow | None:
        row = self.s.row("SELECT * FROM kb_drafts WHERE article_id = ?", [article_id])
        if row is None:
            return None
        return KbDraftRow(
            article_id=row["article_id"],
            based_on=row["based_on"],
            content=KbContent.from_row(row),
            revision=row["revision"],
            updated_at=from_stamp(row["updated_at"]),
            updated_by=row["updated_by"],
        )

    def save_draft(
        self, article_id: int, based_on: int | None, content: KbContent, at: str, by: str
    ) -> int:
        """Create or replace the article's draft; returns its new revision."""
        values = [
            content.title,
            content.category,
            content.product,
            json.dumps(list(content.tags), ensure_ascii=False),
            content.start,
            at,
            by,
            json.dumps(content.nodes, ensure_ascii=False),
        ]
        self.s.execute(
            "INSERT INTO kb_drafts (article_id, based_on, title, category, product, tags, start, "
            "updated_at, updated_by, nodes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, "
            "category = excluded.category, product = excluded.product, tags = excluded.tags, "
            "start = excluded.start, updated_at = excluded.updated_at, "
            "updated_by = excluded.updated_by, nodes = excluded.nodes, "
            "revision = kb_drafts.revision + 1",
            [article_id, based_on, *values],
        )
        return int(
            self.s.scalar("SELECT revision FROM kb_drafts WHERE article_id = ?", [article_id])
        )

    def drop_draft(self, article_id: int) -> None:
        self.s.execute("DELETE FROM kb_drafts WHERE article_id = ?", [article_id])

    # -- walks ---------------------------------------------------------------------------------
    def add_walk(self, walk: KbWalkRecord) -> int:
        end_node = walk.path[-1][0]
        cursor = self.s.execute(
            "INSERT INTO kb_walks (article_id, version, agent, ticket_id, contact_id, started_at, "
            "ended_at, outcome, end_node, steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                walk.article_id,
                walk.version,
                walk.agent,
                walk.ticket_id,
                walk.contact_id,
                walk.started_at,
                walk.ended_at,
                walk.outcome,
                end_node,
                len(walk.path) - 1,
            ],
        )
        walk_id = int(cursor.lastrowid or 0)
        self.s.executemany(
            "INSERT INTO kb_walk_nodes (walk_id, position, article_id, node, answer) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (walk_id, position, walk.article_id, node, answer)
                for position, (node, answer) in enumerate(walk.path)
            ],
        )
        return walk_id

    def walk_outcomes(self, article_id: int | None = None) -> dict[int, dict[str, int]]:
        """article id -> {outcome: walks}."""
        sql = "SELECT article_id, outcome, count(*) AS n FROM kb_walks"
        params: list[Any] = []
        if article_id is not None:
            sql += " WHERE article_id = ?"
            params.append(article_id)
        result: dict[int, dict[str, int]] = {}
        for r in self.s.rows(sql + " GROUP BY article_id, outcome", params):
            result.setdefault(r["article_id"], {})[r["outcome"]] = r["n"]
        return result

    def node_reached(self, article_id: int) -> dict[str, int]:
        """node -> walks that reached it."""
        rows = self.s.rows(
            "SELECT node, count(*) AS n FROM kb_walk_nodes WHERE article_id = ? GROUP BY node",
            [article_id],
        )
        return {r["node"]: r["n"] for r in rows}

    def node_endings(self, article_id: int) -> dict[str, dict[str, int]]:
        """node -> {outcome: walks that ended there}."""
        rows = self.s.rows(
            "SELECT end_node, outcome, count(*) AS n FROM kb_walks WHERE article_id = ? "
            "GROUP BY end_node, outcome",
            [article_id],
        )
        result: dict[str, dict[str, int]] = {}
        for r in rows:
            result.setdefault(r["end_node"], {})[r["outcome"]] = r["n"]
        return result

    def give_ups(self, limit: int) -> list[tuple[int, str, int, int]]:
        """(article id, node, walks abandoned there, walks that reached it), most first."""
        rows = self.s.rows(
            "SELECT w.article_id, w.end_node, count(*) AS gave_up, "
            "(SELECT count(*) FROM kb_walk_nodes n WHERE n.article_id = w.article_id "
            " AND n.node = w.end_node) AS reached "
            "FROM kb_walks w WHERE w.outcome = 'abandoned' "
            "GROUP BY w.article_id, w.end_node ORDER BY gave_up DESC, reached, w.article_id "
            "LIMIT ?",
            [limit],
        )
        return [(r["article_id"], r["end_node"], r["gave_up"], r["reached"]) for r in rows]
