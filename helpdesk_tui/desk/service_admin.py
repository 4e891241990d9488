"""Admin edits of the service model, one entry at a time (the console's Admin section).

Each edit is checked field by field (a refusal names the form field to mark), then
the whole model with the edit in it is checked again by the same parsers that
``helpdesk init`` and ``helpdesk config import`` use (:func:`.config_docs.parse_model`),
so an edit can never leave a model that the files could not hold. Only admins may
(rule ``service.admin``; products keep ``catalogue.edit``, as on the command line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ..store import Category
from ..store.catalogue import Asset, Product, ProductSpec, Tier
from ..store.sla import CalendarSpec, MatrixEntry, SlaPlan
from ..vocab import CHANNELS, PRIORITIES
from . import validate
from .calendar import BusinessCalendar, CalendarError
from .catalogue import SupportNotice
from .config_docs import ServiceModel, documents, parse_model
from .config_io import ACTION
from .entitlements import SupportStatus, day
from .errors import InvalidInput, NotFound
from .permissions import require
from .sla_data import DAYS, PAUSABLE, _hours, _minutes, _spec
from .starter import _names

if TYPE_CHECKING:
    from .facade import Desk

_SPLIT = re.compile(r"[,\s]+")
#: Assets listed in the Admin section (newest customers' first would need paging).
ASSET_LIMIT = 500


@dataclass(frozen=True)
class AdminView:
    """Everything the Admin section shows, read in one go."""

    tiers: tuple[Tier, ...]
    categories: tuple[Category, ...]
    departments: tuple[str, ...]
    products: tuple[tuple[Product, SupportStatus], ...]
    ending: tuple[SupportNotice, ...]  # support ending within 90 days, soonest first
    assets: tuple[Asset, ...]
    calendars: tuple[CalendarSpec, ...]
    plans: tuple[SlaPlan, ...]
    matrix: tuple[MatrixEntry, ...]
    today: date  # the desk's day, for support and warranty states


def names(text: str | list[str] | tuple[str, ...]) -> list[str] | str:
    """ "all", or the names in "email, chat" / "email chat" as typed."""
    if isinstance(text, (list, tuple)):
        return list(text)
    words = [w for w in _SPLIT.split(text.strip().lower()) if w]
    return "all" if words == ["all"] else words


class ServiceAdminMixin:
    # -- reading --------------------------------------------------------------------------------
    def admin_view(self: Desk) -> AdminView:
        """The Admin section's data (admins only: everyone else gets the rule's refusal)."""
        require(self.actor, ACTION)
        today = self.today()
        with self.store.session.lock:
            products = tuple((p, self.support_status(p, today)) for p in self.products())
            return AdminView(
                tuple(self.tiers()),
                tuple(self.categories()),
                tuple(d.name for d in self.departments()),
                products,
                tuple(self.support_ending_soon()),
                tuple(self.store.catalogue.assets(limit=ASSET_LIMIT)),
                tuple(self.store.sla.calendars()),
                tuple(self.store.sla.plans()),
                tuple(self.store.sla.matrix()),
                today,
            )

    # -- tiers ------------------------------------------------------------------------------------
    def update_tier(
        self: Desk,
        name: str,
        *,
        channels: str | list[str],
        categories: str | list[str],
        description: str | None = None,
        self_service: str | None = None,
    ) -> Tier:
        """Which channels and case categories a tier may use; ``all`` for every one."""
        tier = self.tier(name)
        where = f"tier {tier.name}"
        chosen = _field(
            "channels", lambda: _names(names(channels), CHANNELS, where, "channels", "channel")
        )
        if not chosen:
            raise InvalidInput(f"{where}: 'channels' needs at least one channel", field="channels")
        known = [c.key for c in self.categories()]
        kinds = _field(
            "categories",
            lambda: _names(names(categories), known, where, "categories", "category"),
        )
        changed = replace(
            tier,
            channels=chosen,
            categories=kinds,
            description=tier.description
            if description is None
            else validate.text(
                description, "description", required=False, limit=500, field="description"
            ),
            self_service=tier.self_service
            if self_service is None
            else validate.text(
                self_service,
                "self-service pointer",
                required=False,
                limit=2000,
                field="self_service",
            ),
        )
        model = self.service_model()
        self._save_model(
            replace(model, tiers=tuple(changed if t.name == tier.name else t for t in model.tiers))
        )
        return self.tier(tier.name)

    # -- the catalogue ---------------------------------------------------------------------------
    def edit_product(
        self: Desk,
        key_or_id: str | int,
        *,
        name: str,
        category: str,
        department: str | None = None,
        support_start: date | str | None = None,
        end_of_support: date | str | None = None,
    ) -> Product:
        """Set a product's name, category, department and support dates, as in the form
        (admins): each is replaced, an empty one cleared (no department: the category's)."""
        product = self.product(key_or_id)
        kind = self.category(category)
        department = (department or "").strip() or None
        if department and department not in {d.name for d in self.departments()}:
            raise NotFound(f"unknown department {department!r}", field="department")
        start = day(support_start, "support start", field="support_start")
        end = day(end_of_support, "end of support", field="end_of_support")
        if start and end and end < start:
            raise InvalidInput(
                f"end of support {end} is before the support start {start}",
                field="end_of_support",
            )
        spec = ProductSpec(
            product.key,
            validate.text(name, "product name", field="name"),
            kind.key,
            department or kind.department,
            start,
            end,
        )
        with self.store.transaction():
            require(self.actor, "catalogue.edit")
            self.store.catalogue.update_product(spec)
        return self.product(product.id)

    # -- SLA plans and the matrix ------------------------------------------------------------------
    def update_plan(
        self: Desk,
        name: str,
        *,
        calendar: str,
        first_response: str | int,
        courtesy: str | int,
        resolution: str | int,
        pause_statuses: str | list[str],
    ) -> SlaPlan:
        """A plan's calendar, targets (30m, 8h, 1h30m) and the statuses its clocks pause in."""
        plan = self.sla_plan(name)
        where = f"plan {plan.name}"
        cal = self.calendar(calendar).name
        minutes = {
            f: _field(f, lambda f=f, v=v: _minutes(_number(v), where, f))
            for f, v in (
                ("first_response", first_response),
                ("courtesy", courtesy),
                ("resolution", resolution),
            )
        }
        if minutes["first_response"] > minutes["resolution"]:
            raise InvalidInput(
                f"{where}: the first response target is longer than the resolution target",
                field="first_response",
            )
        pauses = names(pause_statuses)
        if pauses == "all":
            pauses = list(PAUSABLE)
        if any(p not in PAUSABLE for p in pauses):
            raise InvalidInput(
                f"{where}: pause statuses are {', '.join(PAUSABLE)} (or none), got "
                f"{', '.join(pauses)}",
                field="pause_statuses",
            )
        changed = SlaPlan(
            plan.name,
            cal,
            minutes["first_response"],
            minutes["courtesy"],
            minutes["resolution"],
            tuple(dict.fromkeys(pauses)),
        )
        model = self.service_model()
        self._save_model(
            replace(model, plans=tuple(changed if p.name == plan.name else p for p in model.plans))
        )
        return self.sla_plan(plan.name)

    def set_matrix_plan(
        self: Desk, tier: str, priority: str, plan: str, *, business_critical: bool = False
    ) -> list[MatrixEntry]:
        """Tickets of ``tier`` and ``priority`` (business-critical ones, if set) get ``plan``;
        an empty plan for a business-critical cell removes it (the ordinary row applies).
        Returns the tier's row of the matrix as it now is."""
        chosen_tier = self.tier(tier).name
        priority = validate.choice(priority, "priority", PRIORITIES, field="priority")
        model = self.service_model()
        cell = (chosen_tier, priority, business_critical)
        rows = [e for e in model.matrix if (e.tier, e.priority, e.business_critical) != cell]
        if (plan or "").strip():
            rows.append(MatrixEntry(*cell, self.sla_plan(plan).name))
        elif not business_critical:
            raise InvalidInput("every priority of a tier needs a plan: choose one", field="plan")
        self._save_model(replace(model, matrix=tuple(rows)))
        return [e for e in self.sla_matrix() if e.tier == chosen_tier]

    # -- calendars --------------------------------------------------------------------------------
    def update_calendar(
        self: Desk, name: str, *, timezone: str, hours: dict[str, str]
    ) -> CalendarSpec:
        """A calendar's time zone and weekly hours: weekday -> "08:00-12:00, 13:00-17:00"
        (empty: closed). A 24/7 calendar keeps no hours."""
        spec = self._calendar_spec(name)
        where = f"calendar {spec.name}"
        weekly: dict[int, list[tuple[str, str]]] = {}
        for weekday in DAYS:
            text = (hours.get(weekday) or "").strip()
            spans = [s.strip() for s in re.split(r"[,;]", text) if s.strip()]
            if spans and spec.always_open:
                raise InvalidInput(f"{where} is open 24/7: it takes no weekly hours", field=weekday)
            weekly.update(_field(weekday, lambda spans=spans, w=weekday: _hours({w: spans}, where)))
        changed = self._checked_calendar(spec, timezone=timezone.strip(), weekly=weekly)
        return self._save_calendar(changed)

    def add_holiday(self: Desk, name: str, when: date | str) -> CalendarSpec:
        spec = self._calendar_spec(name)
        holiday = day(when, "holiday", field="holiday")
        if holiday is None:
            raise InvalidInput("holiday is required: give a date (YYYY-MM-DD)", field="holiday")
        if spec.always_open:
            raise InvalidInput(
                f"calendar {spec.name} is open 24/7: it has no holidays", field="holiday"
            )
        if holiday.isoformat() in spec.holidays:
            raise InvalidInput(f"{holiday} is already a holiday of {spec.name}", field="holiday")
        return self._save_calendar(
            self._checked_calendar(spec, holidays=(*spec.holidays, holiday.isoformat()))
        )

    def remove_holiday(self: Desk, name: str, when: date | str) -> CalendarSpec:
        spec = self._calendar_spec(name)
        holiday = day(when, "holiday", field="holiday")
        if holiday is None or holiday.isoformat() not in spec.holidays:
            raise NotFound(f"{when} is not a holiday of {spec.name}", field="holiday")
        kept = tuple(h for h in spec.holidays if h != holiday.isoformat())
        return self._save_calendar(self._checked_calendar(spec, holidays=kept))

    # -- helpers -------------------------------------------------------------------------------
    def _calendar_spec(self: Desk, name: str) -> CalendarSpec:
        spec = self.store.sla.calendar((name or "").strip())
        if spec is None:
            raise NotFound(f"unknown calendar {name!r}", field="calendar")
        return spec

    def _checked_calendar(self: Desk, spec: CalendarSpec, **changes: Any) -> CalendarSpec:
        """The calendar with ``changes``, in its canonical stored form, or the reason not."""
        weekly = changes.get("weekly", spec.weekly)
        holidays = changes.get("holidays", spec.holidays)
        timezone = changes.get("timezone", spec.timezone)
        try:
            cal = BusinessCalendar.create(spec.name, timezone, weekly, holidays, spec.always_open)
        except CalendarError as exc:
            text = str(exc)
            field = "timezone" if "time zone" in text else "hours"
            for weekday in DAYS:
                if weekday.title() in text:
                    field = weekday
            raise InvalidInput(text, field=field) from None
        return _spec(cal)

    def _save_calendar(self: Desk, changed: CalendarSpec) -> CalendarSpec:
        model = self.service_model()
        self._save_model(
            replace(
                model,
                calendars=tuple(changed if c.name == changed.name else c for c in model.calendars),
            )
        )
        return self._calendar_spec(changed.name)

    def _save_model(self: Desk, model: ServiceModel) -> None:
        """Check the whole model with the edit in it (the files' rules), then write it."""
        require(self.actor, ACTION)
        docs = {kind: (doc, "the service model") for kind, doc in documents(model).items()}
        checked = parse_model(docs)
        with self.store.transaction():
            require(self.actor, ACTION)
            self.store.catalogue.upsert_tiers(checked.tiers)
            self.store.sla.upsert_calendars(checked.calendars)
            self.store.sla.upsert_plans(checked.plans)
            self.store.sla.replace_matrix(checked.matrix)


def _field(field: str, check: Any) -> Any:
    """Run a file-format check, naming the form field it is about when it refuses."""
    try:
        return check()
    except InvalidInput as exc:
        raise InvalidInput(str(exc), field=field) from None


def _number(value: str | int) -> str | int:
    text = str(value).strip()
    return int(text) if text.isdigit() else text
