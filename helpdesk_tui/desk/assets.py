"""Customers' assets and warranty, and what the contact form shows at intake (issue 4).

Split from :mod:`.catalogue` (whose :class:`CatalogueMixin` inherits this
one): resolving a draft's product and asset into ticket columns, the
warranty verdict recorded at intake, and :class:`IntakeNotes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..store.catalogue import Asset, Product
from . import validate
from .entitlements import (
    SupportStatus,
    Verdict,
    day,
    support_status,
    support_warning,
    warranty_state,
    warranty_text,
)
from .errors import InvalidInput, NotFound
from .permissions import require

if TYPE_CHECKING:
    from .facade import Desk
    from .intake import TicketDraft


@dataclass(frozen=True)
class IntakeNotes:
    """What the contact form shows next to the customer, before any ticket exists."""

    tier: str
    entitlement: Verdict
    product: Product | None
    support: SupportStatus | None
    support_warning: str | None  # "Support for X ended on ..." / "... ends on ..., in N days"
    asset: Asset | None
    warranty: str | None  # valid / expired / unknown; None without an asset
    warranty_text: str | None
    assets: tuple[Asset, ...]  # everything the customer owns, to pick from


class AssetMixin:
    # -- assets and warranty ---------------------------------------------------------------
    def add_asset(
        self: Desk,
        customer_id: int,
        product: str | int,
        serial: str = "",
        purchase_date: date | str | None = None,
        warranty_end: date | str | None = None,
    ) -> Asset:
        """Record something a customer owns; a serial is unique per product."""
        serial = validate.text(serial, "serial number", required=False, field="serial")
        bought = day(purchase_date, "purchase date", field="purchase_date")
        until = day(warranty_end, "warranty end", field="warranty_end")
        if bought and bought > self.today():
            raise InvalidInput(f"purchase date {bought} is in the future", field="purchase_date")
        if bought and until and until < bought:
            raise InvalidInput(
                f"warranty end {until} is before the purchase date {bought}", field="warranty_end"
            )
        customer = self.customer(customer_id)
        item = self.product(product)
        with self.store.transaction():
            require(self.actor, "customer.add")
            if serial and self.store.catalogue.serial_taken(item.id, serial):
                raise InvalidInput(
                    f"a {item.name} with serial {serial!r} is already recorded", field="serial"
                )
            new_id = self.store.catalogue.add_asset(
                customer.id, item.id, serial, bought, until, self._stamp()
            )
        return self.asset(new_id)

    def asset(self: Desk, asset_id: int) -> Asset:
        found = self.store.catalogue.asset(asset_id)
        if found is None:
            raise NotFound(f"no asset with id {asset_id}", field="asset_id")
        return found

    def assets(self: Desk, customer_id: int | None = None, limit: int | None = None) -> list[Asset]:
        """A customer's assets, or everyone's when ``customer_id`` is None."""
        if customer_id is not None:
            self.customer(customer_id)
        return self.store.catalogue.assets(customer_id, limit)

    def warranty(self: Desk, asset: Asset, today: date | None = None) -> str:
        """valid / expired / unknown (no warranty end recorded)."""
        return warranty_state(asset.warranty_end, today or self.today())

    # -- intake --------------------------------------------------------------------------
    def intake_notes(
        self: Desk,
        customer_id: int,
        channel: str,
        category: str | None = None,
        product: str | int | None = None,
        asset_id: int | None = None,
    ) -> IntakeNotes:
        """Entitlement, end-of-support warning and warranty for the contact being logged."""
        verdict = self.entitlement_for(customer_id, channel, category)
        item, asset = self._product_and_asset(customer_id, product, asset_id)
        today = self.today()
        return IntakeNotes(
            tier=verdict.tier,
            entitlement=verdict,
            product=item,
            support=support_status(item.end_of_support, today) if item else None,
            support_warning=support_warning(item.name, item.end_of_support, today)
            if item
            else None,
            asset=asset,
            warranty=warranty_state(asset.warranty_end, today) if asset else None,
            warranty_text=warranty_text(asset.product_name, asset.serial, asset.warranty_end, today)
            if asset
            else None,
            assets=tuple(self.store.catalogue.assets(customer_id)),
        )

    def _prepare_service(self: Desk, draft: TicketDraft, customer_id: int) -> dict[str, Any]:
        """Extra ticket columns from the draft's product, asset and business-critical flag.

        Only what is set is returned, so the 'created' event lists exactly
        those: product_id, asset_id, warranty (the verdict at intake) and
        business_critical (1).
        """
        item, asset = self._product_and_asset(customer_id, draft.product, draft.asset_id)
        service: dict[str, Any] = {}
        if item is not None:
            service["product_id"] = item.id
        if asset is not None:
            service["asset_id"] = asset.id
            service["warranty"] = self.warranty(asset)
        if draft.business_critical:
            service["business_critical"] = 1
        return service

    def _product_and_asset(
        self: Desk, customer_id: int, product: str | int | None, asset_id: int | None
    ) -> tuple[Product | None, Asset | None]:
        """The product named (key or id) and the customer's asset; the asset's product
        stands in when none is named, and a different one is refused."""
        item = self.product(product) if product not in (None, "") else None
        if asset_id is None:
            return item, None
        asset = self.asset(asset_id)
        if asset.customer_id != customer_id:
            raise InvalidInput(
                f"asset {asset.id} belongs to another customer: pick one of this customer's",
                field="asset_id",
            )
        if item is not None and item.id != asset.product_id:
            raise InvalidInput(
                f"asset {asset.id} is a {asset.product_name}, not a {item.name}: "
                "fix the product or the asset",
                field="product",
            )
        return item or self.product(asset.product_id), asset

    def _entitlement_check(
        self: Desk,
        customer_id: int,
        channel: str,
        category: str | None,
        override_reason: str | None,
        *,
        opens_ticket: bool,
    ) -> dict[str, Any]:
        """For the lead's intake: the contact's ``entitled``/``override_reason`` columns.

        A contact that is not entitled is still logged (every contact is);
        opening a ticket for it needs an override reason, else this refuses
        with the reasons and the pointer to give.
        """
        verdict = self.entitlement_for(customer_id, channel, category)
        reason = validate.text(override_reason, "override reason", required=False)
        if verdict.allowed:
            return {"entitled": 1, "override_reason": None}
        if opens_ticket and not reason:
            raise InvalidInput(
                f"{verdict.summary}; {verdict.pointer} (to open a ticket anyway, give an "
                "override reason)",
                field="override_reason",
            )
        return {"entitled": 0, "override_reason": reason or None}
