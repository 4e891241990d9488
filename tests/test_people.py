"""Users, customers, and setting up a new file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import (
    Desk,
    Forbidden,
    InvalidInput,
    NotFound,
    UnknownUser,
)


def table_counts(path: Path | str) -> dict[str, int]:
    conn = sqlite3.connect(str(path))
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("users", "departments", "categories", "customers", "contacts")
        }
    finally:
        conn.close()


# -- init ---------------------------------------------------------------------------------


def test_init_on_an_empty_file_makes_the_login_an_admin(db_path: Path, clock: FrozenClock) -> None:
    desk = Desk.open(db_path, login="morgan", clock=clock)
    report = desk.init()
    assert report.created_admin == "morgan"
    assert report.departments == len(desk.departments()) >= 6
    assert report.categories == len(desk.categories()) >= 7
    [user] = desk.users()
    assert (user.login, user.role, user.level, user.active) == ("morgan", "admin", 3, True)
    assert user.created_at == T0
    assert desk.actor == user
    keys = {c.key for c in desk.categories()}
    assert {"computer", "phone", "network", "email", "printer", "account", "general"} <= keys
    desk.close()


def test_init_takes_the_login_from_the_environment(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPDESK_USER", "  sam  ")
    desk = Desk.open(db_path)
    assert desk.init().created_admin == "sam"
    desk.close()


def test_init_is_idempotent(desk: Desk) -> None:
    before = table_counts(desk.store.path)
    users_before = desk.users()
    report = desk.init()
    assert report.created_admin is None
    assert table_counts(desk.store.path) == before
    assert desk.users() == users_before


def test_init_by_an_agent_is_forbidden(desk: Desk) -> None:
    before = table_counts(desk.store.path)
    alice = as_user(desk, "alice")
    with pytest.raises(Forbidden, match="only admins may load starter data"):
        alice.init()
    alice.close()
    assert table_counts(desk.store.path) == before


def test_init_with_an_invalid_login_creates_nothing(db_path: Path) -> None:
    desk = Desk.open(db_path, login="Not A Login")
    with pytest.raises(InvalidInput, match="not a valid login"):
        desk.init()
    assert table_counts(db_path)["users"] == 0
    assert table_counts(db_path)["departments"] == 0  # all or nothing
    desk.close()


# -- who is acting ----------------------------------------------------------------------


def test_unknown_acting_user_is_told_how_to_be_added(desk: Desk) -> None:
    before = table_counts(desk.store.path)
    ghost = as_user(desk, "ghost")
    with pytest.raises(UnknownUser, match="helpdesk user add ghost") as caught:
        ghost.add_customer("Someone New")
    assert "'ghost' is not a helpdesk user" in str(caught.value)
    customer = desk.resolve_customer("Marta Jones")
    with pytest.raises(UnknownUser, match="helpdesk user add"):
        ghost.log_contact(channel="phone", customer_id=customer.id, summary="hello")
    ghost.close()
    assert table_counts(desk.store.path) == before


def test_empty_database_points_to_helpdesk_init(db_path: Path) -> None:
    desk = Desk.open(db_path, login="admin")
    with pytest.raises(UnknownUser, match="helpdesk init") as caught:
        desk.add_customer("Marta Jones")
    assert "admin" in str(caught.value)
    assert table_counts(db_path)["customers"] == 0
    desk.close()


# -- users --------------------------------------------------------------------------------


def test_admin_adds_a_user(desk: Desk) -> None:
    user = desk.add_user("dora", "Dora Desktop", "agent", 2, "Desktop")
    assert (user.login, user.name, user.role, user.level, user.department) == (
        "dora",
        "Dora Desktop",
        "agent",
        2,
        "Desktop",
    )
    assert user.created_at == T0
    assert "dora" in [u.login for u in desk.users()]


def test_agent_may_not_add_users(desk: Desk) -> None:
    before = table_counts(desk.store.path)
    alice = as_user(desk, "alice")
    with pytest.raises(Forbidden, match="only admins may add users; alice is an agent"):
        alice.add_user("bob", "Bob", "agent")
    alice.close()
    assert table_counts(desk.store.path) == before


def test_lead_may_not_add_users(desk: Desk) -> None:
    lee = as_user(desk, "lee")
    with pytest.raises(Forbidden, match="lee is a lead"):
        lee.add_user("bob", "Bob", "agent")
    lee.close()


def test_duplicate_login_is_refused(desk: Desk) -> None:
    before = desk.user("alice")
    with pytest.raises(InvalidInput, match="user 'alice' already exists"):
        desk.add_user("alice", "Another Alice", "lead", 2)
    assert desk.user("alice") == before


@pytest.mark.parametrize("login", ["", "Alice", "bob smith", "1st", "x" * 65, "a;drop", "é"])
def test_invalid_login_is_refused(desk: Desk, login: str) -> None:
    before = table_counts(desk.store.path)
    with pytest.raises(InvalidInput, match="not a valid login"):
        desk.add_user(login, "Someone", "agent")
    assert table_counts(desk.store.path) == before


def test_unknown_department_is_refused(desk: Desk) -> None:
    before = table_counts(desk.store.path)
    with pytest.raises(NotFound, match="unknown department 'Catering'") as caught:
        desk.add_user("bob", "Bob", "agent", 1, "Catering")
    assert "Desktop" in str(caught.value)
    assert table_counts(desk.store.path) == before


@pytest.mark.parametrize(
    ("role", "level", "pattern"),
    [("boss", 1, "unknown role 'boss'"), ("agent", 4, "unknown level 4"), ("", 1, "role")],
)
def test_unknown_role_or_level_is_refused(desk: Desk, role: str, level: int, pattern: str) -> None:
    before = table_counts(desk.store.path)
    with pytest.raises(InvalidInput, match=pattern):
        desk.add_user("bob", "Bob", role, level)
    assert table_counts(desk.store.path) == before


def test_empty_user_name_is_refused(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="name is required"):
        desk.add_user("bob", "  ", "agent")


def test_unknown_user_lookup(desk: Desk) -> None:
    with pytest.raises(NotFound, match="helpdesk user list"):
        desk.user("nobody")


# -- customers ---------------------------------------------------------------------------


def test_add_customer_stores_every_field(desk: Desk) -> None:
    customer = desk.add_customer(
        "  Ravi Patel ",
        email="ravi@example.net",
        phone="+44 (20) 7946-0958 x12",
        org="Globex",
        tier="Premium",
    )
    assert (customer.name, customer.email, customer.phone, customer.org, customer.tier) == (
        "Ravi Patel",
        "ravi@example.net",
        "+44 (20) 7946-0958 x12",
        "Globex",
        "premium",
    )
    assert customer.created_at == T0
    assert desk.customer(customer.id) == customer


def test_customer_defaults_to_basic_tier(desk: Desk) -> None:
    assert desk.add_customer("Walk-in Visitor").tier == "basic"


@pytest.mark.parametrize("email", ["marta", "marta@", "@example.org", "marta@example", "a b@c.d"])
def test_invalid_email_is_refused(desk: Desk, email: str) -> None:
    before = table_counts(desk.store.path)
    with pytest.raises(InvalidInput, match="not an e-mail address") as caught:
        desk.add_customer("Someone", email=email)
    assert caught.value.field == "email"
    assert table_counts(desk.store.path) == before


@pytest.mark.parametrize("phone", ["call me", "12", "555-CALL-NOW", "+1 555 0100; drop"])
def test_invalid_phone_is_refused(desk: Desk, phone: str) -> None:
    before = table_counts(desk.store.path)
    with pytest.raises(InvalidInput, match="not a phone number") as caught:
        desk.add_customer("Someone", phone=phone)
    assert caught.value.field == "phone"
    assert table_counts(desk.store.path) == before


def test_unknown_tier_is_refused(desk: Desk) -> None:
    before = table_counts(desk.store.path)
    with pytest.raises(InvalidInput, match="unknown tier 'gold'") as caught:
        desk.add_customer("Someone", tier="gold")
    assert "basic, premium, concierge" in str(caught.value)
    assert table_counts(desk.store.path) == before


def test_empty_customer_name_is_refused(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="customer name is required"):
        desk.add_customer("   ")


def test_customer_name_over_the_limit_is_refused(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="the limit is 200"):
        desk.add_customer("n" * 100_000)


def test_agents_may_add_customers(desk: Desk) -> None:
    alice = as_user(desk, "alice")
    customer = alice.add_customer("Caller On The Line")
    alice.close()
    assert desk.customer(customer.id).name == "Caller On The Line"


# -- finding a customer from what was typed ----------------------------------------------


def test_resolve_customer_by_id_and_hash_id(desk: Desk) -> None:
    marta = desk.find_customers("marta")[0]
    assert desk.resolve_customer(str(marta.id)) == marta
    assert desk.resolve_customer(f"#{marta.id}") == marta
    assert desk.resolve_customer(f"  #{marta.id} ") == marta


def test_resolve_customer_by_exact_name_ignoring_case(desk: Desk) -> None:
    marta = desk.find_customers("marta")[0]
    assert desk.resolve_customer("Marta Jones") == marta
    assert desk.resolve_customer("mARTA jONES") == marta


def test_ambiguous_name_lists_the_ids(desk: Desk) -> None:
    first = desk.add_customer("Sam Lee", email="sam1@example.org")
    second = desk.add_customer("Sam Lee", email="sam2@example.org")
    with pytest.raises(InvalidInput, match="2 customers are named 'sam lee'") as caught:
        desk.resolve_customer("sam lee")
    assert f"{first.id}, {second.id}" in str(caught.value)
    assert "give the id" in str(caught.value)


def test_unknown_customer_name_or_id(desk: Desk) -> None:
    with pytest.raises(NotFound, match="helpdesk customer add"):
        desk.resolve_customer("Nobody Here")
    with pytest.raises(NotFound, match="no customer with id 999"):
        desk.resolve_customer("#999")
    with pytest.raises(NotFound):
        desk.resolve_customer("Marta")  # a prefix is not an exact name


def test_empty_customer_reference_is_refused(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="customer is required"):
        desk.resolve_customer("  ")
