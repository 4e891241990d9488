"""Knowledge articles as pure data: nodes, the article, and its validation (issue 5).

An article is a directed acyclic graph of nodes reached from its start: a
*question* has a "yes" and a "no" branch, a *solution* holds the steps to give
the customer, an *escalation* says where to send the problem and what to
record. Shared sub-branches are allowed, cycles are not.

Every algorithm here is iterative (explicit stacks and queues), so a tree 500
or 5,000 levels deep is handled without recursion errors. There is no depth
limit; an article may hold at most :data:`MAX_NODES` nodes. Text is kept
exactly as given (markup and control characters included: they are made
harmless when shown); only empty required text and oversize text are problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import validate
from .transitions import EXTERNAL

QUESTION, SOLUTION, ESCALATION = "question", "solution", "escalation"
KINDS = (QUESTION, SOLUTION, ESCALATION)
BRANCHES = ("yes", "no")
#: Escalation targets: level 2, level 3, or an external vendor or consultant.
LEVELS: dict[int, str] = {2: "level 2", 3: "level 3", EXTERNAL: "external"}

MAX_NODES = 5_000
TITLE_MAX = validate.SHORT_TEXT_MAX
TEXT_MAX = validate.SUMMARY_MAX  # a question, a hint, what to record
STEPS_MAX = validate.LONG_TEXT_MAX  # a solution's steps (they become a resolution)
TAGS_MAX = 30
TAG_MAX = 50
#: Article keys (file names) and node ids: lower-case letters, digits, _ and -.
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Node:
    """One node. ``text`` is the question, or the solution's or escalation's title."""

    id: str
    kind: str
    text: str
    hint: str = ""  # question: how to check
    yes: str | None = None  # question: the node a "yes" leads to
    no: str | None = None
    steps: str = ""  # solution: what to tell the customer
    level: int | None = None  # escalation: 2, 3 or EXTERNAL
    department: str | None = None  # escalation
    record: str = ""  # escalation: what to record for the next line

    @classmethod
    def question(cls, id: str, text: str, yes: str | None, no: str | None, hint: str = "") -> Node:
        return cls(id, QUESTION, text, hint=hint, yes=yes, no=no)

    @classmethod
    def solution(cls, id: str, title: str, steps: str) -> Node:
        return cls(id, SOLUTION, title, steps=steps)

    @classmethod
    def escalation(
        cls,
        id: str,
        title: str,
        record: str,
        level: int | None = None,
        department: str | None = None,
    ) -> Node:
        return cls(id, ESCALATION, title, level=level, department=department, record=record)

    def branches(self) -> Iterator[tuple[str, str | None]]:
        if self.kind == QUESTION:
            yield "yes", self.yes
            yield "no", self.no

    def target(self) -> str:
        """An escalation's target in words: "level 2, Network"."""
        parts = [LEVELS.get(self.level, str(self.level))] if self.level is not None else []
        if self.department:
            parts.append(self.department)
        return ", ".join(parts)

    def label(self) -> str:
        """One line naming the node, as paths and tree views show it."""
        first = self.text.strip().splitlines()[0] if self.text.strip() else "(empty)"
        if self.kind == QUESTION:
            return f"Q: {first}"
        if self.kind == SOLUTION:
            return f"solution '{first}'"
        target = f" ({self.target()})" if self.target() else ""
        return f"escalation '{first}'{target}"

    @property
    def resolution(self) -> str:
        """A solution as a ticket's resolution: its title, then its steps."""
        return f"{self.text.strip()}\n{self.steps.strip()}".strip()

    def to_data(self) -> dict[str, Any]:
        """JSON-ready dict for storage (empty fields left out)."""
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "text": self.text}
        for name in ("hint", "yes", "no", "steps", "level", "department", "record"):
            value = getattr(self, name)
            if value not in (None, ""):
                data[name] = value
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Node:
        return cls(**data)


