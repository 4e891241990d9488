"""Starter data for SLA clocks: data/calendars.yaml and data/sla.yaml (issue 4).

Both files are validated whole before anything is written; a mistake is refused with a
one-line message naming the file, the entry and the field, e.g.
``sla.yaml: plan 3 (basic-high): 'calendar': unknown calendar 'ofice' (use 24x7, ...)``.
Calendar problems reuse the calendar module's own one-line ``CalendarError`` text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ..store.sla import DEFAULT_PAUSE_STATUSES, CalendarSpec, MatrixEntry, SlaPlan
from ..vocab import PRIORITIES
from .calendar import MIDNIGHT, BusinessCalendar, CalendarError
from .config_yaml import at, item_at
from .errors import InvalidInput
from .starter import Source, _load_yaml, data_file, entries

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_DURATION = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$")
_INTERVAL = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Statuses a plan may pause in (an open ticket in any other status is being worked).
PAUSABLE = ("triage", "waiting_customer", "waiting_vendor")
CRITICAL_KEY = "business_critical"

_CALENDAR_FIELDS = ("name", "timezone", "hours", "holidays", "always_open")
_PLAN_FIELDS = (
    "name",
    "calendar",
    "first_response",
    "courtesy",
    "resolution",
    "pause_statuses",
)


def to_calendar(spec: CalendarSpec) -> BusinessCalendar:
    """The domain's calendar from its stored form (raises ``CalendarError`` if unusable)."""
    return BusinessCalendar.create(
        spec.name, spec.timezone, spec.weekly, spec.holidays, spec.always_open
    )


# -- calendars.yaml ------------------------------------------------------------------------


def load_calendars(path: Path | None = None) -> list[CalendarSpec]:
    path = path or data_file("calendars.yaml")
    return parse_calendars(_load_yaml(path), path)


def parse_calendars(data: Any, source: Source) -> list[CalendarSpec]:
    items = entries(source, data, "calendars")
    result: list[CalendarSpec] = []
    for n, item in enumerate(items, 1):
        where = f"{item_at(source, items, n - 1)}: calendar {n}"
        name = _name(item, where, _CALENDAR_FIELDS, [c.name for c in result], source)
        where = f"{where} ({name})"
        timezone = item.get("timezone")
        if not isinstance(timezone, str) or not timezone.strip():
            raise InvalidInput(f"{where}: 'timezone' is required (an IANA zone: Europe/Madrid)")
        always_open = item.get("always_open", False)
        if not isinstance(always_open, bool):
            raise InvalidInput(f"{where}: 'always_open' must be true or false")
        hours = _hours(item.get("hours"), where)
        holidays = _holidays(item.get("holidays"), where)
        if always_open and (hours or holidays):
            field = "hours" if hours else "holidays"
            raise InvalidInput(f"{where}: '{field}': a 24/7 calendar (always_open) takes none")
        try:
            cal = BusinessCalendar.create(name, timezone.strip(), hours, holidays, always_open)
        except CalendarError as exc:
            text = str(exc)
            field = "timezone" if "time zone" in text else "hours"
            raise InvalidInput(f"{where}: '{field}': {text}") from None
        result.append(_spec(cal))
    return result


def _spec(cal: BusinessCalendar) -> CalendarSpec:
    def hhmm(moment: Any, end: bool = False) -> str:
        return "24:00" if end and moment == MIDNIGHT else moment.strftime("%H:%M")

    weekly = {
        day: tuple((hhmm(a), hhmm(b, end=True)) for a, b in spans)
        for day, spans in sorted(cal.weekly.items())
        if spans
    }
    holidays = tuple(sorted(h.isoformat() for h in cal.holidays))
    return CalendarSpec(cal.name, cal.timezone, weekly, holidays, cal.always_open)


def _day_keys(key: Any, where: str) -> list[int]:
    """``monday``/``mon`` or a range ``mon-fri`` to weekday numbers (0 = Monday)."""
    text = str(key).strip().lower()

    def one(word: str) -> int:
        for n, day in enumerate(DAYS):
            if word in (day, day[:3]):
                return n
        raise InvalidInput(
            f"{where}: 'hours': {key!r} is not a weekday (monday..sunday, mon..sun, or a "
            "range such as mon-fri)"
        )

    first, sep, last = text.partition("-")
    if not sep:
        return [one(text)]
    a, b = one(first.strip()), one(last.strip())
    if b < a:
        raise InvalidInput(f"{where}: 'hours': the range {key!r} runs backwards")
    return list(range(a, b + 1))


