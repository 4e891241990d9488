"""Users of the desk, customers of the desk, and setting up a new file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..store import Customer, User
from ..vocab import LEVELS, ROLES, TIERS
from . import validate
from .errors import InvalidInput, NotFound
from .permissions import require
from .sla_data import load_calendars, load_sla  # issue 4: SLA plans
from .starter import load_catalogue, load_categories, load_departments, load_tiers

if TYPE_CHECKING:
    from .facade import Desk

_LOGIN = re.compile(r"^[a-z_][a-z0-9_.@-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()./ x-]{3,40}$")


@dataclass(frozen=True)
class InitReport:
    created_admin: str | None
    departments: int
    categories: int
    tiers: int = 0  # issue 4
    products_added: int = 0  # issue 4: new catalogue entries (existing ones are kept)
    calendars: int = 0  # issue 4: business-hours calendars
    sla_plans: int = 0  # issue 4: SLA plans
    knowledge: int = 0  # issue 5: starter knowledge articles published (new or changed)


class PeopleMixin:
    # -- setting up -----------------------------------------------------------------
    def init(self: Desk) -> InitReport:
        """Load starter data and, on a file with no users, make the current login an admin.

        Idempotent: run it again after editing data/*.yaml or upgrading.
        """
        departments = load_departments()
        categories = load_categories(departments={d.name for d in departments})
        # issue 4: tiers and the catalogue, validated before anything is written
        tiers = load_tiers(categories={c.key for c in categories})
        products = load_catalogue(
            categories={c.key: c.department for c in categories},
            departments={d.name for d in departments},
        )
        # issue 4: calendars, SLA plans and the tier x priority matrix, validated too
        calendars = load_calendars()
        plans, matrix = load_sla(
            calendars={c.name for c in calendars}, tiers=[t.name for t in tiers]
        )
        created = None
        with self.store.transaction():
            if self.store.users.count() > 0:
                require(self.actor, "catalogue.load")
            self.store.reference.upsert_departments(departments)
            self.store.reference.upsert_categories(categories)
            # issue 4: tiers are updated from the file; products only added when new
            self.store.catalogue.upsert_tiers(tiers)
            added = self.store.catalogue.add_missing_products(products, self._stamp())
            # issue 4: calendars, plans and matrix rows are updated from the files
            self.store.sla.upsert_calendars(calendars)
            self.store.sla.upsert_plans(plans)
            self.store.sla.upsert_matrix(matrix)
            if self.store.users.count() == 0:
                login = validate_login(self.login)
                self.store.users.add(login, login, "admin", 3, "Service Desk", self._stamp())
                created = login
            knowledge = self._kb_load_starter()  # issue 5: data/kb/*.yaml
        return InitReport(
            created,
            len(departments),
            len(categories),
            len(tiers),
            added,
            calendars=len(calendars),
            sla_plans=len(plans),
            knowledge=knowledge,
        )

    # -- users ----------------------------------------------------------------------
    def users(self: Desk) -> list[User]:
        return self.store.users.list()

    def user(self: Desk, login: str) -> User:
        found = self.store.users.get(login)
        if found is None:
            raise NotFound(f"no user {login!r}: see `helpdesk user list`")
        return found

    def add_user(
        self: Desk,
        login: str,
        name: str,
        role: str,
        level: int = 1,
        department: str | None = None,
    ) -> User:
        login = validate_login(login)
        name = validate.text(name, "name", field="name")
        role = validate.choice(role, "role", ROLES, field="role")
        if level not in LEVELS:
            raise InvalidInput(f"unknown level {level!r}: use 1, 2 or 3", field="level")
        known = {d.name for d in self.departments()}
        if department is not None and department not in known:
            raise NotFound(
                f"unknown department {department!r}: use one of {', '.join(sorted(known))}",
                field="department",
            )
        with self.store.transaction():
            require(self.actor, "user.add")
            if self.store.users.get(login) is not None:
                raise InvalidInput(f"user {login!r} already exists", field="login")
            self.store.users.add(login, name, role, level, department, self._stamp())
        return self.user(login)

    # -- customers --------------------------------------------------------------------
    def add_customer(
        self: Desk,
        name: str,
        email: str = "",
        phone: str = "",
        org: str = "",
        tier: str = "basic",
    ) -> Customer:
        name = validate.text(name, "customer name", field="name")
        email = validate.text(email, "e-mail", required=False, field="email")
        phone = validate.text(phone, "phone", required=False, field="phone")
        org = validate.text(org, "organisation", required=False, field="org")
        tier = validate.choice(tier or "basic", "tier", TIERS, field="tier")
        if email and not _EMAIL.match(email):
            raise InvalidInput(f"{email!r} is not an e-mail address", field="email")
        if phone and not _PHONE.match(phone):
            raise InvalidInput(
                f"{phone!r} is not a phone number (digits, spaces, + ( ) - . x)", field="phone"
            )
        require(self.actor, "customer.add")
        with self.store.transaction():
            new_id = self.store.customers.add(name, email, phone, org, tier, self._stamp())
        return self.customer(new_id)

    def customer(self: Desk, customer_id: int) -> Customer:
        found = self.store.customers.get(customer_id)
        if found is None:
            raise NotFound(f"no customer with id {customer_id}", field="customer")
        return found

    def find_customers(self: Desk, text: str, limit: int = 20) -> list[Customer]:
        """Search as you type over name, e-mail, phone and organisation."""
        return self.store.customers.search(text or "", limit)

    def resolve_customer(self: Desk, id_or_name: str) -> Customer:
        """A customer from an id (``42``, ``#42``) or an exact name; ambiguity is refused."""
        text = (id_or_name or "").strip()
        if not text:
            raise InvalidInput("customer is required: give an id or a name", field="customer")
        digits = text.lstrip("#")
        if digits.isdigit():
            return self.customer(int(digits))
        matches = self.store.customers.by_exact_name(text)
        if not matches:
            raise NotFound(
                f"no customer named {text!r}: find one with `helpdesk customer list --search "
                f"TEXT` or add one with `helpdesk customer add NAME`",
                field="customer",
            )
        if len(matches) > 1:
            ids = ", ".join(str(c.id) for c in matches[:10])
            raise InvalidInput(
                f"{len(matches)} customers are named {text!r} (ids {ids}): give the id instead",
                field="customer",
            )
        return matches[0]


def validate_login(login: str) -> str:
    login = (login or "").strip()
    if not _LOGIN.match(login):
        raise InvalidInput(
            f"{login!r} is not a valid login: lower-case letters, digits and . _ - @, "
            "starting with a letter",
            field="login",
        )
    return login
