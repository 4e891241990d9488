"""Starter data shipped in ``helpdesk_tui/data``: departments, categories, tiers, catalogue.

Admins keep these files in git; loading them is idempotent and a malformed
file is refused with the file, the line, the entry and the field named, before
anything is written. Each ``load_*`` reads a file; each ``parse_*`` checks a
document already read (``helpdesk config import`` checks the database's current
model with the same rules, see :mod:`.config_io`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from ..store import Category, CategoryField, Department
from ..store.catalogue import ALL, ProductSpec, Tier  # issue 4: tiers and catalogue
from ..vocab import CHANNELS
from . import entitlements
from .config_yaml import at, item_at, read_yaml
from .errors import InvalidInput

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

#: The fields each entry may have: anything else is a typo, refused by name.
DEPARTMENT_FIELDS = ("name", "description")
CATEGORY_FIELDS = ("key", "name", "department", "fields")
FIELD_FIELDS = ("key", "label", "required", "help", "choices")
TIER_FIELDS = ("name", "description", "channels", "categories", "self_service")
PRODUCT_FIELDS = ("key", "name", "category", "department", "support_start", "end_of_support")

Source = Path | str


def data_file(name: str) -> Path:
    return Path(str(resources.files("helpdesk_tui") / "data" / name))


def _load_yaml(path: Path, _loader: Any = None) -> Any:
    """Read a data file (dates stay text; every entry knows its line)."""
    return read_yaml(path)


def entries(source: Source, data: Any, key: str) -> list[Any]:
    """The non-empty top-level list ``key:`` of a document."""
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{at(source, data, key)}: expected a '{key}:' list")
    return items


def known_fields(item: Any, where: str, fields: tuple[str, ...], source: Source) -> None:
    """Refuse a key that is not one of ``fields``, naming its own line."""
    for key in item:
        if key not in fields:
            raise InvalidInput(
                f"{at(source, item, key)}: {where}: unknown field {key!r} "
                f"(fields: {', '.join(fields)})"
            )


def _entry(source: Source, items: list[Any], index: int, noun: str) -> tuple[Any, str]:
    """Entry ``index`` and how refusals name it: ``file:line: noun N``."""
    return items[index], f"{item_at(source, items, index)}: {noun} {index + 1}"


def load_departments(path: Path | None = None) -> list[Department]:
    path = path or data_file("departments.yaml")
    return parse_departments(_load_yaml(path), path)


def parse_departments(data: Any, source: Source) -> list[Department]:
    items = entries(source, data, "departments")
    result: list[Department] = []
    for n in range(len(items)):
        item, where = _entry(source, items, n, "department")
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise InvalidInput(f"{where}: 'name' is required")
        name = str(item["name"]).strip()
        known_fields(item, f"department {n + 1} ({name})", DEPARTMENT_FIELDS, source)
        if any(d.name == name for d in result):
            raise InvalidInput(f"{where}: duplicate name {name!r}")
        result.append(Department(name, _str(item, "description", f"{where} ({name})")))
    return result


def load_categories(
    path: Path | None = None, departments: set[str] | None = None
) -> list[Category]:
    path = path or data_file("categories.yaml")
    return parse_categories(_load_yaml(path), path, departments)


def parse_categories(
    data: Any, source: Source, departments: set[str] | None = None
) -> list[Category]:
    items = entries(source, data, "categories")
    result: list[Category] = []
    seen: set[str] = set()
    for position in range(len(items)):
        item, where = _entry(source, items, position, "category")
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: expected a mapping")
        key = str(item.get("key", ""))
        if not _KEY.match(key):
            raise InvalidInput(f"{where}: 'key' must be lower_snake_case, got {key!r}")
        if key in seen:
            raise InvalidInput(f"{where}: duplicate key {key!r}")
        seen.add(key)
        known_fields(item, f"category {position + 1} ({key})", CATEGORY_FIELDS, source)
        department = item.get("department")
        if departments is not None and department is not None and department not in departments:
            raise InvalidInput(f"{where} ({key}): unknown department {department!r}")
        result.append(
            Category(
                key=key,
                name=str(item.get("name") or key),
                department=department,
                fields=_fields(
                    item.get("fields") or [],
                    f"category {position + 1} ({key})",
                    source,
                    at(source, item, "fields"),
                ),
                position=position,
            )
        )
    return result


def _fields(items: Any, label: str, source: Source, here: str) -> tuple[CategoryField, ...]:
    """A category's system details; ``label`` names the category ("category 2 (phone)")."""
    if not isinstance(items, list):
        raise InvalidInput(f"{here}: {label}: 'fields' must be a list")
    fields: list[CategoryField] = []
    for n, item in enumerate(items, 1):
        where = f"{item_at(source, items, n - 1)}: {label}: field {n}"
        if not isinstance(item, dict) or not _KEY.match(str(item.get("key", ""))):
            raise InvalidInput(f"{where}: 'key' must be lower_snake_case")
        key = item["key"]
        known_fields(item, f"{label}: field {n} ({key})", FIELD_FIELDS, source)
        if any(f.key == key for f in fields):
            raise InvalidInput(f"{where}: duplicate key {key!r}")
        where = f"{where} ({key})"
        choices = item.get("choices") or []
        if not isinstance(choices, list):
            raise InvalidInput(f"{where}: 'choices' must be a list")
        required = item.get("required", False)
        if not isinstance(required, bool):
            raise InvalidInput(f"{where}: 'required' must be true or false")
        fields.append(
            CategoryField(
                key=key,
                label=str(item.get("label") or key),
                required=required,
                help=str(item.get("help") or ""),
                choices=tuple(str(c) for c in choices),
            )
        )
    return tuple(fields)