def _hours(value: Any, where: str) -> dict[int, list[tuple[str, str]]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(f"{where}: 'hours' must map weekdays to lists of \"HH:MM-HH:MM\"")
    weekly: dict[int, list[tuple[str, str]]] = {}
    for key, spans in value.items():
        if isinstance(spans, str):
            spans = [spans]
        if not isinstance(spans, list):
            raise InvalidInput(f"{where}: 'hours': {key}: expected a list of \"HH:MM-HH:MM\"")
        pairs = []
        for span in spans:
            found = _INTERVAL.match(span) if isinstance(span, str) else None
            if found is None:
                raise InvalidInput(
                    f"{where}: 'hours': {key}: {span!r} is not an interval \"HH:MM-HH:MM\""
                )
            pairs.append((found.group(1), found.group(2)))
        for day in _day_keys(key, where):
            if day in weekly:
                raise InvalidInput(f"{where}: 'hours': {DAYS[day]} is given twice")
            weekly[day] = sorted(pairs, key=lambda p: p[0].zfill(5))
    return weekly


def _holidays(value: Any, where: str) -> list[date]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{where}: 'holidays' must be a list of dates (YYYY-MM-DD)")
    days = []
    for item in value:
        try:
            days.append(item if type(item) is date else date.fromisoformat(str(item)))
        except ValueError:
            raise InvalidInput(
                f"{where}: 'holidays': {item!r} is not a date (YYYY-MM-DD)"
            ) from None
    return days


# -- sla.yaml --------------------------------------------------------------------------------


def load_sla(
    path: Path | None = None,
    calendars: Iterable[str] | None = None,
    tiers: Iterable[str] | None = None,
) -> tuple[list[SlaPlan], list[MatrixEntry]]:
    """Plans and the tier x priority matrix, checked against the calendars and tiers given."""
    path = path or data_file("sla.yaml")
    return parse_sla(_load_yaml(path), path, calendars, tiers)


def parse_sla(
    data: Any,
    source: Source,
    calendars: Iterable[str] | None = None,
    tiers: Iterable[str] | None = None,
) -> tuple[list[SlaPlan], list[MatrixEntry]]:
    """:func:`load_sla` for a document already read from ``source``."""
    known = None if calendars is None else set(calendars)
    plans = _plans(source, entries(source, data, "plans"), known)
    matrix = _matrix(source, data, {p.name for p in plans}, tiers)
    return plans, matrix


def _plans(source: Source, items: list[Any], calendars: set[str] | None) -> list[SlaPlan]:
    result: list[SlaPlan] = []
    for n, item in enumerate(items, 1):
        where = f"{item_at(source, items, n - 1)}: plan {n}"
        name = _name(item, where, _PLAN_FIELDS, [p.name for p in result], source)
        where = f"{where} ({name})"
        calendar = item.get("calendar")
        if not isinstance(calendar, str) or not calendar:
            raise InvalidInput(f"{where}: 'calendar' is required (a name from calendars.yaml)")
        if calendars is not None and calendar not in calendars:
            known = ", ".join(sorted(calendars)) or "none"
            raise InvalidInput(f"{where}: 'calendar': unknown calendar {calendar!r} (use {known})")
        minutes = {f: _minutes(item.get(f), where, f) for f in _PLAN_FIELDS[2:5]}
        if minutes["first_response"] > minutes["resolution"]:
            raise InvalidInput(
                f"{where}: 'first_response' ({item['first_response']}) is longer than "
                f"'resolution' ({item['resolution']})"
            )
        pauses = item.get("pause_statuses", list(DEFAULT_PAUSE_STATUSES))
        if not isinstance(pauses, list) or any(p not in PAUSABLE for p in pauses):
            raise InvalidInput(
                f"{where}: 'pause_statuses' must be a list of {', '.join(PAUSABLE)} "
                f"(got {pauses!r})"
            )
        result.append(
            SlaPlan(
                name,
                calendar,
                minutes["first_response"],
                minutes["courtesy"],
                minutes["resolution"],
                tuple(dict.fromkeys(pauses)),
            )
        )
    return result


def _matrix(
    source: Source, data: Any, plans: set[str], tiers: Iterable[str] | None
) -> list[MatrixEntry]:
    value = data.get("matrix") if isinstance(data, dict) else None
    where = f"{at(source, data, 'matrix')}: matrix"
    if not isinstance(value, dict) or not value:
        raise InvalidInput(f"{where}: expected a mapping of tier -> priority -> plan")
    known = None if tiers is None else list(tiers)
    entries: list[MatrixEntry] = []

    def plan(name: Any, at: str) -> str:
        if not isinstance(name, str) or name not in plans:
            raise InvalidInput(
                f"{at}: unknown plan {name!r} (use {', '.join(sorted(plans)) or 'none'})"
            )
        return name

    for tier, row in value.items():
        here = f"{at(source, value, tier)}: matrix: {tier}"
        if known is not None and tier not in known:
            raise InvalidInput(f"{here}: unknown tier {tier!r} (use {', '.join(known)})")
        if not isinstance(row, dict):
            raise InvalidInput(f"{here}: expected a mapping of priority -> plan")

        def cell(mapping: Any, key: Any, prefix: str = "", tier: Any = tier) -> str:
            return f"{at(source, mapping, key)}: matrix: {tier}: {prefix}'{key}'"

        for key in row:
            if key not in PRIORITIES and key != CRITICAL_KEY:
                raise InvalidInput(
                    f"{cell(row, key)}: unknown priority (use {', '.join(PRIORITIES)} "
                    f"or {CRITICAL_KEY})"
                )
        for priority in PRIORITIES:
            if priority not in row:
                raise InvalidInput(f"{here}: '{priority}': no plan for this priority")
            entries.append(
                MatrixEntry(tier, priority, False, plan(row[priority], cell(row, priority)))
            )
        critical = row.get(CRITICAL_KEY)
        if critical is None:
            continue
        if isinstance(critical, str):
            name = plan(critical, cell(row, CRITICAL_KEY))
            critical = {p: name for p in PRIORITIES}
        if not isinstance(critical, dict):
            raise InvalidInput(
                f"{cell(row, CRITICAL_KEY)}: expected a plan, or a mapping of priority -> plan"
            )
        prefix = f"'{CRITICAL_KEY}': "
        for priority, name in critical.items():
            if priority not in PRIORITIES:
                raise InvalidInput(
                    f"{cell(critical, priority, prefix)}: unknown priority "
                    f"(use {', '.join(PRIORITIES)})"
                )
            entries.append(
                MatrixEntry(tier, priority, True, plan(name, cell(critical, priority, prefix)))
            )
    for tier in known or ():
        if tier not in value:
            raise InvalidInput(f"{where}: no plans for tier {tier!r}: add a row for it")
    return entries


# -- shared ------------------------------------------------------------------------------------


def _name(item: Any, where: str, fields: tuple[str, ...], taken: list[str], source: Source) -> str:
    if not isinstance(item, dict):
        raise InvalidInput(f"{where}: expected a mapping")
    name = str(item.get("name", ""))
    if not _NAME.match(name):
        raise InvalidInput(
            f"{where}: 'name' must be lower-case letters, digits, - or _, got {name!r}"
        )
    if name in taken:
        raise InvalidInput(f"{where}: duplicate name {name!r}")
    label = where.rsplit(": ", 1)[-1]  # "plan 3", without the file and line
    for key in item:
        if key not in fields:
            raise InvalidInput(
                f"{at(source, item, key)}: {label} ({name}): unknown field {key!r} "
                f"(fields: {', '.join(fields)})"
            )
    return name


def _minutes(value: Any, where: str, field: str) -> int:
    """A positive duration: minutes as a number, or text such as 30m, 8h, 1h30m."""
    if isinstance(value, bool) or value is None:
        minutes = None
    elif isinstance(value, int):
        minutes = value
    else:
        found = _DURATION.match(str(value).strip().lower())
        minutes = None
        if found and any(found.groups()):
            minutes = int(found.group(1) or 0) * 60 + int(found.group(2) or 0)
    if minutes is None:
        raise InvalidInput(
            f"{where}: '{field}' {value!r} is not a duration: use e.g. 30m, 8h or 1h30m"
        )
    if minutes <= 0:
        raise InvalidInput(f"{where}: '{field}' must be longer than zero, got {value!r}")
    return minutes
