"""What the knowledge mixins share: the records they hand out and the helpers they use.

- :class:`ArticleSummary`: one line of a list or of search results;
- :class:`ArticleVersion`: a published version or the draft, with its content
  (an :class:`~.knowledge_tree.Article`) and, for a draft, its problems;
- :class:`InvalidArticle`: a refusal that carries every problem, one line each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..store.knowledge import KbArticleRow, KbContent, KbDraftRow, KbVersionRow
from .errors import InvalidInput, NotFound
from .knowledge_tree import Article, Node, Problem, Reference, check
from .permissions import require
from .starter import load_catalogue, load_categories, load_departments

if TYPE_CHECKING:
    from .facade import Desk


class InvalidArticle(InvalidInput):
    """Articles with problems; nothing was written. ``lines`` names each one."""

    def __init__(self, lines: Sequence[str], what: str = "nothing was saved") -> None:
        count = f"{len(lines)} problem" + ("s" if len(lines) != 1 else "")
        super().__init__(f"{count}, {what}: {lines[0]}" if lines else what)
        self.lines = tuple(lines)


@dataclass(frozen=True)
class ArticleSummary:
    key: str
    title: str
    category: str | None
    product: str | None
    tags: tuple[str, ...]
    version: int | None  # the published version; None: only a draft so far
    published_at: datetime | None
    has_draft: bool

    @classmethod
    def of(cls, row: KbArticleRow) -> ArticleSummary:
        return cls(
            key=row.key,
            title=row.title or row.draft_title or "",
            category=row.category,
            product=row.product,
            tags=row.tags,
            version=row.version,
            published_at=row.published_at,
            has_draft=row.has_draft,
        )


@dataclass(frozen=True)
class ArticleVersion:
    """One published version (immutable) or the draft an admin is editing."""

    article: Article
    version: int | None  # None: the draft
    at: datetime  # published, or last edited
    by: str
    source: str  # starter, import, editor; "draft" for the draft
    note: str = ""
    based_on: int | None = None  # the draft: the published version it started from
    revision: int = 0  # the draft: goes up with every edit
    problems: tuple[Problem, ...] = ()  # the draft: what publishing would refuse

    @property
    def key(self) -> str:
        return self.article.key

    @property
    def is_draft(self) -> bool:
        return self.version is None

    def problems_at(self, node_id: str | None) -> list[str]:
        """The problems of one node (None: of the article itself), for the editor."""
        return [p.message for p in self.problems if p.node == node_id]


def to_article(key: str, content: KbContent) -> Article:
    nodes = tuple(Node.from_data(n) for n in content.nodes)
    return Article(
        key, content.title, content.category, content.product, content.tags, content.start, nodes
    )


def to_content(article: Article) -> KbContent:
    return KbContent(
        title=article.title,
        category=article.category,
        product=article.product,
        tags=tuple(article.tags),
        start=article.start,
        nodes=[n.to_data() for n in article.nodes],
    )


class KbBase:
    """Helpers of the knowledge mixins (reads inside or outside a transaction)."""

    def _kb_row(self: Desk, key: str) -> KbArticleRow:
        row = self.store.knowledge.article((key or "").strip().lower())
        if row is None:
            raise NotFound(f"no knowledge article {key!r}: see `helpdesk kb list`", field="article")
        return row

    def _kb_version_row(self: Desk, row: KbArticleRow, version: int | None) -> KbVersionRow:
        number = row.version if version is None else version
        found = self.store.knowledge.version(row.id, number) if number is not None else None
        if found is None:
            if version is None:
                raise NotFound(
                    f"article {row.key!r} has no published version yet: an admin publishes "
                    "its draft",
                    field="article",
                )
            raise NotFound(f"article {row.key!r} has no version {version}", field="version")
        return found

    def _kb_view(self: Desk, row: KbArticleRow, found: KbVersionRow) -> ArticleVersion:
        return ArticleVersion(
            to_article(row.key, found.content),
            found.version,
            found.published_at,
            found.published_by,
            found.source,
            found.note,
        )

    def _kb_draft_view(self: Desk, row: KbArticleRow, draft: KbDraftRow) -> ArticleVersion:
        article = to_article(row.key, draft.content)
        return ArticleVersion(
            article,
            None,
            draft.updated_at,
            draft.updated_by,
            "draft",
            based_on=draft.based_on,
            revision=draft.revision,
            problems=tuple(check(article, self._kb_ref())),
        )

    def _kb_ref(self: Desk) -> Reference:
        """Names an article may use: from the database, else from the starter files."""
        categories = {c.key for c in self.store.reference.categories()} or {
            c.key for c in load_categories()
        }
        departments = {d.name for d in self.store.reference.departments()} or {
            d.name for d in load_departments()
        }
        products = {p.key for p in self.store.catalogue.products()} or {
            p.key for p in load_catalogue()
        }
        return Reference(frozenset(categories), frozenset(departments), frozenset(products))

    def _kb_admin(self: Desk) -> None:
        require(self.actor, "kb.edit")
