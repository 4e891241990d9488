"""The contact form's bulletin part (issue 6): offer, link with one key, save linked.

Kept out of ``contact.py`` so the form stays about logging a contact: the
form calls :meth:`BulletinIntake.match_bulletins` when the customer, summary,
title, category or product changes (and when a bulletin arrives), binds the
link key to :meth:`BulletinIntake.action_link_bulletin`, and saves through
:meth:`BulletinIntake.contact_logger`, which links the contact (and its
ticket) in the same transaction when a bulletin is linked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.widgets import Input, RadioSet, Select
from textual.widgets.select import InvalidSelectValueError

from ..desk import ContactResult
from ..desk.bulletins import Bulletin
from ..widgets.bulletin_offer import LINK_KEY, BulletinOffer
from ..widgets.ticket_form import TicketForm

if TYPE_CHECKING:
    from .contact import ContactScreen

#: Radio indexes of the contact form's outcomes (see contact.OUTCOME_CHOICES).
ANSWERED_WITH_TICKET = 1


class BulletinIntake:
    """Mixin for the contact form; ``self`` is the :class:`~.contact.ContactScreen`."""

    def match_bulletins(self: ContactScreen) -> None:
        """Find, in a worker, the active bulletins that fit what is typed and chosen so far."""
        offer = self.query(BulletinOffer)
        if not offer:
            return
        customer_id = self.customer.id if self.customer is not None else None
        category, product, _asset = self.query_one(TicketForm).choices()
        text = " ".join(
            self.query_one(selector, Input).value for selector in ("#summary", "#title")
        )
        self.run_desk(
            lambda: self.desk.intake_bulletins(customer_id, category, product, text),
            offer.first().show_offers,
            failed=lambda _error: None,  # an offer is a hint: never an error while typing
            group="bulletin-offer",
            exclusive=True,
        )

    def _bulletins_changed(self: ContactScreen, _generation: int) -> None:
        """A bulletin was posted, updated, resolved or expired: offer afresh."""
        self.match_bulletins()

    def action_link_bulletin(self: ContactScreen) -> None:
        """Link the offered bulletin (again: the next one, then none) and fill the form."""
        offer = self.query_one(BulletinOffer)
        had_offers = bool(offer.offers) or offer.linked is not None
        chosen = offer.cycle()
        if chosen is None:
            self.say(
                "Bulletin link removed"
                if had_offers
                else "No active bulletin fits this contact: type the summary, or choose "
                "the product or category"
            )
            return
        self._fill_from_bulletin(chosen)

    def _fill_from_bulletin(self: ContactScreen, bulletin: Bulletin) -> None:
        """Fill what is still empty, so ctrl+s saves the call as the outcome chosen."""
        summary = self.query_one("#summary", Input)
        if not summary.value.strip():
            summary.value = bulletin.title
        title = self.query_one("#title", Input)
        if not title.value.strip():
            title.value = bulletin.title
        resolution = self.query_one("#resolution", Input)
        answered_with_ticket = self.query_one(RadioSet).pressed_index == ANSWERED_WITH_TICKET
        if answered_with_ticket and not resolution.value.strip():
            resolution.value = bulletin.answer
        for selector, values in (
            ("#category", bulletin.categories),
            ("#product", bulletin.products),
        ):
            select = self.query_one(selector, Select)
            if select.is_blank() and len(values) == 1:
                with contextlib.suppress(InvalidSelectValueError):  # not a choice: leave it
                    select.value = values[0]

    def contact_logger(self: ContactScreen) -> Callable[..., ContactResult]:
        """The call that saves the contact: linked to the bulletin chosen now, if any."""
        linked = self.query_one(BulletinOffer).linked
        if linked is None:
            return self.desk.log_contact
        bulletin_id = linked.id
        desk = self.desk

        def log(**values: Any) -> ContactResult:
            return desk.log_contact_with_bulletin(bulletin_id, **values)

        return log

    def linked_note(self: ContactScreen) -> str:
        """For the saved message: which bulletin the contact was linked to."""
        linked = self.query_one(BulletinOffer).linked
        return f"; linked to bulletin {linked.id}" if linked is not None else ""

    def forget_bulletin(self: ContactScreen) -> None:
        """The form was cleared: no offer, no link (the next call starts fresh)."""
        self.query_one(BulletinOffer).reset()


__all__ = ["LINK_KEY", "BulletinIntake"]
