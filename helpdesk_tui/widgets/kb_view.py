"""How knowledge articles look in the console: result lines, the path so far, the node now.

Pure rendering into Rich ``Text`` (never markup), so an admin's node text
such as ``[@click=app.quit]`` or an ESC sequence shows literally. Shared by
the search, the walk and the tree editor.
"""

from __future__ import annotations

from rich.text import Text

from ..desk.knowledge_base import ArticleSummary
from ..desk.knowledge_tree import ESCALATION, QUESTION, SOLUTION, Node
from ..desk.knowledge_walk import Walk
from ..textsafe import clip, printable

KIND_STYLES = {QUESTION: "bold", SOLUTION: "bold green", ESCALATION: "bold yellow"}
KIND_WORDS = {QUESTION: "Q", SOLUTION: "solution", ESCALATION: "escalate"}


def one_line(text: str) -> str:
    return printable(" ".join((text or "").split()), single_line=True)


def summary_line(article: ArticleSummary, width: int = 60) -> Text:
    """One search result: title, then category, product, tags and version, dimmed."""
    line = Text()
    line.append(clip(article.title or article.key, width), style="bold")
    details = [article.category or "", article.product or ""]
    details.append(", ".join(article.tags[:4]))
    line.append("  " + clip(" · ".join(d for d in details if d), 45), style="dim")
    if article.version is None:
        line.append("  draft only, never published", style="italic yellow")
    else:
        line.append(f"  v{article.version}", style="dim")
        if article.has_draft:
            line.append(" (draft being edited)", style="dim italic")
    return line


def path_text(walk: Walk) -> Text:
    """Every question answered so far, numbered, with its answer."""
    out = Text()
    steps = walk.steps
    if not steps:
        out.append("No questions answered yet: this is the first one.", style="dim")
        return out
    for number, step in enumerate(steps, 1):
        out.append(f"{number:>2}. ", style="dim")
        out.append(one_line(step.question))
        out.append("  -> ")
        out.append(step.word, style="bold green" if step.answer else "bold red")
        if number < len(steps):
            out.append("\n")
    return out


def node_text(node: Node, *, heading: bool = True) -> Text:
    """The node the walk is at (or the editor has selected), in full."""
    out = Text()
    if node.kind == QUESTION:
        if heading:
            out.append("Question\n", style="dim")
        out.append(printable(node.text.strip()), style="bold")
        if node.hint.strip():
            out.append("\n\nHow to check: ", style="italic cyan")
            out.append(printable(node.hint.strip()), style="italic")
    elif node.kind == SOLUTION:
        out.append("Solution: ", style="bold green")
        out.append(printable(node.text.strip()), style="bold")
        if node.steps.strip():
            out.append("\n\n")
            out.append(printable(node.steps.strip()))
    elif node.kind == ESCALATION:
        out.append("Escalate: ", style="bold yellow")
        out.append(printable(node.text.strip()), style="bold")
        if node.target():
            out.append("\nSend to: ", style="dim")
            out.append(printable(node.target(), single_line=True))
        if node.record.strip():
            out.append("\n\nRecord for the next line:\n", style="dim")
            out.append(printable(node.record.strip()))
    else:
        out.append(f"({one_line(node.kind)}) ", style="dim")
        out.append(printable(node.text))
    return out


def node_label(node: Node, branch: str | None = None, *, width: int = 70) -> Text:
    """One line for a tree view: ``yes -> Q: Is it on?  [id]``."""
    line = Text()
    if branch:
        line.append(f"{branch} ", style="bold green" if branch == "yes" else "bold red")
        line.append("-> ", style="dim")
    line.append(f"{KIND_WORDS.get(node.kind, node.kind)}: ", style=KIND_STYLES.get(node.kind, ""))
    line.append(clip(node.text, width) if node.text.strip() else "(empty)")
    if node.kind == ESCALATION and node.target():
        line.append(f" ({one_line(node.target())})", style="yellow")
    line.append(f"  [{one_line(node.id)}]", style="dim")
    return line
