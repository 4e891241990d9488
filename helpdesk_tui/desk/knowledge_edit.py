"""Admins edit knowledge articles: one draft per article, validated, then published.

Every edit reads the draft inside its IMMEDIATE transaction (making one from
the published version on the first edit), applies a pure operation from
:mod:`.knowledge_ops`, and saves it with a new revision. ``expected_revision``
lets an editor screen refuse to overwrite a colleague's edit it has not seen.
Publishing refuses a draft with problems and lists them all; a published
version is never changed again (the database refuses it too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from . import knowledge_ops as ops
from . import validate
from .errors import InvalidInput, NotFound, StaleEdit
from .knowledge_base import ArticleVersion, InvalidArticle, KbBase, to_article, to_content
from .knowledge_files import content_hash
from .knowledge_tree import KEY, SOLUTION, Article, Node, Problem, check

if TYPE_CHECKING:
    from .facade import Desk

Edit = Callable[[Article], Article]


class KbEditMixin(KbBase):
    # -- drafts ----------------------------------------------------------------------------------
    def kb_new_article(
        self: Desk,
        key: str,
        title: str,
        category: str,
        product: str | None = None,
        tags: Sequence[str] = (),
    ) -> ArticleVersion:
        """A new article as an empty draft (admins). Add nodes, then publish."""
        self._kb_admin()
        key = (key or "").strip().lower()
        if not KEY.match(key):
            raise InvalidInput(
                f"article key {key!r} must be lower-case letters, digits, _ and - "
                "(it becomes the file name)",
                field="key",
            )
        article = Article(key, validate.text(title, "title", field="title"), category)
        article = self._kb_checked_details(article, category, product, tags)
        with self.store.transaction():
            if self.store.knowledge.article(key) is not None:
                raise InvalidInput(f"article {key!r} already exists", field="key")
            article_id = self.store.knowledge.add_article(key, self._stamp(), self.actor.login)
            self.store.knowledge.save_draft(
                article_id, None, to_content(article), self._stamp(), self.actor.login
            )
        return self.kb_draft(key)

    def kb_draft(self: Desk, key: str) -> ArticleVersion:
        """The article's draft with its problems (admins); made from the published version
        if there is none yet."""
        self._kb_admin()
        with self.store.transaction():
            row = self._kb_row(key)
            draft = self.store.knowledge.draft(row.id)
            if draft is None:
                published = self._kb_version_row(row, None)
                self.store.knowledge.save_draft(
                    row.id, published.version, published.content, self._stamp(), self.actor.login
                )
                draft = self.store.knowledge.draft(row.id)
                assert draft is not None
        return self._kb_draft_view(row, draft)

    def kb_draft_or_published(self: Desk, key: str) -> ArticleVersion:
        """What an editor opens on (admins): the draft, else the published version as the
        draft would begin (revision 0, nothing saved), so merely looking leaves no draft.

        Pass ``expected_revision=None`` with the first edit of a revision-0 view.
        """
        self._kb_admin()
        row = self._kb_row(key)
        draft = self.store.knowledge.draft(row.id)
        if draft is not None:
            return self._kb_draft_view(row, draft)
        published = self._kb_version_row(row, None)
        article = to_article(row.key, published.content)
        return ArticleVersion(
            article,
            None,
            published.published_at,
            published.published_by,
            "draft",
            based_on=published.version,
            revision=0,
            problems=tuple(check(article, self._kb_ref())),
        )

    def kb_discard_draft(self: Desk, key: str) -> None:
        """Throw the draft away; the published version stays as it is."""
        self._kb_admin()
        with self.store.transaction():
            row = self._kb_row(key)
            if row.version is None:
                raise InvalidInput(
                    f"article {row.key!r} was never published: its draft is all there is"
                )
            self.store.knowledge.drop_draft(row.id)

    def kb_set_details(
        self: Desk,
        key: str,
        *,
        title: str | None = None,
        category: str | None = None,
        product: str | None = None,
        clear_product: bool = False,
        tags: Sequence[str] | None = None,
        expected_revision: int | None = None,
    ) -> ArticleVersion:
        """Change the draft's title, category, product or tags."""

        def edit(article: Article) -> Article:
            changed = article
            if title is not None:
                changed = replace(changed, title=validate.text(title, "title", field="title"))
            return self._kb_checked_details(
                changed,
                category if category is not None else changed.category,
                None if clear_product else (product or changed.product),
                changed.tags if tags is None else tags,
            )

        return self._kb_edit(key, edit, expected_revision)

    # -- nodes -----------------------------------------------------------------------------------
    def kb_add_node(
        self: Desk,
        key: str,
        node: Node,
        *,
        parent: str | None = None,
        branch: str | None = None,
        expected_revision: int | None = None,
    ) -> ArticleVersion:
        """Add a node to the draft, linked from ``parent``'s yes/no ``branch`` if given."""
        return self._kb_edit(
            key, lambda a: ops.add_node(a, node, parent, branch), expected_revision
        )

    def kb_update_node(
        self: Desk, key: str, node: Node, *, expected_revision: int | None = None
    ) -> ArticleVersion:
        """Replace the draft's node that has ``node.id`` (text, kind, branches)."""
        return self._kb_edit(key, lambda a: ops.update_node(a, node), expected_revision)

    def kb_delete_node(
        self: Desk, key: str, node_id: str, *, expected_revision: int | None = None
    ) -> ArticleVersion:
        """Delete a node; the branches that led to it become unlinked."""
        return self._kb_edit(key, lambda a: ops.delete_node(a, node_id), expected_revision)

    def kb_link(
        self: Desk,
        key: str,
        node_id: str,
        branch: str,
        target: str | None,
        *,
        expected_revision: int | None = None,
    ) -> ArticleVersion:
        """Re-link a question's yes/no branch to another node (None unlinks it)."""
        return self._kb_edit(key, lambda a: ops.link(a, node_id, branch, target), expected_revision)

    def kb_set_start(
        self: Desk, key: str, node_id: str, *, expected_revision: int | None = None
    ) -> ArticleVersion:
        return self._kb_edit(key, lambda a: ops.set_start(a, node_id), expected_revision)

    # -- validation and publishing --------------------------------------------------------------
    def kb_validate(self: Desk, key: str) -> list[Problem]:
        """The draft's problems; empty when it may be published."""
        return list(self.kb_draft(key).problems)

    def kb_publish(
        self: Desk, key: str, note: str = "", *, expected_revision: int | None = None
    ) -> ArticleVersion:
        """Publish the draft as the next version, refused with every problem if it has any."""
        self._kb_admin()
        note = validate.text(note, "note", required=False, limit=validate.SUMMARY_MAX)
        with self.store.transaction():
            row = self._kb_row(key)
            draft = self.store.knowledge.draft(row.id)
            if draft is None:
                raise NotFound(f"article {row.key!r} has no draft to publish", field="article")
            if expected_revision is not None and draft.revision != expected_revision:
                raise self._kb_stale(row.key, draft.updated_by)
            article = to_article(row.key, draft.content)
            problems = check(article, self._kb_ref())
            if problems:
                raise InvalidArticle(
                    [p.line(row.key) for p in problems], f"{row.key} was not published"
                )
            self._kb_publish_in_tx(row.id, article, "editor", note)
            self.store.knowledge.drop_draft(row.id)
        return self.kb_article(row.key)

    def kb_history(self: Desk, key: str) -> list[ArticleVersion]:
        """Every published version, oldest first."""
        row = self._kb_row(key)
        return [self._kb_view(row, v) for v in self.store.knowledge.versions(row.id)]

    # -- learning from tickets -------------------------------------------------------------------
    def kb_draft_from_ticket(
        self: Desk,
        number: int,
        key: str | None = None,
        *,
        attach: tuple[str, str] | None = None,
        new_key: str | None = None,
    ) -> ArticleVersion:
        """Turn a resolved ticket's resolution into a draft solution node.

        With ``key``: a node added to that article's draft, linked from
        ``attach`` = (question id, 'yes'/'no') when given (else left for the
        admin to link). Without: a new draft article (key ``new_key`` or made
        from the ticket's title) whose only node is that solution.
        """
        self._kb_admin()
        ticket = self.ticket(number)
        if ticket.status not in ("resolved", "closed") or not ticket.resolution.strip():
            raise InvalidInput(f"ticket #{number} has no resolution yet: resolve it first")
        first = ticket.resolution.strip().splitlines()[0].strip()
        title = first if len(first) <= 120 else first[:119] + "\u2026"
        if key is not None:
            parent, branch = attach if attach else (None, None)

            def edit(article: Article) -> Article:
                node = Node(ops.free_id(article, f"ticket_{number}"), SOLUTION, title)
                node = replace(node, steps=ticket.resolution.strip())
                return ops.add_node(article, node, parent, branch)

            return self._kb_edit(key, edit, None)
        product = self.store.catalogue.product(ticket.product_id) if ticket.product_id else None
        if new_key is not None and not KEY.match(new_key):
            raise InvalidInput(
                f"article key {new_key!r} must be lower-case letters, digits, _ and -", field="key"
            )
        base = new_key or ops.free_id(Article("x", "", ""), ticket.title)[:48]
        with self.store.transaction():
            chosen = base
            n = 1
            while self.store.knowledge.article(chosen) is not None:
                if new_key:
                    raise InvalidInput(f"article {new_key!r} already exists", field="key")
                n += 1
                chosen = f"{base}_{n}"
            node = Node(f"ticket_{number}", SOLUTION, title, steps=ticket.resolution.strip())
            article = Article(
                chosen,
                ticket.title,
                ticket.category,
                product.key if product else None,
                start=node.id,
                nodes=(node,),
            )
            article_id = self.store.knowledge.add_article(chosen, self._stamp(), self.actor.login)
            self.store.knowledge.save_draft(
                article_id, None, to_content(article), self._stamp(), self.actor.login
            )
        return self.kb_draft(chosen)

    # -- inside -----------------------------------------------------------------------------------
    def _kb_edit(self: Desk, key: str, edit: Edit, expected_revision: int | None) -> ArticleVersion:
        self._kb_admin()
        with self.store.transaction():
            row = self._kb_row(key)
            draft = self.store.knowledge.draft(row.id)
            if draft is None:
                if expected_revision:  # 0: the editor saw no draft (kb_draft_or_published)
                    raise self._kb_stale(row.key, "someone")
                published = self._kb_version_row(row, None)
                article, based_on = to_article(row.key, published.content), published.version
            else:
                if expected_revision is not None and draft.revision != expected_revision:
                    raise self._kb_stale(row.key, draft.updated_by)
                article, based_on = to_article(row.key, draft.content), draft.based_on
            changed = edit(article)
            self.store.knowledge.save_draft(
                row.id, based_on, to_content(changed), self._stamp(), self.actor.login
            )
            saved = self.store.knowledge.draft(row.id)
            assert saved is not None
        return self._kb_draft_view(row, saved)

    def _kb_checked_details(
        self: Desk, article: Article, category: str, product: str | None, tags: Sequence[str]
    ) -> Article:
        key = self.category(category).key
        if product:
            found = self.store.catalogue.product_by_key(product.strip().lower())
            if found is None:
                raise NotFound(
                    f"unknown product {product!r}: see `helpdesk product list`", field="product"
                )
            product = found.key
        cleaned = tuple(dict.fromkeys(t.strip() for t in tags if t and t.strip()))
        return replace(article, category=key, product=product or None, tags=cleaned)

    def _kb_publish_in_tx(
        self: Desk, article_id: int, article: Article, source: str, note: str
    ) -> int:
        return self.store.knowledge.publish(
            article_id,
            to_content(article),
            source=source,
            content_hash=content_hash(article),
            note=note,
            at=self._stamp(),
            by=self.actor.login,
            body=article.body(),
        )

    def _kb_stale(self: Desk, key: str, by: str) -> StaleEdit:
        return StaleEdit(
            f"the draft of {key!r} was changed by {by} since you opened it; nothing was saved: "
            "reload it and make your change again"
        )
