"""The service model at intake: entitlements by tier, the catalogue, warranty (issue 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .facade import Desk
    from .intake import TicketDraft


class CatalogueMixin:
    def _prepare_service(self: Desk, draft: TicketDraft, customer_id: int) -> dict[str, Any]:
        """Extra ticket columns from the draft's product, asset and business-critical flag."""
        return {}
