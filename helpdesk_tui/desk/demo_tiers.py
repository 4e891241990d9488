"""What each customer tier may use, for the demo: entitled channels and case categories.

Seed 000: basic customers use fewer channels and file fewer kinds of case,
premium adds live chat and every case, concierge adds the phone. Demo
customers mostly keep to their entitlements; a few phone anyway (logged
as not entitled, pointed to self-service) and a few get a ticket the tier
does not cover with an agent's override reason, as at a real desk. Every
verdict comes from the desk's own rule (:func:`entitlements.entitlement`),
tabulated once: the generator asks millions of times.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..store.catalogue import Tier
from ..vocab import CHANNELS
from . import demo_content as pool
from .entitlements import entitlement

#: Share of contacts on a channel the tier does not include (they call anyway): often
#: for a quick question (pointed to self-service), rarely when a ticket is opened.
OFF_CHANNEL = {"quick": 0.5, "follow-up": 0.15, "ticket": 0.06}
#: Share of tickets in a category the tier does not cover, opened with an override.
OFF_CATEGORY = 0.06
OVERRIDE_REASONS = (
    "Business-critical: the customer's team cannot work",
    "Lead approved: affects a whole team",
    "Goodwill: first time they ask about this",
    "Security concern: cannot wait for self-service",
)
POINTED = "Not in their tier: pointed to the self-service portal and the knowledge base"


class TierRules:
    """Entitlement verdicts and per-tier draws of channel and category."""

    def __init__(self, tiers: Sequence[Tier], categories: Sequence[str], rng: random.Random):
        self.allowed: dict[tuple[str, str, str | None], bool] = {
            (t.name, channel, category): entitlement(t, channel, category).allowed
            for t in tiers
            for channel in CHANNELS
            for category in (*categories, None)
        }
        #: (tier, category) -> covered, whatever the channel.
        self.covers = {
            (t.name, k): any(self.allowed[t.name, c, k] for c in CHANNELS)
            for t in tiers
            for k in categories
        }
        weights = pool.CHANNEL_WEIGHTS
        kinds = pool.CATEGORY_WEIGHTS
        self.channels: dict[str, tuple[str, ...]] = {}
        self.categories: dict[str, tuple[str, ...]] = {}
        for t in tiers:
            ok = [c for c in weights if self.allowed[t.name, c, None]] or list(weights)
            self.channels[t.name] = tuple(rng.choices(ok, [weights[c] for c in ok], k=4096))
            ok = [k for k in kinds if self.covers[t.name, k]] or list(kinds)
            self.categories[t.name] = tuple(rng.choices(ok, [kinds[k] for k in ok], k=4096))

    def channel(self, tier: str, channel: str, u: float, v: float, why: str) -> str:
        """Keep ``channel`` if the tier includes it (or now and then anyway), else an entitled one.

        ``why`` is the kind of contact: quick (answered at once), follow-up, or ticket.
        """
        if self.allowed[tier, channel, None] or u < OFF_CHANNEL[why]:
            return channel
        return self.channels[tier][int(v * 4096)]

    def category(self, tier: str, category: str, u: float, v: float) -> str:
        """Keep ``category`` if the tier covers it (rarely: overridden), else a covered one."""
        if self.covers[tier, category] or u < OFF_CATEGORY:
            return category
        return self.categories[tier][int(v * 4096)]
