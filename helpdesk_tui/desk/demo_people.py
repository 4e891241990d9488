"""Who is at the demo desk: its staff, and the customers who call it.

Each customer owns one random number from which their equipment follows
(laptop, extension, desk, printer), so all their tickets over 18 months name
the same machine and the same extension, as in a real desk's history. The
equipment is a tuple of strings in :data:`SLOTS` order; ticket templates are
compiled to positional format strings over it (see :class:`Compiled`), which
is several times cheaper per ticket than a dict and ``json.dumps``.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Any

from . import demo_content as pool
from .demo_content import Template
from .demo_time import DAY, HOUR, Timeline

#: Share of customers loaded from the directory when the desk went live.
IMPORTED = 0.6
SLOTS = (
    "os", "model", "machine", "memory", "ext", "phone_model", "location", "floor", "printer",
    "ip", "username", "mailbox", "system", "share", "client",
)  # fmt: skip
_SLOT = re.compile(r"\{(\w+)\}")
#: Category field -> the slot that fills it; template fields override slots.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "computer": (
        ("operating_system", "os"),
        ("memory", "memory"),
        ("machine_name", "machine"),
        ("model", "model"),
    ),
    "phone": (("extension", "ext"), ("phone_model", "phone_model"), ("voicemail_box", "ext")),
    "network": (
        ("location", "location"),
        ("connection", "connection"),
        ("machine_name", "machine"),
        ("ip_address", "ip"),
    ),
    "email": (("mailbox", "mailbox"), ("client", "client")),
    "printer": (
        ("printer_name", "printer"),
        ("location", "location"),
        ("error_message", "error_message"),
    ),
    "account": (("username", "username"), ("system", "system")),
    "general": (),
}
#: Optional fields a customer sometimes leaves empty: (field, bit of the customer's number).
OPTIONAL = {
    ("network", "machine_name"): 1,
    ("network", "ip_address"): 6,
    ("phone", "voicemail_box"): 8,
}


@dataclass(frozen=True)
class Staff:
    login: str
    name: str
    role: str
    level: int
    department: str


@dataclass(frozen=True)
class Compiled:
    """A template as positional format strings over a customer's equipment tuple."""

    title: str
    description: str
    fields: tuple[str, ...]  # JSON text, one per combination of optional-field bits
    summary: str
    resolutions: tuple[str, ...]


def positional(text: str) -> str:
    """``"Reboot {machine}"`` -> ``"Reboot {2}"``; text may hold no other braces."""
    out = _SLOT.sub(lambda m: "{" + str(SLOTS.index(m.group(1))) + "}", text)
    if re.search(r"[{}]", re.sub(r"\{\d+\}", "", out)):
        raise ValueError(f"stray brace in demo template text {text!r}")
    return out


def compile_template(category: str, template: Template) -> Compiled:
    """Positional formats for the texts and, per optional-field bits, the fields' JSON.

    The JSON is what ``Tickets.insert`` writes (``json.dumps``, ``ensure_ascii=False``,
    the category's field order); slot values are plain ASCII without quotes.
    """
    mentioned = template.title + template.description
    variants = []
    for bits in range(16):
        parts = []
        for key, slot in FIELDS[category]:
            if key in template.fields:
                value = template.fields[key]
                value = (
                    positional(value)
                    if "{" in value
                    else json.dumps(value, ensure_ascii=False)[1:-1]
                )
            elif slot in SLOTS:
                bit = OPTIONAL.get((category, key), 0)
                if bits & bit and "{" + slot + "}" not in mentioned:
                    continue  # the customer left it empty
                value = "{" + str(SLOTS.index(slot)) + "}"
            else:
                continue  # a field only some templates fill (error shown, connection)
            parts.append(f'"{key}": "{value}"')
        variants.append("{{" + ", ".join(parts) + "}}")
    return Compiled(
        positional(template.title),
        positional(template.description),
        tuple(variants),
        template.summary,
        template.resolutions,
    )


@cache
def _ascii(word: str) -> str:
    """``Chloé`` -> ``chloe``, ``O'Brien`` -> ``obrien``: the local part of an address."""
    word = word.replace("ü", "ue").replace("ö", "oe")
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


