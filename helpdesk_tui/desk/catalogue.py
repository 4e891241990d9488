"""The service model: tiers and entitlement, the catalogue and end of support (issue 4).

Assets, warranty and the intake hooks live in :mod:`.assets` (inherited by
:class:`CatalogueMixin`). The rules themselves are pure functions in
:mod:`.entitlements`; this mixin
fetches what they judge, checks rights, and writes. "Today" is the desk's
local calendar day taken from the injectable clock (:meth:`today`), never the
wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..store import Customer
from ..store.catalogue import Product, ProductSpec, Tier
from ..vocab import CHANNELS
from . import validate
from .assets import AssetMixin, IntakeNotes
from .entitlements import (
    SUPPORT_WARNING_DAYS,
    SupportStatus,
    Verdict,
    day,
    entitlement,
    product_key,
    support_status,
)
from .errors import InvalidInput, NotFound
from .permissions import require

if TYPE_CHECKING:
    from .facade import Desk

__all__ = ["CatalogueMixin", "IntakeNotes", "SupportNotice"]


@dataclass(frozen=True)
class SupportNotice:
    """A product whose support ends soon, ready to become a notice to its customers."""

    product: Product
    end_of_support: date
    days_left: int
    customers: int  # customers with an asset of it
    open_tickets: int  # open tickets naming it
    notice: str  # a draft text for the customers


class CatalogueMixin(AssetMixin):
    def today(self: Desk) -> date:
        """The desk's local calendar day, from the injectable clock."""
        return self.now().astimezone().date()

    # -- tiers and entitlement -----------------------------------------------------------
    def tiers(self: Desk) -> list[Tier]:
        return self.store.catalogue.tiers()

    def tier(self: Desk, name: str) -> Tier:
        found = self.store.catalogue.tier((name or "").strip().lower())
        if found is None:
            names = ", ".join(t.name for t in self.tiers()) or "none (run `helpdesk init`)"
            raise NotFound(f"unknown tier {name!r}: use one of {names}", field="tier")
        return found

    def entitlement_for(
        self: Desk, customer_id: int, channel: str, category: str | None = None
    ) -> Verdict:
        """May the customer's tier use ``channel`` for a ``category`` case (None: not chosen)?"""
        channel = validate.choice(channel, "channel", CHANNELS, field="channel")
        key = self.category(category).key if category else None
        customer = self.customer(customer_id)
        tier = self._customer_tier(customer)
        names = {c.key: c.name for c in self.categories()}
        return entitlement(tier, channel, key, category_names=names)

    def set_customer_tier(self: Desk, customer_id: int, tier: str) -> Customer:
        """Move a customer to another tier (leads and admins)."""
        chosen = self.tier(tier)
        customer = self.customer(customer_id)
        with self.store.transaction():
            require(self.actor, "customer.tier")
            if customer.tier != chosen.name:
                self.store.catalogue.set_customer_tier(customer.id, chosen.name)
        return self.customer(customer.id)

    def _customer_tier(self: Desk, customer: Customer) -> Tier:
        found = self.store.catalogue.tier(customer.tier)
        if found is None:
            raise NotFound(
                f"customer {customer.id}'s tier {customer.tier!r} is not defined: run "
                "`helpdesk init`, or move them with `helpdesk customer set-tier`",
                field="tier",
            )
        return found

    # -- the catalogue -------------------------------------------------------------------
    def products(self: Desk) -> list[Product]:
        return self.store.catalogue.products()

    def product(self: Desk, key_or_id: str | int) -> Product:
        """A product by id (``7``, ``#7``) or key (``win11_laptop``)."""
        text = str(key_or_id).strip()
        digits = text.lstrip("#")
        if digits.isdigit():
            found = self.store.catalogue.product(int(digits))
        else:
            found = self.store.catalogue.product_by_key(text.lower())
        if found is None:
            raise NotFound(
                f"unknown product {text!r}: see `helpdesk product list`", field="product"
            )
        return found

    def add_product(
        self: Desk,
        key: str,
        name: str,
        category: str,
        department: str | None = None,
        support_start: date | str | None = None,
        end_of_support: date | str | None = None,
    ) -> Product:
        """Add to the catalogue (admins); the department defaults to the category's."""
        key = product_key(key)
        name = validate.text(name, "product name", field="name")
        kind = self.category(category)
        if department:
            known = {d.name for d in self.departments()}
            if department not in known:
                raise NotFound(
                    f"unknown department {department!r}: use one of {', '.join(sorted(known))}",
                    field="department",
                )
        start = day(support_start, "support start", field="support_start")
        end = day(end_of_support, "end of support", field="end_of_support")
        _check_order(start, end)
        spec = ProductSpec(key, name, kind.key, department or kind.department, start, end)
        with self.store.transaction():
            require(self.actor, "catalogue.edit")
            if self.store.catalogue.product_by_key(key) is not None:
                raise InvalidInput(f"product {key!r} already exists", field="key")
            self.store.catalogue.add_product(spec, self._stamp())
        return self.product(key)

    def end_support(self: Desk, key_or_id: str | int, end: date | str) -> Product:
        """Set the last day of support (admins); it may be in the past."""
        when = day(end, "end of support", field="end_of_support")
        if when is None:
            raise InvalidInput("end of support is required: give a date", field="end_of_support")
        product = self.product(key_or_id)
        _check_order(product.support_start, when)
        with self.store.transaction():
            require(self.actor, "catalogue.edit")
            self.store.catalogue.set_end_of_support(product.id, when)
        return self.product(product.id)

    def support_status(self: Desk, product: Product, today: date | None = None) -> SupportStatus:
        """active / ending (last day within 90 days) / ended, and the days left."""
        return support_status(product.end_of_support, today or self.today())

    def support_ending_soon(self: Desk, days: int = SUPPORT_WARNING_DAYS) -> list[SupportNotice]:
        """Products whose support ends within ``days`` (leads and admins), soonest first."""
        require(self.actor, "support.notice")
        if days < 0:
            raise InvalidInput(f"days must be 0 or more, got {days}", field="days")
        today = self.today()
        ending = self.store.catalogue.ending_between(today, today + timedelta(days=days))
        usage = self.store.catalogue.usage([p.id for p in ending])
        notices = []
        for p in ending:
            assert p.end_of_support is not None
            notices.append(
                SupportNotice(
                    p,
                    p.end_of_support,
                    (p.end_of_support - today).days,
                    usage[p.id].customers,
                    usage[p.id].open_tickets,
                    f"Support for {p.name} ends on {p.end_of_support}. After that day the help "
                    "desk can no longer repair or update it; please contact us to plan a "
                    "replacement.",
                )
            )
        return notices


def _check_order(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InvalidInput(
            f"end of support {end} is before the support start {start}", field="end_of_support"
        )
