"""The service model as documents: what ``helpdesk config export`` writes and import reads.

Six files, one per part of the model, in the format of the starter data in
``helpdesk_tui/data`` (so ``helpdesk config import helpdesk_tui/data`` works too):
departments, categories, tiers, the catalogue, calendars and SLA plans with their
matrix. :func:`documents` turns a :class:`ServiceModel` into canonical documents and
:func:`parse_model` checks documents with the very parsers ``helpdesk init`` uses, so
the two agree on every rule; reading an exported file and exporting again gives the
same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..store import Category, Department
from ..store.catalogue import ALL, ProductSpec, Tier
from ..store.sla import CalendarSpec, MatrixEntry, SlaPlan
from ..vocab import PRIORITIES
from .config_yaml import Flow
from .sla_data import CRITICAL_KEY, DAYS, parse_calendars, parse_sla
from .starter import parse_catalogue, parse_categories, parse_departments, parse_tiers

#: The parts of the model, in the order they are checked (each refers to earlier ones).
KINDS: tuple[str, ...] = ("departments", "categories", "tiers", "catalogue", "calendars", "sla")
#: The file each part is exported to.
FILE_NAMES: dict[str, str] = {kind: f"{kind}.yaml" for kind in KINDS}
#: The top-level keys of each part's document.
SECTIONS: dict[str, tuple[str, ...]] = {
    "departments": ("departments",),
    "categories": ("categories",),
    "tiers": ("tiers",),
    "catalogue": ("products",),
    "calendars": ("calendars",),
    "sla": ("plans", "matrix"),
}
SECTION_KIND: dict[str, str] = {key: kind for kind, keys in SECTIONS.items() for key in keys}

_IMPORT = "Exported by `helpdesk config export`; edit it and load it with `helpdesk config import`."
HEADERS: dict[str, str] = {
    "departments": f"""Departments that tickets are routed to.
Each: name, description.
{_IMPORT}""",
    "categories": f"""Ticket categories and the system details the desk captures for each.
Each: key (lower_snake_case), name, department (takes its level-2 work), and
fields: key, label, required (default false), help, choices.
A category left out is retired: its tickets keep it, new tickets cannot use it.
{_IMPORT}""",
    "tiers": f"""Customer tiers and what each one entitles to.
Each: name, description, channels (phone, email, walk-in, chat, portal, social,
or all), categories (keys from categories.yaml, or all), and self_service: the
pointer an agent gives a customer who is not entitled. 'basic' is required.
{_IMPORT}""",
    "catalogue": f"""The catalogue of supported products and services.
Each: key, name, category, department, support_start and end_of_support
(YYYY-MM-DD, the last day of support; left out while open-ended).
{_IMPORT}""",
    "calendars": f"""Business-hours calendars the SLA plans count their clocks on.
Each: name, timezone (IANA, e.g. Europe/Madrid), hours (a weekday or a range
such as mon-fri -> "HH:MM-HH:MM" intervals; a day left out is closed),
holidays (YYYY-MM-DD), or always_open: true for 24/7.
{_IMPORT}""",
    "sla": f"""SLA plans and which plan a ticket gets.
