"""The tree editor (admins): the draft as a tree, edited node by node with the keyboard.

Every edit is one facade call (the ``kb.edit`` rule refuses anyone else, with
its message) carrying the draft revision this screen showed, so a colleague's
edit made meanwhile is never overwritten silently. The draft's problems are
listed beside the tree after every edit; enter on one jumps to its node.
Publishing refuses a draft with problems; ``w`` walks the draft as an agent
would (recording nothing) and ``h`` lists the published versions.

Keys: ``a`` add a node (linked from the selected question's branch), ``e`` or
enter edit it, ``x`` delete it, ``l`` re-link a branch, ``s`` make it the
start, ``t`` title, category, product and tags, ``v`` the problems, ``w``
preview walk, ``u`` publish, ``h`` history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static, Tree
from textual.widgets.option_list import Option

from ..desk import DeskError
from ..desk.knowledge_base import ArticleVersion
from ..desk.knowledge_ops import free_id
from ..desk.knowledge_tree import ESCALATION, LEVELS, QUESTION, SOLUTION, Article, Node
from ..widgets.bulletin_bar import BulletinBar
from ..widgets.kb_tree import DraftTree, Spot
from ..widgets.kb_view import node_label, node_text, one_line
from ..widgets.topbar import TopBar
from .base import DeskScreen
from .dialogs import Choose
from .form_dialog import Field, FormDialog
from .kb_history import KbHistoryScreen
from .kb_walk import WalkFor, WalkScreen

if TYPE_CHECKING:
    from .knowledge import KnowledgeScreen

KIND_CHOICES = (
    (QUESTION, "Question: a yes branch and a no branch"),
    (SOLUTION, "Solution: the steps to give the customer"),
    (ESCALATION, "Escalation: where to send it and what to record"),
)
#: The "nothing chosen" value of the editor's choices (node ids never start with "-").
NONE = "-"
LEVEL_CHOICES = ((NONE, "no particular level"),) + tuple(
    (str(level), name) for level, name in LEVELS.items()
)
ID_PREFIX = {QUESTION: "q", SOLUTION: "sol", ESCALATION: "esc"}


def _short(node: Node) -> str:
    return one_line(node.label())[:60]


class KbEditorScreen(DeskScreen):
    DEFAULT_CSS = """
    KbEditorScreen #ed-title { height: auto; padding: 0 1; background: $boost; }
    KbEditorScreen #ed-main { height: 1fr; }
    KbEditorScreen #ed-tree { width: 3fr; border: round $accent; }
    KbEditorScreen #ed-side { width: 2fr; }
    KbEditorScreen #ed-node { height: 1fr; padding: 0 1; border: round $panel; }
    KbEditorScreen #ed-problems { height: auto; max-height: 12; border: round $error; }
    KbEditorScreen #ed-keys { height: auto; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add node", id="kbed.add"),
        Binding("e", "edit", "Edit node", id="kbed.edit"),
        Binding("x,delete", "delete", "Delete node", id="kbed.delete"),
        Binding("l", "link", "Link branch", id="kbed.link"),
        Binding("s", "start", "Make start", show=False, id="kbed.start"),
        Binding("t", "details", "Title/tags", show=False, id="kbed.details"),
        Binding("v", "problems", "Problems", id="kbed.problems"),
        Binding("w", "preview", "Preview walk", id="kbed.preview"),
        Binding("u", "publish", "Publish", id="kbed.publish"),
        Binding("h", "history", "History", show=False, id="kbed.history"),
        Binding("ctrl+d", "discard", "Discard draft", show=False, id="kbed.discard"),
        Binding("r", "reload", "Reload", show=False, id="kbed.reload"),
        Binding("escape", "back", "Back", id="kbed.back"),
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.draft: ArticleVersion | None = None
        self.problem_nodes: list[str | None] = []  # the node of each listed problem

    def compose(self) -> ComposeResult:
        yield TopBar(getattr(self.app, "current_mode", "knowledge"))
        yield BulletinBar()
        yield Static(f"Opening the draft of {self.key}…", id="ed-title", markup=False)
        with Horizontal(id="ed-main"):
            yield DraftTree(id="ed-tree")
            with Vertical(id="ed-side"):
                with VerticalScroll(id="ed-node"):
                    yield Static(id="ed-node-text", markup=False)
                yield OptionList(id="ed-problems")
        yield Static(id="ed-keys", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ed-problems").border_title = "Problems (enter jumps to the node)"
        self.query_one("#ed-tree").border_title = "Draft"
        keys = Text(
            "a add · e edit · x delete · l link a branch · s make start · t title/tags · "
            "v problems · w preview walk · u publish · h history · ctrl+d discard draft · "
            "r reload · esc back",
            style="dim",
        )
        self.query_one("#ed-keys", Static).update(keys)
        self.watch(self.helpdesk, "data_generation", lambda _g: self.load(), init=False)
        self.load(first=True)

    @property
    def tree(self) -> DraftTree:
        return self.query_one(DraftTree)

    # -- loading and showing --------------------------------------------------------------------
    def load(self, select: str | None = None, *, first: bool = False) -> None:
        key = self.key
        self.run_desk(
            lambda: self.desk.kb_draft_or_published(key),
            lambda draft: self.show(draft, select),
            failed=self._refused if first else self.report,
            group="kb-draft",
            exclusive=True,
        )

    def _refused(self, error: DeskError) -> None:
        self.report(error)
        self.dismiss()

    def show(self, draft: ArticleVersion, select: str | None = None) -> None:
        """Show a (new revision of the) draft, keeping or moving the selection."""
        old = self.draft
        if (
            select is None
            and old is not None
            and (old.revision, old.based_on, old.at) == (draft.revision, draft.based_on, draft.at)
        ):
            return  # another console wrote something else: nothing to redraw
        spot = self.tree.spot() if self.draft is not None else None
        keep = select or (spot.node if spot else None) or draft.article.start
        self.draft = draft
        article = draft.article
        title = Text()
        title.append("Draft of ", style="dim")
        title.append(one_line(article.title) or "(untitled)", style="bold")
        based = f"based on v{draft.based_on}" if draft.based_on else "never published"
        edits = f"revision {draft.revision}" if draft.revision else "no changes yet"
        title.append(f"  · {based} · {edits} · {len(article.nodes)} nodes · ")
        count = len(draft.problems)
        if count:
            title.append(f"{count} problem{'s' if count != 1 else ''}", style="bold red")
        else:
            title.append("no problems: ready to publish (u)", style="bold green")
        self.query_one("#ed-title", Static).update(title)
        problem_nodes = {p.node for p in draft.problems if p.node}
        self.tree.show(article, problem_nodes)
        if not self.tree.select_id(keep):
            self.tree.move_cursor(self.tree.root)
        self._show_problems(draft)
        self._show_node()

    def _show_problems(self, draft: ArticleVersion) -> None:
        options = self.query_one("#ed-problems", OptionList)
        options.clear_options()
        self.problem_nodes = []
        for number, problem in enumerate(draft.problems):
            line = Text()
            where = f"node {problem.node}" if problem.node else "article"
            line.append(f"{one_line(where)}: ", style="bold")
            line.append(one_line(problem.message))
            options.add_option(Option(line, id=str(number)))
            self.problem_nodes.append(problem.node)
        if not draft.problems:
            options.add_option(
                Option(Text("No problems: the draft may be published"), disabled=True)
            )
        options.border_title = f"Problems: {len(draft.problems)} (enter jumps to the node)"

    def on_tree_node_highlighted(self, _event: Tree.NodeHighlighted[Spot]) -> None:
        self._show_node()

    def on_tree_node_selected(self, event: Tree.NodeSelected[Spot]) -> None:
        if event.node.data is not None:
            self.action_edit()

    def _show_node(self) -> None:
        draft = self.draft
        out = Text()
        spot = self.tree.spot()
        if draft is None:
            return
        article = draft.article
        node = article.node(spot.node) if spot else None
        if spot is None or node is None:
            out.append("The article\n", style="bold")
            out.append(f"Title: {one_line(article.title)}\nCategory: {one_line(article.category)}")
            out.append(f"\nProduct: {one_line(article.product or '-')}")
            out.append(f"\nTags: {one_line(', '.join(article.tags) or '-')}")
            out.append(f"\nStart: {one_line(article.start or '-')}")
            for message in draft.problems_at(None):
                out.append(f"\n! {one_line(message)}", style="bold red")
            out.append("\n\nt changes these; a adds a node", style="dim")
        else:
            if spot.missing:
                out.append(f"The {spot.branch} branch of this question is not linked: ", "bold red")
                out.append("l links it, a adds a node there.\n\n", style="bold")
            out.append(f"[{one_line(node.id)}]", style="dim")
            if node.id == article.start:
                out.append("  start node", style="bold cyan")
            out.append("\n")
            out.append_text(node_text(node))
            index = article.index()
            for branch, target in node.branches():
                out.append(f"\n{branch} -> ", style="bold")
                linked = index.get(target or "")
                out.append_text(
                    node_label(linked) if linked else Text("(not linked)", style="bold red")
                )
            parents = article.parents(node.id)
            if parents:
                out.append("\nReached from: ", style="dim")
                out.append(", ".join(f"{one_line(p)} ({b})" for p, b in parents))
            for message in draft.problems_at(node.id):
                out.append(f"\n! {one_line(message)}", style="bold red")
        self.query_one("#ed-node-text", Static).update(out)

    # -- problems ---------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "ed-problems" or event.option.id is None:
            return
        node_id = self.problem_nodes[int(event.option.id)]
        if node_id is None:
            self.tree.move_cursor(self.tree.root)
        elif not self.tree.select_id(node_id):
            self.report(f"node {node_id} is not in the tree view")
        self.tree.focus()

    def action_problems(self) -> None:
        """Validate: the problems are listed; focus them (enter on one jumps to its node)."""
        if self.draft is None:
            return
        if not self.draft.problems:
            self.say("No problems: the draft may be published (u)")
            return
        options = self.query_one("#ed-problems", OptionList)
        options.highlighted = 0
        options.focus()

    # -- editing ----------------------------------------------------------------------------------
    def _selected(self) -> tuple[Spot | None, Node | None]:
        spot = self.tree.spot()
        if spot is None or self.draft is None:
            return spot, None
        return spot, self.draft.article.node(spot.node)

    def action_add(self) -> None:
        if self.draft is None:
            return
        spot, node = self._selected()

        def kind_chosen(kind: str | None) -> None:
            if kind:
                self._add_form(kind, spot, node)

        self.app.push_screen(Choose("Add which kind of node?", list(KIND_CHOICES)), kind_chosen)

    def _add_form(self, kind: str, spot: Spot | None, selected: Node | None) -> None:
        """Add a node, linked from a branch of the selected question, or put before the
        selected node (its parent's branch then leads to the new one), or unlinked."""
        assert self.draft is not None
        article, revision = self.draft.article, self.draft.revision
        index = article.index()
        links: list[tuple[str, str]] = [(NONE, "not linked (link it later with l)")]
        default = NONE
        if selected is not None and selected.kind == QUESTION and spot is not None:
            for branch, target in selected.branches():
                now = index.get(target or "")
                what = f"now: {_short(now)}" if now else "not linked yet"
                links.append(
                    (f"{selected.id}|{branch}", f"{selected.id}'s {branch} branch ({what})")
                )
            missing = [b for b, t in selected.branches() if not t or t not in index]
            branch = spot.branch if spot.missing and spot.branch else (missing or [None])[0]
            default = f"{selected.id}|{branch}" if branch else NONE
        if spot is not None and spot.via is not None and not spot.missing and selected:
            parent, branch = spot.via
            links.append(
                (f"{parent}|{branch}", f"{parent}'s {branch} branch, before {selected.id}")
            )
        if not article.nodes:
            links = [(NONE, "nothing: the first node is where walks start")]
        fields = self._node_fields(kind, None)
        fields.append(
            Field(
                "id",
                "Node id (letters, digits, _ and -)",
                initial=free_id(article, ID_PREFIX[kind]),
            )
        )
        fields.append(Field("link", "Linked from", "choice", tuple(links), default))

        def save(values: dict[str, str]) -> ArticleVersion:
            node = self._node_from(kind, values["id"].strip(), values)
            parent, _, branch = values["link"].partition("|")
            linked = values["link"] != NONE
            return self.desk.kb_add_node(
                self.key,
                node,
                parent=parent if linked else None,
                branch=branch if linked else None,
                expected_revision=revision,
            )

        article_word = "an" if kind == ESCALATION else "a"
        self._form(f"Add {article_word} {kind}", fields, save, lambda values: values["id"].strip())

    def action_edit(self) -> None:
        if self.draft is None:
            return
        spot, node = self._selected()
        if node is None:
            self.action_details()
            return
        if spot is not None and spot.missing:
            self.action_link()
            return
        revision = self.draft.revision

        def save(values: dict[str, str]) -> ArticleVersion:
            changed = self._node_from(node.kind, node.id, values)
            return self.desk.kb_update_node(self.key, changed, expected_revision=revision)

        self._form(
            f"Edit {node.kind} {node.id}",
            self._node_fields(node.kind, node),
            save,
            lambda _values: node.id,
        )

    def _node_fields(self, kind: str, node: Node | None) -> list[Field]:
        departments = ((NONE, "no particular department"),) + tuple(
            (d, d) for d in self.helpdesk.department_names
        )
        text = node.text if node else ""
        if kind == QUESTION:
            assert self.draft is not None
            targets = ((NONE, "not linked yet"),) + tuple(
                (n.id, f"{n.id}: {_short(n)}")
                for n in self.draft.article.nodes
                if node is None or n.id != node.id
            )
            return [
                Field("text", "Question (answered yes or no)", "text", initial=text),
                Field(
                    "hint",
                    "Hint: how to check (optional)",
                    "text",
                    initial=node.hint if node else "",
                ),
                Field(
                    "yes", "Yes leads to", "choice", targets, (node.yes if node else None) or NONE
                ),
                Field("no", "No leads to", "choice", targets, (node.no if node else None) or NONE),
            ]
        if kind == SOLUTION:
            return [
                Field("text", "Solution title", initial=text),
                Field(
                    "steps",
                    "Steps to give the customer",
                    "text",
                    initial=node.steps if node else "",
                ),
            ]
        level = str(node.level) if node and node.level is not None else "2"
        return [
            Field("text", "Escalation title", initial=text),
            Field("level", "Level", "choice", LEVEL_CHOICES, level),
            Field(
                "department",
                "Department",
                "choice",
                departments,
                (node.department if node else None) or NONE,
            ),
            Field(
                "record",
                "What to record for the next line",
                "text",
                initial=node.record if node else "",
            ),
        ]

    @staticmethod
    def _node_from(kind: str, node_id: str, values: dict[str, str]) -> Node:
        def chosen(name: str) -> str | None:
            value = values.get(name) or NONE
            return None if value == NONE else value

        if kind == QUESTION:
            return Node.question(
                node_id, values["text"], chosen("yes"), chosen("no"), values.get("hint", "")
            )
        if kind == SOLUTION:
            return Node.solution(node_id, values["text"], values.get("steps", ""))
        level = chosen("level") or ""
        return Node.escalation(
            node_id,
            values["text"],
            values.get("record", ""),
            level=int(level) if level.lstrip("-").isdigit() else None,
            department=chosen("department"),
        )

    def action_delete(self) -> None:
        spot, node = self._selected()
        if node is None or self.draft is None or (spot is not None and spot.missing):
            self.report("Select a node to delete")
            return
        revision = self.draft.revision

        def chosen(choice: str | None) -> None:
            if choice == "delete":
                self._change(
                    lambda: self.desk.kb_delete_node(self.key, node.id, expected_revision=revision),
                    f"Node {node.id} deleted; the branches that led to it are unlinked",
                )

        self.app.push_screen(
            Choose(
                f"Delete {one_line(node.label())[:60]} [{node.id}]?",
                [("keep", "Keep it"), ("delete", "Delete it: branches to it become unlinked")],
                "keep",
            ),
            chosen,
        )

    def action_link(self) -> None:
        spot, node = self._selected()
        if node is None or self.draft is None or spot is None:
            return
        if node.kind != QUESTION:
            self.report(
                f"{node.id} is a {node.kind}: only questions have branches; "
                "select the question that should lead here"
            )
            return
        if spot.missing and spot.branch:
            self._choose_target(node, spot.branch)
            return

        def branch_chosen(branch: str | None) -> None:
            if branch:
                self._choose_target(node, branch)

        index = self.draft.article.index()
        choices = []
        for branch, target in node.branches():
            now = index.get(target or "")
            choices.append(
                (branch, f"{branch}: now {one_line(now.label()) if now else 'not linked'}")
            )
        self.app.push_screen(Choose(f"Re-link which branch of {node.id}?", choices), branch_chosen)

    def _choose_target(self, node: Node, branch: str) -> None:
        assert self.draft is not None
        revision = self.draft.revision
        choices = [
            (n.id, Text.assemble(node_label(n)).plain)
            for n in self.draft.article.nodes
            if n.id != node.id
        ]
        choices.append(("-", "(unlink this branch)"))

        def chosen(target: str | None) -> None:
            if target is None:
                return
            linked = None if target == "-" else target
            self._change(
                lambda: self.desk.kb_link(
                    self.key, node.id, branch, linked, expected_revision=revision
                ),
                f"{node.id}: {branch} -> {linked or 'not linked'}",
                select=node.id,
            )

        current = getattr(node, branch) or ""
        self.app.push_screen(
            Choose(f"{node.id}: the {branch} branch leads to…", choices, current), chosen
        )

    def action_start(self) -> None:
        spot, node = self._selected()
        if node is None or self.draft is None:
            return
        revision = self.draft.revision
        self._change(
            lambda: self.desk.kb_set_start(self.key, node.id, expected_revision=revision),
            f"Walks now start at {node.id}",
            select=node.id,
        )

    def action_details(self) -> None:
        if self.draft is None:
            return
        article, revision = self.draft.article, self.draft.revision
        categories = tuple((c.key, c.name) for c in self.helpdesk.categories.values())
        products = (("", "no particular product"),) + tuple(self.helpdesk.products)
        fields = [
            Field("title", "Title", initial=article.title),
            Field("category", "Category", "choice", categories, article.category),
            Field("product", "Product", "choice", products, article.product or ""),
            Field("tags", "Tags (comma separated)", initial=", ".join(article.tags)),
        ]

        def save(values: dict[str, str]) -> ArticleVersion:
            return self.desk.kb_set_details(
                self.key,
                title=values["title"],
                category=values["category"],
                product=values["product"] or None,
                clear_product=not values["product"],
                tags=[t for t in values["tags"].split(",")],
                expected_revision=revision,
            )

        self._form(f"Article {article.key}", fields, save, lambda _v: None)

    # -- preview, publish, history -----------------------------------------------------------------
    def action_preview(self) -> None:
        if self.draft is None:
            return
        if not self.draft.article.start:
            self.report("The draft has no start node yet: add a node first")
            return
        self.app.push_screen(WalkScreen(self.key, WalkFor(preview=True)))

    def action_publish(self) -> None:
        draft = self.draft
        if draft is None:
            return
        if draft.problems:
            count = len(draft.problems)
            self.report(
                f"{count} problem{'s' if count != 1 else ''}: not published. "
                "Fix each one (enter on a problem jumps to its node)"
            )
            self.action_problems()
            return
        if not draft.revision:
            self.say(f"No changes since v{draft.based_on}: nothing to publish")
            return
        revision = draft.revision

        def published(version: ArticleVersion | None) -> None:
            if version is not None:
                self.say(
                    f"Published {one_line(version.article.title)} as version {version.version}"
                )
                self.dismiss()

        self.app.push_screen(
            FormDialog(
                f"Publish {one_line(draft.article.title)}",
                [Field("note", "What changed (optional, shown in the history)")],
                lambda values: self.desk.kb_publish(
                    self.key, values["note"], expected_revision=revision
                ),
                hint="Agents walk the new version from now on; walks in progress keep theirs.",
            ),
            published,
        )

    def action_discard(self) -> None:
        """Throw the draft away (asks first); the published version stays as it is."""
        draft = self.draft
        if draft is None or not draft.revision:
            self.say("There is no draft to discard")
            return

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self.run_desk(
                    lambda: self.desk.kb_discard_draft(self.key),
                    lambda _none: (self.say("Draft discarded"), self.load()),
                )

        self.app.push_screen(
            Choose(
                "Discard the draft and every change in it?",
                [
                    ("keep", "Keep the draft"),
                    ("discard", "Discard it: agents keep the published version"),
                ],
                "keep",
            ),
            chosen,
        )

    def action_history(self) -> None:
        self.app.push_screen(KbHistoryScreen(self.key))

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()

    # -- helpers ----------------------------------------------------------------------------------
    def _form(
        self,
        title: str,
        fields: list[Field],
        save: Callable[[dict[str, str]], ArticleVersion],
        select: Callable[[dict[str, str]], str | None],
    ) -> None:
        chosen: dict[str, str | None] = {}

        def saving(values: dict[str, str]) -> ArticleVersion:
            result = save(values)
            chosen["id"] = select(values)
            return result

        def closed(draft: ArticleVersion | None) -> None:
            if draft is not None:
                self.show(draft, chosen.get("id"))

        self.app.push_screen(FormDialog(title, fields, saving), closed)

    def _change(
        self, call: Callable[[], ArticleVersion], message: str, *, select: str | None = None
    ) -> None:
        def done(draft: ArticleVersion) -> None:
            self.say(message)
            self.show(draft, select)

        self.run_desk(call, done, group="kb-edit", exclusive=True)


def new_article(screen: KnowledgeScreen) -> None:
    """ctrl+n in the Knowledge section (admins): a new, empty draft, opened in the editor."""
    app = screen.helpdesk
    categories = tuple((c.key, c.name) for c in app.categories.values())
    products = (("", "no particular product"),) + tuple(app.products)
    fields = [
        Field("title", "Title (the problem as a customer would say it)"),
        Field("key", "Key, its file name (blank: made from the title)"),
        Field("category", "Category", "choice", categories),
        Field("product", "Product", "choice", products, ""),
        Field("tags", "Tags (comma separated)"),
    ]

    def save(values: dict[str, str]) -> Any:
        key = values["key"].strip() or free_id(Article("x", "", ""), values["title"])[:48]
        return screen.desk.kb_new_article(
            key,
            values["title"],
            values["category"],
            values["product"] or None,
            [t for t in values["tags"].split(",")],
        )

    def created(draft: ArticleVersion | None) -> None:
        if draft is not None:
            screen.say(f"Draft {draft.key} created: add its first node with a")
            screen.app.push_screen(KbEditorScreen(draft.key))

    screen.app.push_screen(FormDialog("New knowledge article", fields, save), created)
