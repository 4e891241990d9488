"""A draft article as a Textual Tree: start first, yes before no, problems marked.

Each line's data is a :class:`Spot`: the node it shows, or a question's
missing branch (so ``l`` on it links that very branch). A node shared by
several branches is shown in full once and as a "shared" line elsewhere;
nodes no branch reaches are listed under their own heading. Nesting stops
at :data:`MAX_NEST` levels (deeper nodes are listed at that level), so a
500-level tree neither recurses too deep nor scrolls off to the right.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..desk.knowledge_tree import QUESTION, Article, tree_rows
from .kb_view import node_label, one_line

MAX_NEST = 16


@dataclass(frozen=True)
class Spot:
    """What a tree line stands for: a node, or the missing ``branch`` of question ``node``."""

    node: str
    branch: str | None = None  # set: a missing (or broken) branch of this question
    missing: bool = False
    via: tuple[str, str] | None = None  # (question, branch) that leads to this line


class DraftTree(Tree[Spot]):
    DEFAULT_CSS = """
    DraftTree { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("(no article)"), id=id)
        self.auto_expand = False
        self.guide_depth = 2
        self.nodes_by_id: dict[str, TreeNode[Spot]] = {}

    def show(self, article: Article, problem_nodes: set[str]) -> None:
        """Rebuild from the article; ``problem_nodes`` are marked with a red ``!``."""
        self.clear()
        root = self.root
        root.set_label(
            Text.assemble(
                (one_line(article.key), "bold"),
                (f"  {one_line(article.category)}", "dim"),
                (f"  start: {one_line(article.start or '-')}", "dim"),
            )
        )
        root.expand()
        self.nodes_by_id = {}
        stack: list[TreeNode[Spot]] = [root]
        orphans: TreeNode[Spot] | None = None
        index = article.index()
        broken: list[tuple[TreeNode[Spot], str, str | None]] = []
        path: list[str] = []  # node ids by (real) depth: the question a line hangs from
        for row in tree_rows(article):
            node = row.node
            via = None
            if row.reachable:
                del path[row.depth :]
                if row.branch and path:
                    via = (path[-1], row.branch)
                path.append(node.id)
            label = node_label(node, row.branch)
            if node.id in problem_nodes and not row.repeat:
                label = Text.assemble(("! ", "bold red"), label)
            if not row.reachable:
                if orphans is None:
                    orphans = root.add(
                        Text("Not reachable from the start (link a branch to them)", "bold red"),
                        expand=True,
                    )
                parent = orphans
            else:
                depth = min(row.depth, MAX_NEST)
                parent = stack[min(depth, len(stack) - 1)]
            if row.repeat:
                label.append("  (shared: shown above)", style="dim italic")
                parent.add_leaf(label, data=Spot(node.id, via=via))
                continue
            if node.kind == QUESTION:
                added = parent.add(label, data=Spot(node.id, via=via), expand=True)
                if row.reachable:
                    del stack[min(row.depth, MAX_NEST) + 1 :]
                    stack.append(added)
                broken += [
                    (added, branch, target)
                    for branch, target in node.branches()
                    if not target or target not in index
                ]
            else:
                added = parent.add_leaf(label, data=Spot(node.id, via=via))
            self.nodes_by_id.setdefault(node.id, added)
        for question, branch, target in broken:  # after the children: yes first, no last
            what = "missing: link it (l)" if not target else f"unknown node {one_line(target)}"
            question.add_leaf(
                Text.assemble(
                    (f"{branch} ", "bold green" if branch == "yes" else "bold red"),
                    ("-> ", "dim"),
                    (f"({what})", "bold red"),
                ),
                data=Spot(question.data.node if question.data else "", branch, missing=True),
                before=0 if branch == "yes" else None,
            )

    def spot(self) -> Spot | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def select_id(self, node_id: str | None) -> bool:
        """Move the cursor to a node's line (its full one, not a shared repeat)."""
        found = self.nodes_by_id.get(node_id or "")
        if found is None:
            return False
        parent = found.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self._tree_lines  # noqa: B018 - builds the lines so the node has its line number
        self.move_cursor(found)
        return True
