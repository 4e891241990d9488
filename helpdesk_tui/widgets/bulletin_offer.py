"""At intake: the bulletins that fit the contact being typed, and the one linked to it.

Seed 002: on an outage day most calls are about the outage, and the
bulletin carries the answer to give. The offer appears while the agent
types (matched in a worker by the contact form); one key links the contact
to the first offer (pressing it again moves to the next offer, then to no
link) and the answer to read out is shown in bold. Text is shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from ..desk.bulletins import Bulletin
from ..textsafe import clip, printable
from .bulletin_bar import EXPIRED_STYLE, SEVERITY_STYLES

#: How many other offers the widget lists under the first.
SHOWN_OFFERS = 3
LINK_KEY = "ctrl+t"


class BulletinOffer(Static):
    DEFAULT_CSS = """
    BulletinOffer { height: auto; padding: 0 1; margin-top: 1; background: $warning 15%; }
    BulletinOffer.-linked { background: $success 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self.offers: list[Bulletin] = []
        self.linked: Bulletin | None = None

    def on_mount(self) -> None:
        self.render_offer()

    # -- state -------------------------------------------------------------------------------
    def show_offers(self, offers: Sequence[Bulletin]) -> None:
        """The bulletins that fit now; a chosen link stays (the agent chose it)."""
        self.offers = list(offers)
        if self.linked is not None:
            fresh = next((b for b in self.offers if b.id == self.linked.id), None)
            self.linked = fresh or self.linked
        self.render_offer()

    def cycle(self) -> Bulletin | None:
        """Link the first offer; again: the next one; after the last: no link."""
        choices = list(self.offers)
        if self.linked is not None and all(b.id != self.linked.id for b in choices):
            choices.insert(0, self.linked)  # linked earlier, no longer matching the words
        if not choices:
            self.linked = None
        elif self.linked is None:
            self.linked = choices[0]
        else:
            at = next(i for i, b in enumerate(choices) if b.id == self.linked.id)
            self.linked = choices[at + 1] if at + 1 < len(choices) else None
        self.render_offer()
        return self.linked

    def reset(self) -> None:
        self.offers, self.linked = [], None
        self.render_offer()

    # -- rendering ------------------------------------------------------------------------------
    def render_offer(self) -> None:
        self.set_class(self.linked is not None, "-linked")
        self.display = bool(self.offers) or self.linked is not None
        self.update(offer_text(self.offers, self.linked))


def _head(line: Text, b: Bulletin) -> None:
    line.append(f" {b.severity.upper()} ", style=SEVERITY_STYLES.get(b.severity, ""))
    if b.expired:
        line.append(" EXPIRED ", style=EXPIRED_STYLE)
    line.append(f" bulletin {b.id}: ")
    line.append(clip(b.title, 50), style="bold")


def offer_text(offers: Sequence[Bulletin], linked: Bulletin | None) -> Text:
    out = Text()
    if linked is not None:
        out.append("✓ Linked to", style="bold")
        _head(out, linked)
        more = len([b for b in offers if b.id != linked.id])
        hint = (
            f"  ({LINK_KEY}: next of {more} more / unlink)" if more else f"  ({LINK_KEY}: unlink)"
        )
        out.append(hint, style="dim")
        out.append("\nTell them: ", style="bold")
        out.append(printable(linked.answer), style="bold")
        return out
    if not offers:
        return out
    first = offers[0]
    out.append("⚑ Fits this call:", style="bold")
    _head(out, first)
    out.append(f"  {LINK_KEY} links it", style="dim")
    for b in offers[1 : 1 + SHOWN_OFFERS]:
        out.append("\n   also")
        _head(out, b)
    hidden = len(offers) - 1 - SHOWN_OFFERS
    if hidden > 0:
        out.append(f"\n   and {hidden} more", style="dim")
    return out
