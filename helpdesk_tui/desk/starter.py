"""Starter data shipped in ``helpdesk_tui/data``: departments, categories, tiers, catalogue.

Admins keep these files in git; loading them is idempotent and a malformed
file is refused with the file and the entry named, before anything is
written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..store import Category, CategoryField, Department
from ..store.catalogue import ALL, ProductSpec, Tier  # issue 4: tiers and catalogue
from ..vocab import CHANNELS
from . import entitlements
from .errors import InvalidInput

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def data_file(name: str) -> Path:
    return Path(str(resources.files("helpdesk_tui") / "data" / name))


class _TextDates(yaml.SafeLoader):
    """Leaves dates as text, so a bad one is reported with its entry and field (issue 4)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in rules if tag != "tag:yaml.org,2002:timestamp"]
    for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(path: Path, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
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


# -- issue 4: tiers and the catalogue (helper: catalogue) -----------------------------------


def load_tiers(path: Path | None = None, categories: set[str] | None = None) -> list[Tier]:
    """Tiers from data/tiers.yaml: channels and categories checked against the vocabulary."""
    path = path or data_file("tiers.yaml")
    data = _load_yaml(path)
    items = data.get("tiers") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{path}: expected a 'tiers:' list")
    result: list[Tier] = []
    for position, item in enumerate(items):
        where = f"{path}: tier {position + 1}"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: expected a mapping")
        name = str(item.get("name", ""))
        if not _KEY.match(name):
            raise InvalidInput(f"{where}: 'name' must be lower_snake_case, got {name!r}")
        if any(t.name == name for t in result):
            raise InvalidInput(f"{where}: duplicate name {name!r}")
        where = f"{where} ({name})"
        channels = _names(item.get("channels"), CHANNELS, where, "channels", "channel")
        if not channels:
            raise InvalidInput(f"{where}: 'channels' needs at least one channel")
        kinds = _names(item.get("categories"), categories, where, "categories", "category")
        result.append(
            Tier(
                name=name,
                description=_str(item, "description", where),
                channels=channels,
                categories=kinds,
                self_service=_str(item, "self_service", where),
                position=position,
            )
        )
    if not any(t.name == "basic" for t in result):
        raise InvalidInput(f"{path}: the 'basic' tier is required (new customers get it)")
    return result


def load_catalogue(
    path: Path | None = None,
    categories: dict[str, str | None] | None = None,
    departments: set[str] | None = None,
) -> list[ProductSpec]:
    """Products from data/catalogue.yaml; ``categories`` maps each key to its department."""
    path = path or data_file("catalogue.yaml")
    data = _load_yaml(path, _TextDates)
    items = data.get("products") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{path}: expected a 'products:' list")
    result: list[ProductSpec] = []
    for n, item in enumerate(items, 1):
        where = f"{path}: product {n}"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: expected a mapping")
        try:
            key = entitlements.product_key(str(item.get("key", "")))
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: 'key': {exc}") from None
        if any(p.key == key for p in result):
            raise InvalidInput(f"{where}: duplicate key {key!r}")
        where = f"{where} ({key})"
        name = _str(item, "name", where)
        if not name:
            raise InvalidInput(f"{where}: 'name' is required")
        category = _str(item, "category", where)
        if not category or (categories is not None and category not in categories):
            raise InvalidInput(f"{where}: 'category': unknown category {category!r}")
        department = _str(item, "department", where) or None
        if department is None and categories is not None:
            department = categories[category]
        if department is not None and departments is not None and department not in departments:
            raise InvalidInput(f"{where}: 'department': unknown department {department!r}")
        dates = {}
        for field in ("support_start", "end_of_support"):
            try:
                dates[field] = entitlements.day(item.get(field), field)
            except InvalidInput:
                raise InvalidInput(
                    f"{where}: '{field}' {item.get(field)!r} is not a date: use YYYY-MM-DD"
                ) from None
        start, end = dates["support_start"], dates["end_of_support"]
        if start and end and end < start:
            raise InvalidInput(f"{where}: 'end_of_support' {end} is before 'support_start' {start}")
        result.append(ProductSpec(key, name, category, department, start, end))
    return result


def _str(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{where}: '{key}' must be text, got {value!r}")
    return value.strip()


def _names(
    value: Any, known: Iterable[str] | None, where: str, key: str, noun: str
) -> tuple[str, ...]:
    """A list of known names, or ``all`` (stored as the one-item list ``["*"]``)."""
    if value == "all":
        return (ALL,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{where}: '{key}' must be a list of {noun} names or 'all'")
    allowed = None if known is None else tuple(known)
    names: list[str] = []
    for name in value:
        if allowed is not None and name not in allowed:
            raise InvalidInput(
                f"{where}: '{key}': unknown {noun} {name!r} (use {', '.join(sorted(allowed))})"
            )
        if name not in names:
            names.append(name)
    return tuple(names)
