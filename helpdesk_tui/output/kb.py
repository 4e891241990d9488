"""Knowledge articles for the command line: lists, search results, statistics, tree
views and the lines of a plain-terminal walk.

Records become plain dicts first (JSON and CSV carry them as stored); tables are
built with safe cells, so node text such as ``[red]x[/red]`` shows as typed.
Walk lines are plain strings; the CLI prints them through ``printable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

from ..clock import iso
from ..desk.knowledge_base import ArticleSummary, ArticleVersion
from ..desk.knowledge_stats import ArticleStats, NodeStats
from ..desk.knowledge_tree import LEVELS, QUESTION, SOLUTION, Node, tree_rows
from .base import NARROW, WIDE, table

ARTICLE_COLUMNS = (
    "key",
    "title",
    "category",
    "product",
    "version",
    "draft",
    "tags",
    "published_at",
)
STATS_COLUMNS = ("key", "title", "version", "walks", "solved", "escalated", "abandoned")
NODE_COLUMNS = ("node", "kind", "text", "reached", "solved", "escalated", "abandoned")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def article_records(articles: Sequence[ArticleSummary]) -> list[dict[str, Any]]:
    return [
        {
            "key": a.key,
            "title": a.title,
            "category": a.category,
            "product": a.product,
            "version": a.version,
            "draft": a.has_draft,
            "tags": ", ".join(a.tags),
            "published_at": iso(a.published_at),
        }
        for a in articles
    ]


def articles_table(articles: Sequence[ArticleSummary], caption: str | None = None) -> Table:
    return table(
        ["Key", "Title", "Category", "Product", "Version", "Tags"],
        [
            (
                a.key,
                a.title,
                a.category or "",
                a.product or "",
                (f"v{a.version}" if a.version else "unpublished")
                + (" +draft" if a.has_draft else ""),
                ", ".join(a.tags),
            )
            for a in articles
        ],
        widths=[None, WIDE, None, None, None, NARROW],
        caption=caption,
    )


def stats_records(stats: Sequence[ArticleStats]) -> list[dict[str, Any]]:
    return [{name: getattr(s, name) for name in STATS_COLUMNS} for s in stats]


def stats_table(stats: Sequence[ArticleStats]) -> Table:
    return table(
        ["Article", "Title", "Walks", "Solved", "Escalated", "Gave up", "Solved %"],
        [
            (s.key, s.title, s.walks, s.solved, s.escalated, s.abandoned, _percent(s.solved_share))
            for s in stats
        ],
        widths=[None, WIDE],
    )


def node_records(stats: Sequence[NodeStats]) -> list[dict[str, Any]]:
    return [
        {
            "node": s.node_id,
            "kind": s.node.kind if s.node else None,
            "text": s.node.text if s.node else None,
            "reached": s.reached,
            "solved": s.solved,
            "escalated": s.escalated,
            "abandoned": s.abandoned,
        }
        for s in stats
    ]


def node_stats_table(stats: Sequence[NodeStats], *, article: bool = False) -> Table:
    """Per node; ``article`` adds the article's key (the give-up list spans articles)."""
    headers = ["Node", "Reached", "Solved", "Escalated", "Gave up", "Gave up %"]
    rows = []
    for s in stats:
        indent = "  " * (s.depth or 0)
        row: list[object] = [
            f"{indent}{s.node_id}: {s.label}",
            s.reached,
            s.solved,
            s.escalated,
            s.abandoned,
            _percent(s.gave_up_share),
        ]
        rows.append([s.article, *row] if article else row)
    if article:
        headers = ["Article", *headers]
    return table(headers, rows, widths=[None, WIDE] if article else [WIDE])


def history_table(versions: Sequence[ArticleVersion]) -> Table:
    return table(
        ["Version", "Published", "By", "From", "Nodes", "Title", "Note"],
        [
            (
                f"v{v.version}",
                iso(v.at),
                v.by,
                v.source,
                len(v.article.nodes),
                v.article.title,
                v.note,
            )
            for v in versions
        ],
        widths=[None, None, None, None, None, NARROW, NARROW],
    )


# -- plain lines: the tree and the walk ----------------------------------------------------------


def tree_lines(version: ArticleVersion) -> list[str]:
    """An article as an indented tree: ``yes -> Q: ...``; shared nodes shown once."""
    a = version.article
    state = "draft" if version.is_draft else f"version {version.version}"
    lines = [
        f"{a.title} ({a.key}, {state}; category {a.category}"
        + (f", product {a.product}" if a.product else "")
        + ")"
    ]
    for row in tree_rows(a):
        branch = f"{row.branch} -> " if row.branch else ""
        suffix = " (see above)" if row.repeat else ""
        if not row.reachable:
            suffix = " (not reachable)"
        lines.append(f"{'  ' * (row.depth + 1)}{branch}[{row.node.id}] {row.node.label()}{suffix}")
    for problem in version.problems:
        lines.append(problem.line(a.key))
    return lines


def question_lines(node: Node, number: int) -> list[str]:
    lines = [f"{number}. {node.text}"]
    if node.hint:
        lines.append(f"   hint: {node.hint}")
    return lines


def end_lines(node: Node) -> list[str]:
    """What a walk reached: the solution's steps, or where to escalate and what to record."""
    if node.kind == QUESTION:
        return []
    if node.kind == SOLUTION:
        return [f"Solution: {node.text}", *("   " + line for line in node.steps.splitlines())]
    target = node.target() or LEVELS.get(node.level or 0, "")
    return [
        f"Escalation: {node.text} ({target})",
        "   Record:",
        *("   " + line for line in node.record.splitlines()),
    ]