@dataclass(frozen=True)
class Article:
    """An article's content: one version's snapshot, or a draft."""

    key: str
    title: str
    category: str
    product: str | None = None
    tags: tuple[str, ...] = ()
    start: str | None = None
    nodes: tuple[Node, ...] = field(default_factory=tuple)

    def index(self) -> dict[str, Node]:
        """Nodes by id (the first of duplicates; validation reports the rest)."""
        found: dict[str, Node] = {}
        for node in self.nodes:
            found.setdefault(node.id, node)
        return found

    def node(self, node_id: str) -> Node | None:
        return self.index().get(node_id)

    def parents(self, node_id: str) -> list[tuple[str, str]]:
        """(node id, branch) of every question that leads to ``node_id``."""
        return [(n.id, b) for n in self.nodes for b, t in n.branches() if t == node_id]

    def body(self) -> str:
        """All node text, for the search index."""
        parts: list[str] = []
        for n in self.nodes:
            parts += [n.text, n.hint, n.steps, n.record]
        return "\n".join(p for p in parts if p)

    def with_nodes(self, nodes: Iterable[Node], **changes: Any) -> Article:
        return replace(self, nodes=tuple(nodes), **changes)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an article; ``node`` is None for the article itself."""

    node: str | None
    message: str

    def line(self, file: str) -> str:
        """``FILE: node ID: problem``, or ``FILE: problem`` for the article (or file) itself."""
        if self.node is None:
            return f"{file}: {self.message}"
        return f"{file}: node {self.node}: {self.message}"


@dataclass(frozen=True)
class Reference:
    """What an article may name; None skips that check."""

    categories: frozenset[str] | None = None
    departments: frozenset[str] | None = None
    products: frozenset[str] | None = None


def check(article: Article, ref: Reference | None = None) -> list[Problem]:
    """Every problem with the article: fields first, then nodes in order, then the graph."""
    ref = ref or Reference()
    problems = _article_problems(article, ref)
    ids = {n.id for n in article.nodes}
    seen: set[str] = set()
    for node in article.nodes:
        if node.id in seen:
            problems.append(Problem(node.id, "duplicate node id: another node has this id"))
        seen.add(node.id)
        problems += _node_problems(node, ids, ref)
    return problems + _graph_problems(article)


def _article_problems(article: Article, ref: Reference) -> list[Problem]:
    out: list[Problem] = []

    def bad(message: str) -> None:
        out.append(Problem(None, message))

    if not KEY.match(article.key):
        bad(f"key {article.key!r} must be lower-case letters, digits, _ and - (at most 64)")
    _text_problems(article.title, "title", TITLE_MAX, bad)
    if not article.category:
        bad("category is required")
    elif ref.categories is not None and article.category not in ref.categories:
        bad(f"unknown category {article.category!r}: use one of {_names(ref.categories)}")
    if article.product and ref.products is not None and article.product not in ref.products:
        bad(f"unknown product {article.product!r}: see `helpdesk product list`")
    if len(article.tags) > TAGS_MAX:
        bad(f"{len(article.tags)} tags; at most {TAGS_MAX}")
    for tag in article.tags:
        if not tag.strip() or len(tag) > TAG_MAX:
            bad(f"tag {tag!r} must be 1 to {TAG_MAX} characters")
    if not article.nodes:
        bad("the article has no nodes: add a question, solution or escalation")
    elif len(article.nodes) > MAX_NODES:
        bad(f"{len(article.nodes):,} nodes; an article may have at most {MAX_NODES:,}")
    if article.nodes and not article.start:
        bad("no start node: set the node the walk begins at")
    elif article.start and article.start not in {n.id for n in article.nodes}:
        bad(f"the start node {article.start!r} does not exist")
    return out


def _node_problems(node: Node, ids: set[str], ref: Reference) -> list[Problem]:
    out: list[Problem] = []

    def bad(message: str) -> None:
        out.append(Problem(node.id, message))

    if not KEY.match(node.id):
        bad("node ids must be lower-case letters, digits, _ and - (at most 64)")
    if node.kind == QUESTION:
        _text_problems(node.text, "question", TEXT_MAX, bad)
        _text_problems(node.hint, "hint", TEXT_MAX, bad, required=False)
        for branch, target in node.branches():
            if not target:
                bad(f"the {branch!r} branch is missing: link it to a node")
            elif target not in ids:
                bad(f"the {branch!r} branch leads to unknown node {target!r}")
    elif node.kind == SOLUTION:
        _text_problems(node.text, "solution title", TITLE_MAX, bad)
        _text_problems(node.steps, "solution's list of steps", STEPS_MAX, bad)
    elif node.kind == ESCALATION:
        _text_problems(node.text, "escalation title", TITLE_MAX, bad)
        _text_problems(node.record, "list of what to record", TEXT_MAX, bad)
        if node.level is None and not node.department:
            bad("an escalation needs a level (2, 3 or external) or a department, or both")
        if node.level is not None and node.level not in LEVELS:
            bad(f"unknown level {node.level!r}: use 2, 3 or external")
        if (
            node.department
            and ref.departments is not None
            and node.department not in ref.departments
        ):
            bad(f"unknown department {node.department!r}: use one of {_names(ref.departments)}")
    else:
        bad(f"unknown kind {node.kind!r}: use question, solution or escalation")
    return out


def _text_problems(value: str, label: str, limit: int, bad: Any, required: bool = True) -> None:
    if required and not (value or "").strip():
        bad(f"the {label} is empty")
    elif len(value or "") > limit:
        bad(f"the {label} is {len(value):,} characters long; the limit is {limit:,}")


def _names(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def _graph_problems(article: Article) -> list[Problem]:
    index = article.index()
    out: list[Problem] = []
    if article.start in index:
        reached = reachable(article)
        out += [
            Problem(n.id, "not reachable from the start: link a branch to it or delete it")
            for n in article.nodes
            if n.id not in reached
        ]
    out += _cycles(article, index)
    return out


def reachable(article: Article) -> set[str]:
    """Ids of the nodes a walk can reach from the start (breadth first, no recursion)."""
    index = article.index()
    if article.start not in index:
        return set()
    seen = {article.start}
    queue = [article.start]
    while queue:
        node = index[queue.pop()]
        for _, target in node.branches():
            if target in index and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _cycles(article: Article, index: dict[str, Node]) -> list[Problem]:
    """One problem per branch that closes a cycle (iterative depth-first search)."""
    grey, black = 1, 2
    colour: dict[str, int] = {}
    out: list[Problem] = []
    roots = ([article.start] if article.start in index else []) + list(index)
    for root in roots:
        if root in colour:
            continue
        colour[root] = grey
        path = [root]
        stack = [iter(index[root].branches())]
        while stack:
            for branch, target in stack[-1]:
                if target not in index:
                    continue
                state = colour.get(target)
                if state == grey:
                    loop = path[path.index(target) :] + [target]
                    shown = " -> ".join(loop if len(loop) <= 8 else [*loop[:4], "...", *loop[-3:]])
                    out.append(Problem(path[-1], f"the {branch!r} branch makes a cycle: {shown}"))
                elif state is None:
                    colour[target] = grey
                    path.append(target)
                    stack.append(iter(index[target].branches()))
                    break
            else:
                colour[path.pop()] = black
                stack.pop()
    return out


@dataclass(frozen=True)
class TreeRow:
    """One line of a tree view: the node, how deep, and the branch that leads to it."""

    node: Node
    depth: int
    branch: str | None  # 'yes' / 'no'; None for the start and for unreachable nodes
    repeat: bool = False  # a shared node already shown above: its branches are not repeated
    reachable: bool = True


def tree_rows(article: Article) -> list[TreeRow]:
    """The article as a tree, start first (depth first, yes before no), then unreachable nodes.

    A node shared by several branches is shown in full once and as a ``repeat``
    afterwards; branches to missing nodes are skipped (validation names them).
    """
    index = article.index()
    rows: list[TreeRow] = []
    shown: set[str] = set()
    stack: list[tuple[str, int, str | None]] = []
    if article.start in index:
        stack.append((article.start, 0, None))
    while stack:
        node_id, depth, branch = stack.pop()
        if node_id in shown:
            rows.append(TreeRow(index[node_id], depth, branch, repeat=True))
            continue
        shown.add(node_id)
        node = index[node_id]
        rows.append(TreeRow(node, depth, branch))
        for b, target in reversed(list(node.branches())):
            if target in index:
                stack.append((target, depth + 1, b))
    for node in article.nodes:
        if node.id not in shown:
            shown.add(node.id)
            rows.append(TreeRow(node, 0, None, reachable=False))
    return rows
