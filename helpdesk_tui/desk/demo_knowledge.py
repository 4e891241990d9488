"""Knowledge in the demo: generated articles (``--articles``) and the walks agents took.

Articles are yes/no trees made from the word pools of ``data/demo_knowledge.yaml``:
a chain of questions, each with one branch to a fix and the other on to the
next question, ending in an escalation. They are :class:`~.knowledge_tree.Article`
objects, so they pass the same checks as an admin's article and are
published through the knowledge store like an import (``source = import``).

Walks are what the statistics count (``kb_walks``/``kb_walk_nodes``). The
demo records the ones the desk records without touching a ticket
(:meth:`KbWalkMixin.kb_record_walk` with only a contact): a quick answer
found by walking an article, and a walk that did not help before the agent
opened a ticket. Walks are decided with their own random stream, so adding
them leaves the rest of the history exactly as it was.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from ..store.bulk import BulkLoad, PublishedArticle
from .knowledge_base import to_content
from .knowledge_files import content_hash
from .knowledge_tree import ESCALATION, QUESTION, SOLUTION, Article, Node
from .starter import data_file

if TYPE_CHECKING:
    from .facade import Desk

_data: dict[str, Any] = yaml.safe_load(data_file("demo_knowledge.yaml").read_text("utf-8"))
CONTEXTS: tuple[str, ...] = tuple(_data["contexts"])
WORDS: dict[str, dict[str, Any]] = _data["categories"]
#: Outage bulletins by category: title, answer, keywords, resolution.
BULLETINS: dict[str, dict[str, Any]] = _data["bulletins"]

#: Share of contacts on which the agent walked an article, by contact outcome: quick
#: answers (no ticket), and contacts that opened a ticket after the walk did not help.
WALKED = {"answered": 0.08, "ticket": 0.05}
#: Chance the agent stops at each question (the customer had to go, or it did not fit).
GIVE_UP = 0.08
WALK_MINUTES = 3  # a walk's length when the contact has no start time


def generate_articles(
    count: int,
    rng: random.Random,
    weights: dict[str, float],
    departments: dict[str, str],
    products: Sequence[tuple[str, str]],
) -> list[Article]:
    """``count`` articles over the categories (by ``weights``), keys ``<category>-00001``...

    ``departments`` gives each category's level-2 department (its escalations),
    ``products`` the catalogue's ``(key, category)``: some articles are for one product.
    """
    keys = [k for k in weights if k in WORDS]
    categories = rng.choices(keys, [weights[k] for k in keys], k=count)
    by_category: dict[str, list[str]] = {}
    for key, category in products:
        by_category.setdefault(category, []).append(key)
    return [
        _article(n, category, rng, departments.get(category), by_category.get(category, []))
        for n, category in enumerate(categories, 1)
    ]


def _article(
    n: int, category: str, rng: random.Random, department: str | None, products: list[str]
) -> Article:
    words = WORDS[category]
    subject = rng.choice(words["subjects"])
    symptom = rng.choice(words["symptoms"]).format(subject=subject)
    context = rng.choice(CONTEXTS)
    asks = rng.sample(words["questions"], min(len(words["questions"]), rng.randint(2, 4)))
    fixes = rng.sample(words["fixes"], min(len(words["fixes"]), len(asks)))
    title, record, level = rng.choice(words["escalations"])
    nodes: list[Node] = []
    for i, (question, hint) in enumerate(asks, 1):
        later = f"q{i + 1}" if i < len(asks) else "esc"
        fix = f"fix{i}" if i <= len(fixes) else later
        yes, no = (fix, later) if rng.random() < 0.5 else (later, fix)
        nodes.append(Node.question(f"q{i}", question.format(subject=subject), yes, no, hint))
    for i, (fix_title, steps) in enumerate(fixes, 1):
        nodes.append(Node.solution(f"fix{i}", fix_title.format(subject=subject), steps))
    nodes.append(Node.escalation("esc", title, record, level=level, department=department))
    return Article(
        key=f"{category}-{n:05d}",
        title=f"{symptom[0].upper()}{symptom[1:]} {context}",
        category=category,
        product=rng.choice(products) if products and rng.random() < 0.4 else None,
        tags=(subject, category, context.split()[-1]),
        start="q1",
        nodes=tuple(nodes),
    )


@dataclass(frozen=True)
class WalkTree:
    """A published article as a walk needs it: where to start, and each node's branches."""

    article_id: int
    version: int
    start: str
    nodes: dict[str, tuple[str, str | None, str | None]]  # id -> (kind, yes, no)

    @classmethod
    def of(cls, article_id: int, version: int, article: Article) -> WalkTree:
        nodes = {n.id: (n.kind, n.yes, n.no) for n in article.nodes}
        return cls(article_id, version, article.start or "", nodes)


class Walker:
    """Decides which contacts had a walk and where each one went (its own random stream)."""

    def __init__(
        self, trees: Iterable[tuple[str, WalkTree]], weights: dict[str, float], seed: float
    ) -> None:
        self.rng = random.Random(seed)
        self.rnd = self.rng.random
        self.trees: dict[str, list[WalkTree]] = {}
        for category, tree in trees:
            self.trees.setdefault(category, []).append(tree)
        keys = [k for k in weights if k in self.trees]
        self.categories = tuple(self.rng.choices(keys, [weights[k] for k in keys], k=4096))
        self.count = 0

    def wants(self, outcome: str) -> bool:
        share = WALKED.get(outcome)
        return share is not None and bool(self.trees) and self.rnd() < share

    def walk(self, category: str | None, opened_ticket: bool) -> tuple[WalkTree, list[Any], str]:
        """A walk: its tree, its path ``[(node, 'yes'/'no'/'')]`` and its outcome."""
        rnd = self.rnd
        if category not in self.trees:
            category = self.categories[int(rnd() * 4096)]
        options = self.trees[category]
        tree = options[int(rnd() * len(options))]
        node, path = tree.start, []
        while True:
            kind, yes, no = tree.nodes[node]
            if kind != QUESTION or rnd() < GIVE_UP:
                break
            answer = "yes" if rnd() < 0.5 else "no"
            path.append((node, answer))
            node = (yes if answer == "yes" else no) or ""
        path.append((node, ""))
        if kind == SOLUTION and not opened_ticket:
            outcome = "solved"
        elif kind == ESCALATION and opened_ticket:
            outcome = "escalated"
        else:
            outcome = "abandoned"  # gave up, or it did not help (a ticket was opened)
        self.count += 1
        return tree, path, outcome


def plan_knowledge(
    desk: Desk, articles: Sequence[Article], seed: int, weights: dict[str, float]
) -> Walker:
    """The walker over the published articles and ``articles`` (to be published next,
    in order: their ids follow the highest one in the file)."""
    rows = desk.store.knowledge.articles(drafts=True)
    trees = [
        (row.category or "", WalkTree.of(row.id, row.version, desk.kb_article(row.key).article))
        for row in rows
        if row.version is not None
    ]
    first = max((row.id for row in rows), default=0) + 1
    trees += [(a.category, WalkTree.of(first + n, 1, a)) for n, a in enumerate(articles)]
    return Walker(trees, weights, seed)


def publish_articles(load: BulkLoad, articles: Sequence[Article], at: str, by: str) -> None:
    """Publish the generated articles as an import would (``source = import``), at once."""
    load.articles(
        [
            PublishedArticle(
                a.key, a.title, a.category, a.product, tuple(a.tags), a.start,
                to_content(a).nodes, content_hash(a), a.body(),
            )
            for a in articles
        ],
        at=at,
        by=by,
        source="import",
    )  # fmt: skip