class People:
    """The staff roster and ``count`` customers, ordered (and numbered) by creation."""

    def __init__(self, runner: str, count: int, timeline: Timeline, rng: random.Random) -> None:
        self.runner = runner
        self.staff = [Staff(*s) for s in pool.STAFF if s[0] != runner]
        desk = [s.login for s in self.staff if s.department == "Service Desk"]
        #: Who takes contacts and opens tickets, with how much of the load.
        self.front = [*desk, runner]
        self.front_cw = list(accumulate([10.0] * len(desk) + [3.0]))
        leads = [s.login for s in self.staff if s.role == "lead"]
        self.lead = leads[0] if leads else runner
        #: By department: who takes level 2 work, and who takes level 3 (else the runner,
        #: an admin at level 3).
        self.level2: dict[str, list[str]] = {}
        self.level3: dict[str, list[str]] = {}
        for s in self.staff:
            if s.level >= 2:
                self.level2.setdefault(s.department, []).append(s.login)
            if s.level >= 3:
                self.level3.setdefault(s.department, []).append(s.login)
        self._make_customers(count, timeline, rng)

    # -- customers ---------------------------------------------------------------------------
    def _make_customers(self, count: int, tl: Timeline, rng: random.Random) -> None:
        imported = max(1, int(count * IMPORTED))
        go_live = 5 * DAY + 2 * HOUR
        times = [go_live + i * 20_000 + rng.randrange(20_000) for i in range(imported)]
        times += tl.moments(count - imported, rng)
        stamp, rnd, choice, orgs = tl.stamp, rng.random, rng.choice, pool.ORGS
        tiers = rng.choices(list(pool.TIER_WEIGHTS), list(pool.TIER_WEIGHTS.values()), k=count)
        taken: dict[str, int] = {}
        self.markup = min(7, count - 1)
        self.tier: list[str] = tiers
        self.rows: list[tuple[Any, ...]] = []
        self.h: list[int] = []
        self.username: list[str] = []
        self.mailbox: list[str] = []
        for i, t in enumerate(times):
            h = rng.getrandbits(30)
            first, last = choice(pool.FIRST_NAMES), choice(pool.LAST_NAMES)
            org, domain = orgs[h % len(orgs)]
            name = f"{first} {last}"
            if i == self.markup:
                name, email, org = pool.MARKUP_CUSTOMER
                first, last = "Rich", "OMarkup"
            else:
                local = f"{_ascii(first)}.{_ascii(last)}"
                n = taken[local + domain] = taken.get(local + domain, 0) + 1
                email = f"{local}{n if n > 1 else ''}@{domain}" if rnd() > 0.05 else ""
            user = f"{_ascii(first)[0]}{_ascii(last)}{(h >> 10) % 90 + 10}"
            if rnd() < 0.1:
                phone = ""
            elif org:
                phone = f"+1 312 555 01{h % len(orgs):02d} x{2000 + (h >> 8) % 8000}"
            else:
                phone = f"+44 7700 900{(h >> 4) % 1000:03d}"
            self.rows.append((i + 1, name, email, phone, org, tiers[i], stamp(t)))
            self.h.append(h)
            self.username.append(user)
            self.mailbox.append(email or f"{user}@northwind.example")
        self.times = times
        self.cum = list(accumulate(min(rng.paretovariate(1.2), 60.0) for _ in range(count)))
        self._equipment: list[tuple[str, ...] | None] = [None] * count

    def pick(self, t: int, u: float) -> int:
        """A customer (index) who existed at moment ``t``; frequent callers more often."""
        k = bisect_right(self.times, t) or 1
        return bisect_right(self.cum, u * self.cum[k - 1], 0, k - 1)

    def equipment(self, c: int) -> tuple[str, ...]:
        """Customer ``c``'s slots in :data:`SLOTS` order (made once, on first use)."""
        found = self._equipment[c]
        if found is None:
            found = self._equipment[c] = self._make_equipment(c)
        return found

    def _make_equipment(self, c: int) -> tuple[str, ...]:
        h = self.h[c]
        os = pool.OPERATING_SYSTEMS[h % len(pool.OPERATING_SYSTEMS)]
        if os.startswith("macOS"):
            model, kind = pool.MAC_MODELS[(h >> 3) % len(pool.MAC_MODELS)], "MB"
        else:
            model = pool.MODELS[(h >> 3) % len(pool.MODELS)]
            kind = "DT" if "OptiPlex" in model or "ThinkCentre" in model else "LT"
        site = pool.SITES[(h >> 14) % len(pool.SITES)]
        floor = (h >> 17) % len(pool.FLOORS)
        return (
            os,
            model,
            f"{kind}-{(h >> 6) % 10000:04d}",
            pool.MEMORY[(h >> 20) % len(pool.MEMORY)],
            str(2000 + (h >> 8) % 8000),
            pool.PHONE_MODELS[(h >> 22) % len(pool.PHONE_MODELS)],
            f"{site}, {pool.FLOORS[floor]} floor, room {floor}.{(h >> 24) % 40 + 1:02d}",
            pool.FLOORS[floor],
            f"PRN-{site[:2].upper()}{floor}{'ABC'[(h >> 26) % 3]}",
            f"10.{20 + (h >> 14) % 5}.{floor * 16 + (h >> 4) % 16}.{(h >> 8) % 250 + 2}",
            self.username[c],
            self.mailbox[c],
            pool.SYSTEMS[(h >> 25) % len(pool.SYSTEMS)],
            pool.SHARES[(h >> 12) % len(pool.SHARES)],
            pool.MAIL_CLIENTS[(h >> 27) % len(pool.MAIL_CLIENTS)],
        )
