"""The knowledge base (issue 5): yes/no decision trees that agents walk with the customer.

:class:`KnowledgeMixin` is the facade's part: finding articles (list, keyword
search filtered by a ticket's category and product), reading versions, files
(import all-or-nothing, export, validate) and the starter articles that
``helpdesk init`` publishes. Editing, walking and statistics are in
:mod:`.knowledge_edit`, :mod:`.knowledge_walking` and :mod:`.knowledge_stats`;
the pure model in :mod:`.knowledge_tree`, :mod:`.knowledge_walk`,
:mod:`.knowledge_ops` and :mod:`.knowledge_files`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InvalidInput, NotFound
from .knowledge_base import ArticleSummary, ArticleVersion, InvalidArticle, to_article
from .knowledge_edit import KbEditMixin
from .knowledge_files import (
    ArticleFile,
    article_paths,
    content_hash,
    emit_article,
    read_article,
    starter_dir,
)
from .knowledge_intake import KbIntakeMixin
from .knowledge_stats import KbStatsMixin
from .knowledge_tree import Article, Problem, check
from .knowledge_walking import KbWalkMixin

if TYPE_CHECKING:
    from .facade import Desk

SEARCH_LIMIT = 20


@dataclass(frozen=True)
class ImportReport:
    files: int
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # a new version was published
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # starter only: an admin's edits were kept


class KnowledgeMixin(KbEditMixin, KbWalkMixin, KbIntakeMixin, KbStatsMixin):
    # -- finding ---------------------------------------------------------------------------------
    def kb_articles(
        self: Desk,
        category: str | None = None,
        product: str | None = None,
        *,
        drafts: bool = False,
        limit: int | None = None,
    ) -> list[ArticleSummary]:
        """Published articles by title; ``drafts`` (admins) adds never-published ones."""
        if drafts:
            self._kb_admin()
        category, product = self._kb_filters(category, product)
        rows = self.store.knowledge.articles(
            category=category, product=product, drafts=drafts, limit=limit
        )
        return [ArticleSummary.of(r) for r in rows]

    def kb_search(
        self: Desk,
        text: str,
        *,
        category: str | None = None,
        product: str | None = None,
        ticket: int | None = None,
        limit: int = SEARCH_LIMIT,
    ) -> list[ArticleSummary]:
        """Search as you type over titles, tags and node text; any text is a valid query.

        Best match first (a title match counts most), then newest. With
        ``ticket``, only articles for its category (and for its product, or for
        no particular product). Nothing typed lists articles by title.
        """
        if ticket is not None:
            found = self.ticket(ticket)
            category = category or found.category
            if product is None and found.product_id is not None:
                item = self.store.catalogue.product(found.product_id)
                product = item.key if item else None
        category, product = self._kb_filters(category, product)
        rows = self.store.knowledge.search(
            text or "", category=category, product=product, limit=max(1, limit)
        )
        return [ArticleSummary.of(r) for r in rows]

    def kb_article(self: Desk, key: str, version: int | None = None) -> ArticleVersion:
        """The published version (or an earlier one) of an article."""
        row = self._kb_row(key)
        return self._kb_view(row, self._kb_version_row(row, version))

    def _kb_filters(
        self: Desk, category: str | None, product: str | None
    ) -> tuple[str | None, str | None]:
        if category:
            category = self.category(category).key
        if product:
            found = self.store.catalogue.product_by_key(product.strip().lower())
            if found is None:
                raise NotFound(
                    f"unknown product {product!r}: see `helpdesk product list`", field="product"
                )
            product = found.key
        return category or None, product or None

    # -- files -----------------------------------------------------------------------------------
    def kb_check_files(self: Desk, path: str | Path) -> list[ArticleFile]:
        """Read and validate article files (a file, or a directory's *.yaml); writes nothing."""
        files = [read_article(p) for p in article_paths(Path(path))]
        ref = self._kb_ref()
        checked: list[ArticleFile] = []
        keys: dict[str, Path] = {}
        for f in files:
            problems = list(f.problems)
            if f.article is not None:
                problems += check(f.article, ref)
                other = keys.setdefault(f.article.key, f.path)
                if other != f.path:
                    problems.insert(0, Problem(None, f"{other.name} has the same key"))
            checked.append(replace(f, problems=tuple(problems)))
        return checked

    def kb_import(self: Desk, path: str | Path) -> ImportReport:
        """Import article files (admins): all or nothing, each changed one as a new version."""
        self._kb_admin()
        files = self.kb_check_files(path)
        lines = [p.line(str(f.path)) for f in files for p in f.problems]
        if lines:
            raise InvalidArticle(lines, "nothing was imported")
        report = ImportReport(len(files))
        with self.store.transaction():
            for f in files:
                assert f.article is not None
                outcome = self._kb_publish_file(f.article, "import")
                getattr(report, outcome).append(f.article.key)
        return report

    def kb_export(self: Desk, directory: str | Path, *, drafts: bool = False) -> list[Path]:
        """Write each published article (``drafts``: the draft where there is one) to
        ``DIR/<key>.yaml`` in the canonical form; returns the files written."""
        if drafts:
            self._kb_admin()
        target = Path(directory)
        articles: list[Article] = []
        for row in self.store.knowledge.articles(drafts=drafts):
            draft = self.store.knowledge.draft(row.id) if drafts else None
            if draft is not None:
                articles.append(to_article(row.key, draft.content))
            elif row.version is not None:
                articles.append(self.kb_article(row.key).article)
        written: list[Path] = []
        try:
            target.mkdir(parents=True, exist_ok=True)
            for article in articles:
                out = target / f"{article.key}.yaml"
                out.write_bytes(emit_article(article).encode("utf-8"))
                written.append(out)
        except OSError as exc:
            raise InvalidInput(f"{target}: cannot write there ({exc.strerror or exc})") from None
        return written

    # -- starter content ------------------------------------------------------------------------
    def _kb_load_starter(self: Desk) -> int:
        """Publish the starter articles of data/kb/ that are new or changed since last loaded.

        Called by ``init`` inside its transaction. An article an admin has
        published since is kept as it is. Returns how many versions were published.
        """
        files = self.kb_check_files(starter_dir())
        lines = [p.line(f.path.name) for f in files for p in f.problems]
        if lines:
            raise InvalidArticle(lines, "the starter knowledge articles were not loaded")
        published = 0
        with self.store.transaction():
            for f in files:
                assert f.article is not None
                published += self._kb_publish_file(f.article, "starter") in ("added", "updated")
        return published

    def _kb_publish_file(self: Desk, article: Article, source: str) -> str:
        """Publish one file's article if it differs; returns the report list it belongs in."""
        row = self.store.knowledge.article(article.key)
        digest = content_hash(article)
        if row is None:
            article_id = self.store.knowledge.add_article(
                article.key, self._stamp(), self.actor.login
            )
            self._kb_publish_in_tx(article_id, article, source, "")
            return "added"
        current = self.store.knowledge.version(row.id, row.version) if row.version else None
        if current is not None and current.content_hash == digest:
            return "unchanged"
        if source == "starter" and (current is None or current.source != "starter"):
            return "kept"  # an admin's own article or edits win over the starter file
        self._kb_publish_in_tx(row.id, article, source, "")
        return "updated"