Each plan: name, calendar, first_response, courtesy, resolution (e.g. 30m, 8h,
1h30m) and pause_statuses (triage, waiting_customer, waiting_vendor).
matrix: tier -> priority -> plan; business_critical: a plan for flagged and
urgent tickets (one plan, or priority -> plan).
{_IMPORT}""",
}


@dataclass(frozen=True)
class ServiceModel:
    """Everything ``helpdesk config`` exports and imports, as the store keeps it."""

    departments: tuple[Department, ...]
    categories: tuple[Category, ...]
    tiers: tuple[Tier, ...]
    products: tuple[ProductSpec, ...]
    calendars: tuple[CalendarSpec, ...]
    plans: tuple[SlaPlan, ...]
    matrix: tuple[MatrixEntry, ...]


# -- model -> documents --------------------------------------------------------------------------


def documents(model: ServiceModel) -> dict[str, dict[str, Any]]:
    """The canonical document of each part, by kind."""
    return {
        "departments": {"departments": [_department(d) for d in model.departments]},
        "categories": {"categories": [_category(c) for c in model.categories]},
        "tiers": {"tiers": [_tier(t) for t in model.tiers]},
        "catalogue": {"products": [_product(p) for p in model.products]},
        "calendars": {"calendars": [_calendar(c) for c in model.calendars]},
        "sla": {
            "plans": [_plan(p) for p in model.plans],
            "matrix": _matrix(model.tiers, model.matrix),
        },
    }


def _department(d: Department) -> dict[str, Any]:
    return {"name": d.name, "description": d.description}


def _category(c: Category) -> dict[str, Any]:
    doc: dict[str, Any] = {"key": c.key, "name": c.name}
    if c.department is not None:
        doc["department"] = c.department
    fields = []
    for f in c.fields:
        field: dict[str, Any] = {"key": f.key, "label": f.label}
        if f.required:
            field["required"] = True
        if f.help:
            field["help"] = f.help
        if f.choices:
            field["choices"] = Flow(f.choices)
        fields.append(field)
    doc["fields"] = fields
    return doc


def _names(values: tuple[str, ...]) -> Any:
    return "all" if ALL in values else Flow(values)


def _tier(t: Tier) -> dict[str, Any]:
    return {
        "name": t.name,
        "description": t.description,
        "channels": _names(t.channels),
        "categories": _names(t.categories),
        "self_service": t.self_service,
    }


def _product(p: ProductSpec) -> dict[str, Any]:
    doc: dict[str, Any] = {"key": p.key, "name": p.name, "category": p.category}
    if p.department is not None:
        doc["department"] = p.department
    if p.support_start is not None:
        doc["support_start"] = p.support_start
    if p.end_of_support is not None:
        doc["end_of_support"] = p.end_of_support
    return doc


def weekly_ranges(weekly: dict[int, tuple[tuple[str, str], ...]]) -> list[tuple[str, list[str]]]:
    """Consecutive days with the same hours as one range: ``("mon-fri", ["08:00-18:00"])``."""
    result: list[tuple[str, list[str]]] = []
    day = 0
    while day < 7:
        spans = tuple(weekly.get(day, ()))
        last = day
        while last + 1 < 7 and tuple(weekly.get(last + 1, ())) == spans:
            last += 1
        if spans:
            name = DAYS[day][:3] if last == day else f"{DAYS[day][:3]}-{DAYS[last][:3]}"
            result.append((name, [f"{a}-{b}" for a, b in spans]))
        day = last + 1
    return result


def _calendar(c: CalendarSpec) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": c.name, "timezone": c.timezone}
    if c.always_open:
        doc["always_open"] = True
        return doc
    doc["hours"] = {name: Flow(spans) for name, spans in weekly_ranges(c.weekly)}
    doc["holidays"] = [date.fromisoformat(h) for h in c.holidays]
    return doc


def duration(minutes: int) -> str:
    """90 -> "1h30m", 480 -> "8h", 30 -> "30m": what sla.yaml reads back as the same."""
    hours, rest = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")


def _plan(p: SlaPlan) -> dict[str, Any]:
    return {
        "name": p.name,
        "calendar": p.calendar,
        "first_response": duration(p.first_response_minutes),
        "courtesy": duration(p.courtesy_minutes),
        "resolution": duration(p.resolution_minutes),
        "pause_statuses": Flow(p.pause_statuses),
    }


def _matrix(tiers: tuple[Tier, ...], entries: tuple[MatrixEntry, ...]) -> dict[str, Any]:
    order = [t.name for t in tiers] + sorted({e.tier for e in entries} - {t.name for t in tiers})
    doc: dict[str, Any] = {}
    for tier in order:
        rows = [e for e in entries if e.tier == tier]
        if not rows:
            continue
        row: dict[str, Any] = {
            e.priority: e.plan
            for p in PRIORITIES
            for e in rows
            if e.priority == p and not e.business_critical
        }
        critical = {
            e.priority: e.plan
            for p in PRIORITIES
            for e in rows
            if e.priority == p and e.business_critical
        }
        if critical:
            same = set(critical.values())
            whole = len(critical) == len(PRIORITIES) and len(same) == 1
            row[CRITICAL_KEY] = same.pop() if whole else critical
        doc[tier] = row
    return doc


# -- documents -> model --------------------------------------------------------------------------


def parse_model(docs: dict[str, tuple[Any, Path | str]]) -> ServiceModel:
    """Check every part against the parts it names; ``docs`` maps a kind to (document,
    where it came from). The first problem is raised as one line (file:line: entry: field)."""

    def doc(kind: str) -> tuple[Any, Path | str]:
        return docs[kind]

    departments = parse_departments(*doc("departments"))
    department_names = {d.name for d in departments}
    categories = parse_categories(*doc("categories"), departments=department_names)
    tiers = parse_tiers(*doc("tiers"), categories={c.key for c in categories})
    products = parse_catalogue(
        *doc("catalogue"),
        categories={c.key: c.department for c in categories},
        departments=department_names,
    )
    calendars = parse_calendars(*doc("calendars"))
    plans, matrix = parse_sla(
        *doc("sla"), calendars=[c.name for c in calendars], tiers=[t.name for t in tiers]
    )
    return ServiceModel(
        tuple(departments),
        tuple(categories),
        tuple(tiers),
        tuple(products),
        tuple(calendars),
        tuple(plans),
        tuple(matrix),
    )
