"""Learning from walks: per article and per node, how often walks reach, solve, escalate
or give up there, and the nodes where walks most often give up (for admins).

Statistics follow node ids across versions (ids stay when an admin edits a
node's text), so a node keeps its history through republishing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .knowledge_base import KbBase, to_article
from .knowledge_tree import Node, tree_rows
from .knowledge_walk import ABANDONED, ESCALATED, SOLVED

if TYPE_CHECKING:
    from .facade import Desk


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class ArticleStats:
    key: str
    title: str
    version: int | None
    walks: int
    solved: int
    escalated: int
    abandoned: int

    @property
    def solved_share(self) -> float | None:
        return _share(self.solved, self.walks)


@dataclass(frozen=True)
class NodeStats:
    article: str
    node_id: str
    node: Node | None  # as in the published version; None: no longer in the article
    depth: int | None  # in the published version's tree view
    reached: int
    solved: int  # walks that ended here, by outcome
    escalated: int
    abandoned: int

    @property
    def label(self) -> str:
        return self.node.label() if self.node else f"{self.node_id} (no longer in the article)"

    @property
    def gave_up_share(self) -> float | None:
        """Of the walks that reached this node, the share that gave up here."""
        return _share(self.abandoned, self.reached)


class KbStatsMixin(KbBase):
    def kb_stats(self: Desk) -> list[ArticleStats]:
        """Every published article with its walks by outcome, most walked first."""
        outcomes = self.store.knowledge.walk_outcomes()
        result = [
            self._kb_article_stats(row.key, row.title, row.version, outcomes.get(row.id, {}))
            for row in self.store.knowledge.articles()
        ]
        return sorted(result, key=lambda s: -s.walks)

    def kb_article_stats(self: Desk, key: str) -> ArticleStats:
        row = self._kb_row(key)
        counts = self.store.knowledge.walk_outcomes(row.id).get(row.id, {})
        return self._kb_article_stats(row.key, row.title, row.version, counts)

    def kb_node_stats(self: Desk, key: str) -> list[NodeStats]:
        """Each node of the published version in tree order, then nodes gone since."""
        row = self._kb_row(key)
        article = to_article(row.key, self._kb_version_row(row, None).content)
        reached = self.store.knowledge.node_reached(row.id)
        endings = self.store.knowledge.node_endings(row.id)
        result: list[NodeStats] = []
        seen: set[str] = set()
        for tree_row in tree_rows(article):
            if tree_row.repeat:
                continue
            node = tree_row.node
            seen.add(node.id)
            result.append(
                self._kb_node_stats(row.key, node.id, node, tree_row.depth, reached, endings)
            )
        for node_id in sorted(set(reached) - seen):
            result.append(self._kb_node_stats(row.key, node_id, None, None, reached, endings))
        return result

    def kb_give_ups(self: Desk, limit: int = 10) -> list[NodeStats]:
        """Nodes where walks most often give up ("didn't help"), for admins to improve."""
        self._kb_admin()
        result = []
        articles: dict[int, tuple[str, dict[str, Node], dict[str, dict[str, int]]]] = {}
        for article_id, node_id, _, reached in self.store.knowledge.give_ups(limit):
            if article_id not in articles:
                row = self.store.knowledge.article_by_id(article_id)
                assert row is not None
                nodes = (
                    to_article(row.key, self._kb_version_row(row, None).content).index()
                    if row.version is not None
                    else {}
                )
                articles[article_id] = (row.key, nodes, self.store.knowledge.node_endings(row.id))
            key, nodes, endings = articles[article_id]
            result.append(
                self._kb_node_stats(
                    key, node_id, nodes.get(node_id), None, {node_id: reached}, endings
                )
            )
        return result

    def _kb_article_stats(
        self: Desk, key: str, title: str, version: int | None, counts: dict[str, int]
    ) -> ArticleStats:
        return ArticleStats(
            key,
            title,
            version,
            sum(counts.values()),
            counts.get(SOLVED, 0),
            counts.get(ESCALATED, 0),
            counts.get(ABANDONED, 0),
        )

    def _kb_node_stats(
        self: Desk,
        key: str,
        node_id: str,
        node: Node | None,
        depth: int | None,
        reached: dict[str, int],
        endings: dict[str, dict[str, int]],
    ) -> NodeStats:
        ended = endings.get(node_id, {})
        return NodeStats(
            key,
            node_id,
            node,
            depth,
            reached.get(node_id, 0),
            ended.get(SOLVED, 0),
            ended.get(ESCALATED, 0),
            ended.get(ABANDONED, 0),
        )
