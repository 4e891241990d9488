"""Starter data shipped in ``helpdesk_tui/data``: departments and categories.

Admins keep these files in git; loading them is idempotent and a malformed
file is refused with the file and the entry named, before anything is
written.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..store import Category, CategoryField, Department
from .errors import InvalidInput

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def data_file(name: str) -> Path:
    return Path(str(resources.files("helpdesk_tui") / "data" / name))


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"{path}: cannot read it as YAML ({first})") from None


def load_departments(path: Path | None = None) -> list[Department]:
    path = path or data_file("departments.yaml")
    data = _load_yaml(path)
    items = data.get("departments") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{path}: expected a 'departments:' list")
    result = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise InvalidInput(f"{path}: department {n}: 'name' is required")
        result.append(Department(str(item["name"]).strip(), str(item.get("description", ""))))
    return result


def load_categories(
    path: Path | None = None, departments: set[str] | None = None
) -> list[Category]:
    path = path or data_file("categories.yaml")
    data = _load_yaml(path)
    items = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{path}: expected a 'categories:' list")
    result: list[Category] = []
    seen: set[str] = set()
    for position, item in enumerate(items):
        where = f"{path}: category {position + 1}"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: expected a mapping")
        key = str(item.get("key", ""))
        if not _KEY.match(key):
            raise InvalidInput(f"{where}: 'key' must be lower_snake_case, got {key!r}")
        if key in seen:
            raise InvalidInput(f"{where}: duplicate key {key!r}")
        seen.add(key)
        department = item.get("department")
        if departments is not None and department is not None and department not in departments:
            raise InvalidInput(f"{where} ({key}): unknown department {department!r}")
        result.append(
            Category(
                key=key,
                name=str(item.get("name") or key),
                department=department,
                fields=_fields(item.get("fields") or [], f"{where} ({key})"),
                position=position,
            )
        )
    return result


def _fields(items: Any, where: str) -> tuple[CategoryField, ...]:
    if not isinstance(items, list):
        raise InvalidInput(f"{where}: 'fields' must be a list")
    fields: list[CategoryField] = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not _KEY.match(str(item.get("key", ""))):
            raise InvalidInput(f"{where}: field {n}: 'key' must be lower_snake_case")
        choices = item.get("choices") or []
        if not isinstance(choices, list):
            raise InvalidInput(f"{where}: field {item['key']}: 'choices' must be a list")
        fields.append(
            CategoryField(
                key=item["key"],
                label=str(item.get("label") or item["key"]),
                required=bool(item.get("required", False)),
                help=str(item.get("help", "")),
                choices=tuple(str(c) for c in choices),
            )
        )
    return tuple(fields)
