"""Knowledge articles as YAML files: one article per file, the key is the file's stem.

The format, readable and diff-friendly (see ``data/kb/*.yaml``)::

    title: Printer will not print
    category: printer            # a key from data/categories.yaml
    product: hp_laserjet_m507    # optional: a catalogue product key
    tags: [printer, paper jam]   # optional
    start: powered               # the node the walk begins at
    nodes:
      - id: powered
        question: Is the printer switched on?
        hint: The display on the front panel is lit.   # optional
        if_yes: error_shown
        if_no: power_on

      - id: power_on
        solution: Switch the printer on
        steps: |-
          1. ...

      - id: to_desktop
        escalate: Printer hardware fault
        level: 2                 # 2, 3 or external (and/or a department)
        department: Desktop
        record: |-
          The printer's name and the error on its display.

(``if_yes``/``if_no`` rather than ``yes``/``no``: YAML 1.1 readers take a bare
``yes`` for a boolean.) :func:`emit_article` writes the canonical form: keys in
this order, a blank line between nodes, multi-line text as ``|-`` blocks, text
quoted only where YAML needs it. Parsing a canonical file and emitting it again
gives the same bytes, which is what ``kb export`` after ``kb import`` relies on.
Surrounding blanks of every text are dropped when a file is read.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Hashable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidInput, NotFound
from .knowledge_tree import ESCALATION, QUESTION, SOLUTION, Article, Node, Problem
from .transitions import EXTERNAL

#: Files above this size are refused unread.
MAX_FILE_BYTES = 1024 * 1024
SUFFIXES = (".yaml", ".yml")

_TOP_KEYS = ("title", "category", "product", "tags", "start", "nodes")
_KIND_KEYS = {"question": QUESTION, "solution": SOLUTION, "escalate": ESCALATION}
_NODE_KEYS = {
    QUESTION: ("id", "question", "hint", "if_yes", "if_no"),
    SOLUTION: ("id", "solution", "steps"),
    ESCALATION: ("id", "escalate", "level", "department", "record"),
}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that refuses a key given twice instead of keeping the last one."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable):
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} is given twice", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


class _Flow(list):  # type: ignore[type-arg]
    """A list written on one line: ``tags: [a, b]``."""


#: Line breaks other than ``\n`` that PyYAML's single-quoted and block styles fold away.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")


def _str(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    if any(b in value for b in _ODD_BREAKS):
        style = '"'  # escaped as \N, \L, \P so they come back as they were
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


# -- writing -----------------------------------------------------------------------------------


def emit_article(article: Article) -> str:
    """The canonical YAML text of an article."""
    doc: dict[str, Any] = {"title": article.title, "category": article.category}
    if article.product:
        doc["product"] = article.product
    if article.tags:
        doc["tags"] = _Flow(article.tags)
    if article.start:
        doc["start"] = article.start
    doc["nodes"] = [_node_doc(n) for n in article.nodes]
    text = yaml.dump(
        doc,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("  - id: ") and lines and lines[-1] != "nodes:":
            lines.append("")  # a blank line between nodes: small, readable diffs
        lines.append(line)
    return "\n".join(lines) + "\n"


def _node_doc(node: Node) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": node.id}
    if node.kind == QUESTION:
        doc["question"] = node.text
        if node.hint:
            doc["hint"] = node.hint
        if node.yes:
            doc["if_yes"] = node.yes
        if node.no:
            doc["if_no"] = node.no
    elif node.kind == SOLUTION:
        doc["solution"] = node.text
        doc["steps"] = node.steps
    else:
        doc["escalate"] = node.text
        if node.level is not None:
            doc["level"] = "external" if node.level == EXTERNAL else node.level
        if node.department:
            doc["department"] = node.department
        doc["record"] = node.record
    return doc


def content_hash(article: Article) -> str:
    """Identifies an article's content (the key left out); cheaper than emitting YAML."""
    data = [
        article.title,
        article.category,
        article.product,
        list(article.tags),
        article.start,
        [n.to_data() for n in article.nodes],
    ]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- reading -----------------------------------------------------------------------------------


