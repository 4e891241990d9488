"""The demo desk's text pools, read from ``data/demo_*.yaml``.

The words live in data files (DESIGN.md: demo generator inputs are readable
text that admins can keep in git), so that a reviewer judges the demo's
realism, or adapts it to their own desk, without reading code. This module
only loads them into the tuples and dicts the generator indexes millions of
times, and checks the few things the generator relies on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .starter import data_file


@dataclass(frozen=True)
class Template:
    """One kind of problem: the ticket's texts, its fixes, and the fields it implies."""

    title: str
    summary: str
    description: str
    resolutions: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load(data_file(name).read_text(encoding="utf-8"))


def _template(item: dict[str, Any]) -> Template:
    return Template(
        item["title"],
        item["summary"],
        item["description"],
        tuple(item["resolutions"]),
        dict(item.get("fields") or {}),
    )


_people = _load("demo_people.yaml")
_tickets = _load("demo_tickets.yaml")
_words = _load("demo_words.yaml")

STAFF: tuple[tuple[str, str, str, int, str], ...] = tuple(
    (s["login"], s["name"], s["role"], s["level"], s["department"]) for s in _people["staff"]
)
FIRST_NAMES: tuple[str, ...] = tuple(_people["first_names"].split())
LAST_NAMES: tuple[str, ...] = tuple(_people["last_names"].split())
ORGS: tuple[tuple[str, str], ...] = tuple((n, d) for n, d in _people["organisations"])
MARKUP_CUSTOMER: tuple[str, str, str] = tuple(  # type: ignore[assignment]
    _people["markup_customer"][k] for k in ("name", "email", "org")
)
_equipment = _people["equipment"]
OPERATING_SYSTEMS: tuple[str, ...] = tuple(_equipment["operating_systems"])
MEMORY: tuple[str, ...] = tuple(_equipment["memory"])
MODELS: tuple[str, ...] = tuple(_equipment["models"])
MAC_MODELS: tuple[str, ...] = tuple(_equipment["mac_models"])
PHONE_MODELS: tuple[str, ...] = tuple(_equipment["phone_models"])
SITES: tuple[str, ...] = tuple(_equipment["sites"])
FLOORS: tuple[str, ...] = tuple(_equipment["floors"])
SYSTEMS: tuple[str, ...] = tuple(_equipment["systems"])
SHARES: tuple[str, ...] = tuple(_equipment["shares"])
MAIL_CLIENTS: tuple[str, ...] = tuple(_equipment["mail_clients"])
VENDORS: tuple[tuple[str, str], ...] = tuple((n, p) for n, p in _people["vendors"])

_weights = _people["weights"]
CHANNEL_WEIGHTS: dict[str, float] = _weights["channels"]
PRIORITY_WEIGHTS: dict[str, float] = _weights["priorities"]
TIER_WEIGHTS: dict[str, float] = _weights["tiers"]
CATEGORY_WEIGHTS: dict[str, float] = _weights["categories"]
OPEN_STATUS_WEIGHTS: dict[str, float] = _weights["open_statuses"]
HANDLING_MINUTES: dict[str, tuple[int, int]] = {
    channel: (low, high) for channel, (low, high) in _people["handling_minutes"].items()
}

TEMPLATES: dict[str, tuple[Template, ...]] = {
    category: tuple(_template(t) for t in items)
    for category, items in _tickets["templates"].items()
}
OUTAGES: dict[str, Template] = {c: _template(t) for c, t in _tickets["outages"].items()}
OUTAGE_QUESTIONS: dict[str, str] = dict(_tickets["outage_answers"])
TRICKY: tuple[tuple[Template, str], ...] = tuple(
    (_template(t), t["category"]) for t in _tickets["tricky"]
)

QUESTIONS: tuple[str, ...] = tuple(_words["questions"])
FOLLOW_UPS: tuple[str, ...] = tuple(_words["follow_ups"])
NOTES: tuple[str, ...] = tuple(_words["notes"])
TRIED: tuple[str, ...] = tuple(_words["tried"])
ESCALATION_REASONS: tuple[str, ...] = tuple(_words["escalation_reasons"])
TRANSFER_REASONS: tuple[str, ...] = tuple(_words["transfer_reasons"])
INFO_QUESTIONS: tuple[str, ...] = tuple(_words["info_questions"])
ANSWERS: tuple[str, ...] = tuple(_words["answers"])
SOLUTIONS: tuple[str, ...] = tuple(_words["solutions"])
UPDATES: tuple[str, ...] = tuple(_words["updates"])


def _check() -> None:
    """Values that go into JSON by plain formatting must need no escaping."""
    plain = [*OPERATING_SYSTEMS, *MEMORY, *MODELS, *MAC_MODELS, *PHONE_MODELS, *SITES, *FLOORS]
    plain += [*SYSTEMS, *SHARES, *MAIL_CLIENTS, *(v for v, _ in VENDORS), *(d for _, d in ORGS)]
    plain += [s[0] for s in STAFF] + [s[4] for s in STAFF]
    bad = [v for v in plain if not v.isascii() or any(ch in v for ch in '"\\{}')]
    if bad:
        raise ValueError(f"demo data: these values must be plain ASCII without quotes: {bad}")


_check()
