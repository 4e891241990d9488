"""``helpdesk config export DIR`` and ``helpdesk config import DIR|FILE`` (issue 4).

The admin-editable service model (departments, categories, tiers and entitlements,
the catalogue, calendars, SLA plans and their matrix) as readable YAML files that
admins keep in git. Export writes six canonical files (:mod:`.config_docs`); import
reads any of them, from a directory or one file, and makes the database match:

* **Validated first, all or nothing.** The parts imported are checked together with
  the parts left as they are in the database, by the same parsers ``helpdesk init``
  uses; then whatever the change would orphan (a tier customers are on, a product
  their assets name, a plan open tickets run on, a department users belong to) is
  refused. Only then is everything written, in one transaction. A refusal is one line
  naming the file, the line, the entry and the field; nothing is written.
* **The file is the whole truth** for the parts it holds: entries left out are removed
  (a category is retired instead: tickets keep naming it). Importing what was exported
  and exporting again gives the same files.
* Open tickets pick up changed plans and calendars at their next change, as after
  ``helpdesk init``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store.catalogue import ProductSpec
from .config_docs import (
    FILE_NAMES,
    HEADERS,
    KINDS,
    SECTION_KIND,
    SECTIONS,
    ServiceModel,
    documents,
    parse_model,
)
from .config_yaml import at, emit_yaml, read_yaml
from .errors import InvalidInput, NotFound
from .permissions import require

if TYPE_CHECKING:
    from .facade import Desk

#: The rule for exporting, importing and editing the service model.
ACTION = "service.admin"
SUFFIXES = (".yaml", ".yml")
_NOUNS = {
    "departments": "department",
    "categories": "category",
    "tiers": "tier",
    "catalogue": "product",
    "calendars": "calendar",
    "sla": "SLA plan",
}


@dataclass(frozen=True)
class Changes:
    """What an import did to one part of the model, by name."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True)
class ImportReport:
    """The files read (and skipped), and per part (a kind of :data:`KINDS`) what changed."""

    files: tuple[Path, ...]
    skipped: tuple[Path, ...]  # a directory's other .yaml files, not part of the model
    kinds: tuple[str, ...]  # the parts the files held
    changes: dict[str, Changes] = field(default_factory=dict)
    matrix_changed: bool = False

    @property
    def changed(self) -> bool:
        return self.matrix_changed or any(self.changes.values())


class ConfigMixin:
    # -- reading the model ---------------------------------------------------------------------
    def service_model(self: Desk) -> ServiceModel:
        """The service model as the database holds it now (active categories only)."""
        with self.store.session.lock:
            return ServiceModel(
                tuple(self.store.reference.departments()),
                tuple(self.store.reference.categories()),
                tuple(self.store.catalogue.tiers()),
                tuple(
                    ProductSpec(
                        p.key, p.name, p.category, p.department, p.support_start, p.end_of_support
                    )
                    for p in self.store.catalogue.products()
                ),
                tuple(self.store.sla.calendars()),
                tuple(self.store.sla.plans()),
                tuple(self.store.sla.matrix()),
            )

    def config_texts(self: Desk) -> dict[str, str]:
        """The text of each exported file, by file name (admins)."""
        require(self.actor, ACTION)
        docs = documents(self.service_model())
        return {FILE_NAMES[k]: emit_yaml(docs[k], HEADERS[k]) for k in KINDS}

    # -- export --------------------------------------------------------------------------------
    def export_config(self: Desk, directory: str | Path) -> list[Path]:
        """Write the six files into ``directory`` (created if needed); returns their paths."""
        texts = self.config_texts()
        target = Path(directory)
        if target.exists() and not target.is_dir():
            raise InvalidInput(f"{target}: not a directory: give a directory to export into")
        try:
            target.mkdir(parents=True, exist_ok=True)
            written = []
            for name, text in texts.items():
                written.append(_write(target / name, text))
        except OSError as exc:
            raise InvalidInput(f"{target}: cannot write there ({exc.strerror or exc})") from None
        return written

    # -- import --------------------------------------------------------------------------------
    def import_config(self: Desk, source: str | Path, *, check: bool = False) -> ImportReport:
        """Make the database's service model match the files (see the module docstring).

        ``check``: validate everything and report what would change, writing nothing.
        """
        require(self.actor, ACTION)
        files, others = _files(Path(source))
        given: dict[str, tuple[Any, Path]] = {}
        for path in files:
            data = read_yaml(path)
            for kind in _kinds_of(data, path, given):
                given[kind] = (data, path)
        current = self.service_model()
        docs: dict[str, tuple[Any, Path | str]] = {
            kind: (doc, f"{FILE_NAMES[kind]} (as in the database)")
            for kind, doc in documents(current).items()
        }
        before = parse_model(docs)  # the same form as what the files give, to compare
        docs.update(given)
        new = parse_model(docs)
        self._check_removals(before, new, given)
        if not check:
            with self.store.transaction():
                require(self.actor, ACTION)
                self._write_model(before, new)
        return ImportReport(
            tuple(files),
            tuple(others),
            tuple(k for k in KINDS if k in given),
            _changes(before, new),
            set(before.matrix) != set(new.matrix),
        )

    def _check_removals(
        self: Desk, before: ServiceModel, new: ServiceModel, given: dict[str, tuple[Any, Path]]
    ) -> None:
        """Refuse removing what the desk's records still name (the import is then refused)."""

        def refuse(kind: str, what: str, uses: dict[str, int], advice: str) -> None:
            used = [f"{n} {noun}{'s' if n != 1 else ''}" for noun, n in uses.items() if n]
            if used:
                data, path = given[kind]
                section = SECTIONS[kind][0]
                raise InvalidInput(
                    f"{at(path, data, section)}: '{section}': {what} is left out, but it is "
                    f"still used by {_and(used)}: {advice}"
                )

        keep_categories = [c.key for c in new.categories]
        for name in _gone(before.departments, new.departments, "name"):
            usage = self.store.reference.department_usage(name, keep_categories)
            refuse("departments", f"department {name!r}", usage, "keep it in the file")
        for name in _gone(before.tiers, new.tiers, "name"):
            count = self.store.catalogue.customers_on_tier(name)
            refuse(
                "tiers",
                f"tier {name!r}",
                {"customer": count},
                "move them first (`helpdesk customer set-tier`) or keep it",
            )
        for key in _gone(before.products, new.products, "key"):
            refuse(
                "catalogue",
                f"product {key!r}",
                self.store.catalogue.product_references(key),
                "keep it (an end_of_support date retires it)",
            )
        for name in _gone(before.plans, new.plans, "name"):
            count = self.store.sla.open_tickets_on_plan(name)
            refuse("sla", f"plan {name!r}", {"open ticket": count}, "keep it while they are open")

    def _write_model(self: Desk, before: ServiceModel, new: ServiceModel) -> None:
        """Inside the import's transaction, in the order the foreign keys need."""
        store = self.store
        store.sla.replace_matrix([])
        store.reference.upsert_departments(new.departments)
        store.reference.upsert_categories(new.categories)
        store.reference.retire_categories(c.key for c in new.categories)
        store.catalogue.upsert_tiers(new.tiers)
        store.catalogue.delete_tiers(_gone(before.tiers, new.tiers, "name"))
        old_products = {p.key: p for p in before.products}
        stamp = self._stamp()
        for spec in new.products:
            if spec.key not in old_products:
                store.catalogue.add_product(spec, stamp)
            elif old_products[spec.key] != spec:
                store.catalogue.update_product(spec)
        store.catalogue.delete_products(_gone(before.products, new.products, "key"))
        store.reference.delete_departments(_gone(before.departments, new.departments, "name"))
        store.sla.upsert_calendars(new.calendars)
        store.sla.upsert_plans(new.plans)
        store.sla.delete_plans(_gone(before.plans, new.plans, "name"))
        store.sla.delete_calendars(_gone(before.calendars, new.calendars, "name"))
        store.sla.replace_matrix(new.matrix)


