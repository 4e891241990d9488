"""Edits of a draft article as pure functions: each returns a new :class:`Article`.

An edit refuses what can never be right (a second node with the same id, a
link to a node that does not exist, a branch on a solution) at once; what is
merely unfinished (an empty text, a missing branch, an unreachable node) is
left for :func:`knowledge_tree.check`, which lists it per node before publish.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .errors import InvalidInput, NotFound
from .knowledge_tree import BRANCHES, KEY, KINDS, QUESTION, Article, Node


def _known(article: Article, node_id: str) -> Node:
    node = article.node(node_id)
    if node is None:
        raise NotFound(f"article {article.key!r} has no node {node_id!r}", field="node")
    return node


def _id(node_id: str) -> str:
    node_id = (node_id or "").strip()
    if not KEY.match(node_id):
        raise InvalidInput(
            f"node id {node_id!r} must be lower-case letters, digits, _ and - (at most 64)",
            field="id",
        )
    return node_id


def _branch(branch: str) -> str:
    branch = (branch or "").strip().lower()
    if branch in ("y", "n"):
        branch = {"y": "yes", "n": "no"}[branch]
    if branch not in BRANCHES:
        raise InvalidInput(f"unknown branch {branch!r}: use yes or no", field="branch")
    return branch


def add_node(
    article: Article, node: Node, parent: str | None = None, branch: str | None = None
) -> Article:
    """Append a node; link ``parent``'s ``branch`` to it when given; the first node starts."""
    node = replace(node, id=_id(node.id))
    if node.kind not in KINDS:
        raise InvalidInput(f"unknown kind {node.kind!r}: use question, solution or escalation")
    if article.node(node.id) is not None:
        raise InvalidInput(f"node {node.id!r} already exists: choose another id", field="id")
    for _, target in node.branches():
        if target is not None:
            _known(article, target)
    result = article.with_nodes([*article.nodes, node])
    if article.start is None:
        result = replace(result, start=node.id)
    if parent is not None:
        result = link(result, parent, branch or "", node.id)
    return result


def update_node(article: Article, node: Node) -> Article:
    """Replace the node with the same id (its kind may change; a solution has no branches)."""
    _known(article, node.id)
    if node.kind not in KINDS:
        raise InvalidInput(f"unknown kind {node.kind!r}: use question, solution or escalation")
    for _, target in node.branches():
        if target is not None:
            _known(article, target)
    return article.with_nodes(node if n.id == node.id else n for n in article.nodes)


def delete_node(article: Article, node_id: str) -> Article:
    """Remove a node; branches that led to it are left unlinked for the admin to re-link."""
    _known(article, node_id)
    kept = []
    for n in article.nodes:
        if n.id == node_id:
            continue
        if n.yes == node_id or n.no == node_id:
            n = replace(n, yes=None if n.yes == node_id else n.yes)
            n = replace(n, no=None if n.no == node_id else n.no)
        kept.append(n)
    return article.with_nodes(kept, start=None if article.start == node_id else article.start)


def link(article: Article, node_id: str, branch: str, target: str | None) -> Article:
    """Point a question's yes or no branch at ``target`` (None unlinks it)."""
    node = _known(article, node_id)
    branch = _branch(branch)
    if node.kind != QUESTION:
        raise InvalidInput(f"node {node_id!r} is a {node.kind}: only questions have branches")
    if target is not None:
        _known(article, target)
    changed = replace(node, **{branch: target})
    return article.with_nodes(changed if n.id == node_id else n for n in article.nodes)


def set_start(article: Article, node_id: str) -> Article:
    _known(article, node_id)
    return replace(article, start=node_id)


def free_id(article: Article, wanted: str) -> str:
    """``wanted`` made a valid id not yet used in the article (``wanted_2``, ``_3``...)."""
    base = re.sub(r"[^a-z0-9_-]+", "_", wanted.lower()).strip("_-")[:56] or "node"
    if not base[0].isalnum():
        base = "n" + base
    taken = {n.id for n in article.nodes}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    return candidate
