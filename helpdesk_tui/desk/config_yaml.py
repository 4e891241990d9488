"""The service model's YAML, read with line numbers and written in one canonical form.

Admins keep departments, categories, tiers, the catalogue, calendars and SLA plans
as YAML files in git (issue 4). Reading them:

* every mapping and list read comes back as a :class:`LineDict` / :class:`LineList`
  (plain ``dict``/``list`` subclasses) that remember the line of each entry and key,
  so a refusal names ``file:line`` as well as the entry and the field;
* a key given twice is refused (PyYAML would silently keep the last one);
* dates stay text (``2026-13-01`` is then reported with its entry and field, not as
  a YAML error), and a file that is not UTF-8 or not YAML is refused with the line
  where reading stopped.

Writing (``helpdesk config export``): block style, lists of short words on one line,
multi-line text as ``|`` blocks, no line wrapping, so that reading a written file and
writing it again gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidInput

#: Files above this size are refused unread: a service model is a few kilobytes.
MAX_FILE_BYTES = 1024 * 1024


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping read from a file: ``line`` of its first key, ``lines[key]`` of each key."""

    line: int | None = None
    lines: dict[Any, int]


class LineList(list):  # type: ignore[type-arg]
    """A list read from a file: ``line`` where it starts, ``lines[i]`` of each item."""

    line: int | None = None
    lines: list[int]


class _Loader(yaml.SafeLoader):
    """Safe YAML with line numbers, no implicit dates, and no key given twice."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in rules if tag != "tag:yaml.org,2002:timestamp"]
        for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

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


def _map(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.lines = {}
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, Hashable):
            data.lines[key] = key_node.start_mark.line + 1


def _seq(loader: _Loader, node: yaml.SequenceNode) -> Any:
    data = LineList()
    data.line = node.start_mark.line + 1
    data.lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _seq)


def read_yaml(path: Path) -> Any:
    """Parse one file; unreadable, too big, not UTF-8 or not YAML is refused in one line."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInput(
                f"{path}: the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return parse_yaml(raw, path)


def parse_yaml(raw: bytes | str, source: Path | str) -> Any:
    """Parse text or bytes read from ``source`` (named in refusals)."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InvalidInput(
                f"{source}:{line}: cannot read it as YAML (not UTF-8 text: byte "
                f"0x{raw[exc.start]:02x} in column {column}; save the file as UTF-8)"
            ) from None
    else:
        text = raw
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark is not None else str(source)
        problem = exc.problem or exc.context or "not YAML"
        raise InvalidInput(f"{where}: cannot read it as YAML ({problem})") from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"{source}: cannot read it as YAML ({first})") from None


def at(source: Path | str, node: Any = None, key: Any = None) -> str:
    """``source:line`` for an entry (or one of its keys) read from a file, else ``source``.

    Entries that were not read from a file (the database's current model, checked
    alongside an imported file) have no line and are named by their source alone.
    """
    line = None
    if key is not None and isinstance(node, LineDict):
        line = node.lines.get(key)
    if line is None:
        line = getattr(node, "line", None)
    return f"{source}:{line}" if line else str(source)


def item_at(source: Path | str, items: Any, index: int) -> str:
    """``source:line`` of item ``index`` (0-based) of a list read from a file."""
    if isinstance(items, LineList) and index < len(items.lines):
        return f"{source}:{items.lines[index]}"
    return at(source, items)


# -- writing -------------------------------------------------------------------------------------


class Flow(list):  # type: ignore[type-arg]
    """A list written on one line: ``channels: [email, chat]``."""


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


#: Line breaks other than ``\n`` that PyYAML's plain and block styles would fold away.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


def _str(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    if any(b in value for b in _ODD_BREAKS):
        style = '"'  # escaped, so they come back as they were
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(
    Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)
_Dumper.add_representer(
    date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat())
)


def emit_yaml(doc: dict[str, Any], header: str = "") -> str:
    """The canonical text of a document, after a ``#`` comment header."""
    body = yaml.dump(
        doc,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + body