# -- helpers ---------------------------------------------------------------------------------------


def _files(source: Path) -> tuple[list[Path], list[Path]]:
    """The files to read, and a directory's other .yaml files (not read, but reported).

    A directory holds the files export writes, by name (others, such as desk.yaml
    beside the starter data, are not part of the model); a file given by itself may
    have any name, and its sections say what it holds.
    """
    if source.is_dir():
        found = [source / n for n in FILE_NAMES.values() if (source / n).is_file()]
        if not found:
            names = ", ".join(FILE_NAMES.values())
            raise InvalidInput(f"{source}: none of {names} is in this directory")
        others = sorted(
            p
            for p in source.iterdir()
            if p.suffix in SUFFIXES and p.is_file() and p.name not in FILE_NAMES.values()
        )
        return found, others
    if not source.exists():
        raise NotFound(f"{source}: no such file or directory")
    return [source], []


def _kinds_of(data: Any, path: Path, given: dict[str, tuple[Any, Path]]) -> list[str]:
    """The parts a document holds, by its top-level keys; unknown keys are refused."""
    sections = ", ".join(SECTION_KIND)
    if not isinstance(data, dict) or not data:
        raise InvalidInput(f"{at(path, data)}: expected top-level sections ({sections})")
    kinds: list[str] = []
    for key in data:
        kind = SECTION_KIND.get(key) if isinstance(key, str) else None
        if kind is None:
            raise InvalidInput(f"{at(path, data, key)}: unknown section {key!r} ({sections})")
        if kind in given:
            raise InvalidInput(
                f"{at(path, data, key)}: '{key}' is also in {given[kind][1]}: give each part once"
            )
        if kind not in kinds:
            kinds.append(kind)
    return kinds


def _gone(before: Iterable[Any], after: Iterable[Any], attr: str) -> list[str]:
    kept = {getattr(x, attr) for x in after}
    return [getattr(x, attr) for x in before if getattr(x, attr) not in kept]


def _changes(before: ServiceModel, new: ServiceModel) -> dict[str, Changes]:
    result = {}
    for kind, attr, name in (
        ("departments", "departments", "name"),
        ("categories", "categories", "key"),
        ("tiers", "tiers", "name"),
        ("catalogue", "products", "key"),
        ("calendars", "calendars", "name"),
        ("sla", "plans", "name"),
    ):
        old = {getattr(x, name): x for x in getattr(before, attr)}
        now = {getattr(x, name): x for x in getattr(new, attr)}
        result[kind] = Changes(
            tuple(k for k in now if k not in old),
            tuple(k for k in now if k in old and old[k] != now[k]),
            tuple(k for k in old if k not in now),
        )
    return result


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _write(path: Path, text: str) -> Path:
    """Write via a temporary file in the same directory, so a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def noun(kind: str) -> str:
    """How one entry of a part is called: "tier", "product", "SLA plan"."""
    return _NOUNS[kind]
