"""A walk through one article version, one yes/no answer at a time (pure, no storage).

A walk holds the snapshot it started on, so an admin publishing a new version
meanwhile changes nothing for the agent on the phone. ``answer`` and ``back``
move it; the path (each question and its answer) is kept and read out as one
line for the ticket's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import InvalidInput
from .knowledge_tree import ESCALATION, QUESTION, SOLUTION, Article, Node

SOLVED, ESCALATED, ABANDONED = "solved", "escalated", "abandoned"
OUTCOMES = (SOLVED, ESCALATED, ABANDONED)

_ANSWERS = {"y": True, "yes": True, "n": False, "no": False}


def parse_answer(answer: bool | str) -> bool:
    """``True``/``False`` or what an agent types: y, yes, n, no (any case)."""
    if isinstance(answer, bool):
        return answer
    found = _ANSWERS.get(str(answer).strip().lower())
    if found is None:
        raise InvalidInput(f"answer {answer!r} is not yes or no: type y or n (b goes back)")
    return found


@dataclass(frozen=True)
class Step:
    """A question that was answered on the way."""

    node: str
    question: str
    answer: bool

    @property
    def word(self) -> str:
        return "yes" if self.answer else "no"


class Walk:
    """An agent's walk through one version of an article."""

    def __init__(
        self,
        article: Article,
        version: int | None,
        *,
        article_id: int,
        agent: str,
        started_at: datetime,
        ticket_id: int | None = None,
        contact_id: int | None = None,
        preview: bool = False,
    ) -> None:
        if article.start is None or article.node(article.start) is None:
            raise InvalidInput(f"article {article.key!r} has no start node to walk from")
        self.article = article
        self.version = version  # None: a preview of the draft
        self.article_id = article_id
        self.agent = agent
        self.started_at = started_at
        self.ticket_id = ticket_id
        self.contact_id = contact_id
        self.preview = preview
        self._index = article.index()
        self._steps: list[Step] = []
        self.current = article.start

    @property
    def node(self) -> Node:
        return self._index[self.current]

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps)

    @property
    def finished(self) -> bool:
        """On a solution or an escalation: nothing left to ask."""
        return self.node.kind != QUESTION

    @property
    def outcome(self) -> str | None:
        """Where the walk ended if it was finished now: solved, escalated, or None."""
        return {SOLUTION: SOLVED, ESCALATION: ESCALATED}.get(self.node.kind)

    def answer(self, answer: bool | str) -> Node:
        """Follow the yes or no branch of the current question."""
        yes = parse_answer(answer)
        node = self.node
        if node.kind != QUESTION:
            raise InvalidInput(
                f"the walk has reached {node.label()}: nothing left to answer (b goes back)"
            )
        target = node.yes if yes else node.no
        if target is None or target not in self._index:
            branch = "yes" if yes else "no"
            raise InvalidInput(f"the {branch!r} branch of node {node.id} is not linked yet")
        self._steps.append(Step(node.id, node.text, yes))
        self.current = target
        return self.node

    def back(self) -> Node:
        """Undo the last answer."""
        if not self._steps:
            raise InvalidInput("already at the first question")
        self.current = self._steps.pop().node
        return self.node

    def path(self) -> list[tuple[str, str | None]]:
        """(node, answer) for the statistics; the last entry is where the walk is now."""
        return [(s.node, s.word) for s in self._steps] + [(self.current, None)]

    def path_text(self, outcome: str | None = None) -> str:
        """``Q: Is it on? -> yes; Q: ... -> no; reached: solution 'Clear the jam'``."""
        parts = [f"Q: {_one_line(s.question)} -> {s.word}" for s in self._steps]
        outcome = outcome or self.outcome
        if outcome == ABANDONED:
            parts.append(f"stopped at: {_one_line(self.node.label())} (didn't help)")
        else:
            parts.append(f"reached: {_one_line(self.node.label())}")
        return "; ".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())