def parse_article(text: str, key: str) -> tuple[Article | None, list[Problem]]:
    """An article from YAML text, and the problems found in its shape.

    Graph and reference problems are :func:`knowledge_tree.check`'s job; this
    reports what stops the text being read as an article at all.
    """
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        where = ""
        if exc.problem_mark is not None:
            where = f" (line {exc.problem_mark.line + 1}, column {exc.problem_mark.column + 1})"
        return None, [Problem(None, f"not valid YAML: {exc.problem or exc.context}{where}")]
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, [Problem(None, f"not valid YAML: {first}")]
    except RecursionError:
        return None, [Problem(None, "not valid YAML: nested too deeply")]
    if not isinstance(data, dict):
        return None, [Problem(None, "expected a mapping with title, category, start and nodes")]
    problems: list[Problem] = []

    def bad(message: str, node: str | None = None) -> None:
        problems.append(Problem(node, message))

    for name in data:
        if name not in _TOP_KEYS:
            bad(f"unknown key {name!r}: use {', '.join(_TOP_KEYS)}")
    title = _text(data, "title", bad)
    category = _text(data, "category", bad)
    product = _text(data, "product", bad) or None
    start = _text(data, "start", bad) or None
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        bad("'tags' must be a list of words, e.g. [printer, toner]")
        tags = []
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list):
        bad("'nodes' must be a list of questions, solutions and escalations")
        raw_nodes = []
    nodes = [n for i, raw in enumerate(raw_nodes, 1) if (n := _node(raw, i, bad)) is not None]
    article = Article(key, title, category, product, tuple(t.strip() for t in tags), start)
    return article.with_nodes(nodes), problems


def _text(data: dict[str, Any], name: str, bad: Any, node: str | None = None) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        bad(f"{name!r} must be text, got {value!r} (put it in quotes)", node)
        return ""
    return value.strip()


def _node(raw: Any, number: int, bad: Any) -> Node | None:
    if not isinstance(raw, dict):
        bad(f"node number {number} must be a mapping with id and question, solution or escalate")
        return None
    node_id = raw.get("id")
    if not isinstance(node_id, str) or not node_id.strip():
        bad(f"node number {number} has no id (an 'id: some_name' line)")
        return None
    node_id = node_id.strip()
    kinds = [k for k in _KIND_KEYS if k in raw]
    if len(kinds) != 1:
        found = " and ".join(repr(k) for k in kinds) or "none"
        bad(f"a node needs exactly one of 'question', 'solution' or 'escalate' ({found})", node_id)
        return None
    kind = _KIND_KEYS[kinds[0]]
    for name in raw:
        if name not in _NODE_KEYS[kind]:
            bad(f"a {kind} has no {name!r} (its keys: {', '.join(_NODE_KEYS[kind])})", node_id)
    text = _text(raw, kinds[0], bad, node_id)
    if kind == QUESTION:
        return Node.question(
            node_id,
            text,
            _text(raw, "if_yes", bad, node_id) or None,
            _text(raw, "if_no", bad, node_id) or None,
            hint=_text(raw, "hint", bad, node_id),
        )
    if kind == SOLUTION:
        return Node.solution(node_id, text, _text(raw, "steps", bad, node_id))
    level = raw.get("level")
    if isinstance(level, str) and level.strip() == "external":
        level = EXTERNAL
    elif level is not None and (isinstance(level, bool) or not isinstance(level, int)):
        bad(f"unknown level {level!r}: use 2, 3 or external", node_id)
        level = None  # a number other than 2 or 3 is named by the tree check
    return Node.escalation(
        node_id,
        text,
        _text(raw, "record", bad, node_id),
        level,
        _text(raw, "department", bad, node_id) or None,
    )


@dataclass(frozen=True)
class ArticleFile:
    """One file read: the article (None when it could not be read) and its problems."""

    path: Path
    article: Article | None
    problems: tuple[Problem, ...]


def article_paths(path: Path) -> list[Path]:
    """The article files a path names: the file itself, or a directory's *.yaml files."""
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
        if not found:
            raise InvalidInput(f"{path}: no .yaml article files in this directory")
        return found
    if not path.exists():
        raise NotFound(f"{path}: no such file or directory")
    return [path]


def read_article(path: Path) -> ArticleFile:
    """Read and parse one file; too big, not UTF-8 or not YAML is one problem naming why."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _refused(path, f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        return _parsed(str(path), path.stat().st_mtime_ns, size)
    except OSError as exc:
        return _refused(path, f"cannot read it ({exc.strerror or exc})")


@functools.lru_cache(maxsize=256)
def _parsed(name: str, mtime_ns: int, size: int) -> ArticleFile:
    """Parsing is cached by (file, mtime, size): ``helpdesk init`` reads the starter files
    once per process however many desks it opens."""
    path = Path(name)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _refused(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at {exc.start})")
    article, problems = parse_article(text, path.stem)
    return ArticleFile(path, article, tuple(problems))


def _refused(path: Path, message: str) -> ArticleFile:
    return ArticleFile(path, None, (Problem(None, message),))


def starter_dir() -> Path:
    return Path(str(resources.files("helpdesk_tui") / "data" / "kb"))