# -- issue 4: tiers and the catalogue (helper: catalogue) -----------------------------------


def load_tiers(path: Path | None = None, categories: set[str] | None = None) -> list[Tier]:
    """Tiers from data/tiers.yaml: channels and categories checked against the vocabulary."""
    path = path or data_file("tiers.yaml")
    return parse_tiers(_load_yaml(path), path, categories)


def parse_tiers(data: Any, source: Source, categories: set[str] | None = None) -> list[Tier]:
    items = entries(source, data, "tiers")
    result: list[Tier] = []
    for position in range(len(items)):
        item, where = _entry(source, items, position, "tier")
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: expected a mapping")
        name = str(item.get("name", ""))
        if not _KEY.match(name):
            raise InvalidInput(f"{where}: 'name' must be lower_snake_case, got {name!r}")
        if any(t.name == name for t in result):
            raise InvalidInput(f"{where}: duplicate name {name!r}")
        known_fields(item, f"tier {position + 1} ({name})", TIER_FIELDS, source)
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
        raise InvalidInput(
            f"{at(source, data, 'tiers')}: the 'basic' tier is required (new customers get it)"
        )
    return result


def load_catalogue(
    path: Path | None = None,
    categories: dict[str, str | None] | None = None,
    departments: set[str] | None = None,
) -> list[ProductSpec]:
    """Products from data/catalogue.yaml; ``categories`` maps each key to its department."""
    path = path or data_file("catalogue.yaml")
    return parse_catalogue(_load_yaml(path), path, categories, departments)


def parse_catalogue(
    data: Any,
    source: Source,
    categories: dict[str, str | None] | None = None,
    departments: set[str] | None = None,
) -> list[ProductSpec]:
    items = entries(source, data, "products")
    result: list[ProductSpec] = []
    for n in range(len(items)):
        item, where = _entry(source, items, n, "product")
        if not isinstance(item, dict):
            raise InvalidInput(f"{where}: expected a mapping")
        try:
            key = entitlements.product_key(str(item.get("key", "")))
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: 'key': {exc}") from None
        if any(p.key == key for p in result):
            raise InvalidInput(f"{where}: duplicate key {key!r}")
        known_fields(item, f"product {n + 1} ({key})", PRODUCT_FIELDS, source)
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
