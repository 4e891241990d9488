"""Pure rules of the service model: entitlement by tier, support status, warranty.

No store, no clock: every function takes what it judges and "today" as
arguments, so each rule is tested with hand-written expectations (seed 000:
basic customers file fewer case types and are pointed to self-service and
the knowledge base; premium files every case type and gets live chat;
concierge also gets phone support; seed 003: end of support, warranty).

Dates are calendar days. ``end_of_support`` and ``warranty_end`` are the
*last* day covered: support that ends today is still "ending" (0 days left)
and ended tomorrow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from ..store.catalogue import Tier
from ..vocab import CHANNEL_LABELS
from .errors import InvalidInput

#: Support that ends within this many days (today included) is "ending".
SUPPORT_WARNING_DAYS = 90
SUPPORT_STATES: tuple[str, ...] = ("active", "ending", "ended")
WARRANTY_STATES: tuple[str, ...] = ("valid", "expired", "unknown")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PRODUCT_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


# -- entitlement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """May this customer's tier use this channel for this kind of case?

    ``reasons`` has one line per violated rule (the channel, the category);
    ``pointer`` is the self-service / knowledge-base text to give the
    customer when not entitled (empty when allowed).
    """

    allowed: bool
    reasons: tuple[str, ...] = ()
    pointer: str = ""
    tier: str = ""

    @property
    def summary(self) -> str:
        """One line for a status bar: "entitled (premium)" or "not entitled: ..."."""
        if self.allowed:
            return f"entitled ({self.tier})" if self.tier else "entitled"
        return "not entitled: " + "; ".join(self.reasons)


def channel_word(channel: str) -> str:
    """phone -> phone, email -> e-mail, portal -> self-service portal."""
    return CHANNEL_LABELS.get(channel, channel).lower()


def entitlement(
    tier: Tier,
    channel: str,
    category: str | None,
    *,
    category_names: Mapping[str, str] | None = None,
) -> Verdict:
    """Judge a contact: the channel always, the case category once it is chosen (not None)."""
    reasons: list[str] = []
    if not tier.all_channels and channel not in tier.channels:
        offered = ", ".join(channel_word(c) for c in tier.channels) or "none"
        reasons.append(
            f"the {tier.name} tier does not include {channel_word(channel)} support "
            f"(it includes: {offered})"
        )
    if category is not None and not tier.all_categories and category not in tier.categories:
        names = category_names or {}
        covered = ", ".join(names.get(c, c) for c in tier.categories) or "none"
        reasons.append(
            f"the {tier.name} tier does not cover {names.get(category, category)} cases "
            f"(it covers: {covered})"
        )
    if reasons:
        return Verdict(False, tuple(reasons), tier.self_service, tier.name)
    return Verdict(True, (), "", tier.name)


# -- end of support ------------------------------------------------------------------------------


class SupportStatus(NamedTuple):
    """``state`` is active, ending or ended; ``days_left`` counts to the last day of
    support (0 on it, negative after it) and is None when no end is set."""

    state: str
    days_left: int | None


def support_status(
    end_of_support: date | None, today: date, window: int = SUPPORT_WARNING_DAYS
) -> SupportStatus:
    if end_of_support is None:
        return SupportStatus("active", None)
    left = (end_of_support - today).days
    if left < 0:
        return SupportStatus("ended", left)
    if left <= window:
        return SupportStatus("ending", left)
    return SupportStatus("active", left)


def support_warning(name: str, end_of_support: date | None, today: date) -> str | None:
    """The intake warning for an ended or ending product; None when support is active."""
    state, left = support_status(end_of_support, today)
    if state == "ended":
        return f"Support for {name} ended on {end_of_support}"
    if state == "ending":
        when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
        return f"Support for {name} ends on {end_of_support}, {when}"
    return None


# -- warranty ------------------------------------------------------------------------------------


def warranty_state(warranty_end: date | None, today: date) -> str:
    """valid (up to and including its last day), expired, or unknown (no end recorded)."""
    if warranty_end is None:
        return "unknown"
    return "valid" if today <= warranty_end else "expired"


def warranty_text(product_name: str, serial: str, warranty_end: date | None, today: date) -> str:
    """The line shown at intake next to the asset."""
    what = f"{product_name} ({serial})" if serial else product_name
    state = warranty_state(warranty_end, today)
    if state == "unknown":
        return f"Warranty unknown for {what}: no warranty end recorded"
    if state == "valid":
        return f"Warranty valid for {what} until {warranty_end}"
    return f"Warranty expired for {what} on {warranty_end}"


# -- what users type -----------------------------------------------------------------------------


def day(value: date | str | None, label: str, *, field: str | None = None) -> date | None:
    """A calendar day from a date or ``YYYY-MM-DD`` text; empty means none."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if not _DAY.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{label} {text!r} is not a date: use YYYY-MM-DD", field=field) from None


def product_key(value: str | None) -> str:
    key = (value or "").strip().lower()
    if not _PRODUCT_KEY.match(key):
        raise InvalidInput(
            f"product key {value!r} is not valid: lower-case letters, digits, _ and -, "
            "starting with a letter, at most 40 characters (e.g. win11_laptop)",
            field="key",
        )
    return key
