"""``helpdesk product``, ``asset``, ``tier``, ``entitlement`` and ``customer set-tier``.

The CLI reads the wall clock; these tests freeze it at the conftest's T0
(2026-11-25) so support status and warranty read the same every day.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shlex
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from conftest import T0
from typer.testing import CliRunner, Result

from helpdesk_tui.cli import app
from helpdesk_tui.clock import Clock
from helpdesk_tui.desk import Desk

TABLES = ("tiers", "products", "assets", "customers", "tickets", "events")
MARKUP = ["[red]x[/red]", "[@click=app.quit]q", "[/bar]", "[0]"]


@pytest.fixture(autouse=True)
def _plain_terminal_and_frozen_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)

    def frozen(self: Clock) -> datetime:
        return T0

    monkeypatch.setattr(Clock, "now", frozen)


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(app, ["--db", str(self.db), *args])

    def sh(self, command: str) -> Result:
        return self(*shlex.split(command))


@pytest.fixture
def cli(desk: Desk, db_path: Path) -> Cli:
    """The CLI on the initialised desk (users admin/alice/lee, customer 1 Marta Jones, basic)."""
    desk.set_customer_tier(1, "basic")  # these tests judge the basic tier's entitlements
    return Cli(db_path)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def refused(cli: Cli, command: str, says: str, code: int = 1) -> str:
    """One ``error:`` line on stderr, nothing on stdout, no traceback, nothing written."""
    before = counts(cli.db)
    result = cli.sh(command)
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    assert says in lines[0], lines[0]
    assert counts(cli.db) == before
    return lines[0]


def rows(out: str) -> dict[str, str]:
    """Table lines by their first cell."""
    found = {}
    for line in out.splitlines():
        cells = line.split()
        if cells:
            found[cells[0]] = line
    return found


# -- products ----------------------------------------------------------------------------------


def test_product_list_shows_status_and_days_left(cli: Cli) -> None:
    table = rows(ok(cli("product", "list")))
    assert "ended" in table["win10_desktop"] and "407 ago" in table["win10_desktop"]
    assert table["legacy_crm"].split()[-2:] == ["ending", "51"]
    assert table["avaya_9611g"].split()[-2:] == ["ending", "77"]
    assert table["win11_laptop"].split()[-1] == "active"


def test_product_list_json_and_csv(cli: Cli) -> None:
    data = {p["key"]: p for p in json.loads(ok(cli("product", "list", "-f", "json")))}
    assert data["legacy_crm"] == {
        "id": data["legacy_crm"]["id"],
        "key": "legacy_crm",
        "name": "Legacy CRM",
        "category": "account",
        "department": "Accounts",
        "support_start": "2009-04-01",
        "end_of_support": "2027-01-15",
        "status": "ending",
        "days_left": 51,
    }
    assert data["win11_laptop"]["end_of_support"] is None
    records = list(csv.DictReader(io.StringIO(ok(cli("product", "list", "-f", "csv")))))
    crm = next(r for r in records if r["key"] == "legacy_crm")
    assert (crm["end_of_support"], crm["status"], crm["days_left"]) == (
        "2027-01-15",
        "ending",
        "51",
    )


def test_product_add_and_end_support(cli: Cli, desk: Desk) -> None:
    out = ok(
        cli.sh(
            "product add dell_u2723 --name 'Dell U2723QE monitor' --category computer "
            "--support-start 2023-01-01 --end-of-support 2027-02-23"
        )
    )
    assert out == "product dell_u2723 added (ending)\n"
    assert desk.product("dell_u2723").department == "Desktop"
    out = ok(cli.sh("product end-support dell_u2723 --date 2026-11-24"))
    assert out == "support for Dell U2723QE monitor ends on 2026-11-24 (ended)\n"


@pytest.mark.parametrize("name", MARKUP)
def test_product_names_are_shown_literally(cli: Cli, name: str) -> None:
    ok(cli("product", "add", "fancy", "--name", name, "--category", "general"))
    table = ok(cli("product", "list"))
    assert name in table
    data = {p["key"]: p for p in json.loads(ok(cli("product", "list", "-f", "json")))}
    assert data["fancy"]["name"] == name
    out = ok(cli("product", "end-support", "fancy", "--date", "2030-01-01"))
    assert name in out


def test_control_characters_in_names_are_made_visible(cli: Cli) -> None:
    ok(cli("product", "add", "bell", "--name", "Bell\x07\x1b[31m", "--category", "general"))
    out = ok(cli("product", "list"))
    assert "\x1b" not in out and "\x07" not in out
    assert "Bell\u2407\u241b[31m" in out


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("product add 'Bad Key' --name X --category general", "product key 'Bad Key' is not valid"),
        ("product add win10_desktop --name X --category general", "already exists"),
        ("product add x --name X --category hardware", "unknown category 'hardware'"),
        ("product add x --name X --category general --department Nowhere", "unknown department"),
        ("product add x --name X --category general --support-start 2026-02-30", "not a date"),
        (
            "product add x --name X --category general --support-start 2026-01-01 "
            "--end-of-support 2025-01-01",
            "end of support 2025-01-01 is before the support start 2026-01-01",
        ),
        ("product add x --name '' --category general", "product name is required"),
        ("product end-support toaster --date 2030-01-01", "unknown product 'toaster'"),
        ("product end-support win11_laptop --date 01/01/2030", "is not a date: use YYYY-MM-DD"),
        ("product end-support win11_laptop --date 2020-01-01", "before the support start"),
        ("--as alice product add x --name X --category general", "only admins may change"),
        ("--as lee product end-support win11_laptop --date 2030-01-01", "only admins may"),
        ("--as alice product list --ending", "only admins or leads may list products"),
    ],
)
def test_product_bad_input(cli: Cli, command: str, says: str) -> None:
    refused(cli, command, says)


def test_product_list_ending_for_leads(cli: Cli, desk: Desk) -> None:
    desk.add_asset(1, "legacy_crm", "CRM-1")
    out = ok(cli("--as", "lee", "product", "list", "--ending"))
    table = rows(out)
    assert table["legacy_crm"].split()[-4:] == ["2027-01-15", "51", "1", "0"]
    assert "avaya_9611g" in table and "win10_desktop" not in table
    data = json.loads(ok(cli("product", "list", "--ending", "--days", "60", "-f", "json")))
    assert [(d["key"], d["customers"]) for d in data] == [("legacy_crm", 1)]
    assert data[0]["notice"].startswith("Support for Legacy CRM ends on 2027-01-15.")
    assert "no product's support ends within 10 days" in ok(
        cli("product", "list", "--ending", "--days", "10")
    )


# -- assets ------------------------------------------------------------------------------------


def test_asset_add_and_list_with_warranty(cli: Cli, desk: Desk) -> None:
    out = ok(
        cli.sh(
            "asset add --customer 'Marta Jones' --product hp_laserjet_m507 --serial CNB1X2 "
            "--purchased 2022-01-10 --warranty-end 2025-01-09"
        )
    )
    assert out == "asset 1 added: warranty expired\n"
    assert ok(cli.sh("asset add --customer 1 --product win11_laptop")) == (
        "asset 2 added: warranty unknown\n"
    )
    other = desk.add_customer("Omar [b]Other[/b]")
    desk.add_asset(other.id, "cisco_8845", "FCH1", warranty_end="2026-11-25")
    table = rows(ok(cli("asset", "list")))
    assert table["1"].split()[-1] == "expired" and "Marta Jones (1)" in table["1"]
    assert table["2"].split()[-1] == "unknown"
    assert table["3"].split()[-1] == "valid" and "Omar [b]Other[/b]" in table["3"]
    mine = json.loads(ok(cli("asset", "list", "--customer", "1", "-f", "json")))
    assert [(a["id"], a["product"], a["warranty"]) for a in mine] == [
        (1, "hp_laserjet_m507", "expired"),
        (2, "win11_laptop", "unknown"),
    ]
    assert mine[0]["purchase_date"] == "2022-01-10"
    assert len(json.loads(ok(cli("asset", "list", "--limit", "1", "-f", "json")))) == 1


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("asset add --customer 99 --product win11_laptop", "no customer with id 99"),
        ("asset add --customer Nobody --product win11_laptop", "no customer named 'Nobody'"),
        ("asset add --customer 1 --product toaster", "unknown product 'toaster'"),
        ("asset add --customer 1 --product win11_laptop --serial DUP", "already recorded"),
        ("asset add --customer 1 --product win11_laptop --purchased soon", "not a date"),
        (
            "asset add --customer 1 --product win11_laptop --purchased 2026-01-10 "
            "--warranty-end 2026-01-09",
            "warranty end 2026-01-09 is before the purchase date 2026-01-10",
        ),
        ("asset list --customer 99", "no customer with id 99"),
    ],
)
def test_asset_bad_input(cli: Cli, desk: Desk, command: str, says: str) -> None:
    desk.add_asset(1, "win11_laptop", "DUP")
    refused(cli, command, says)


# -- tiers and entitlement ---------------------------------------------------------------------


def test_tier_list(cli: Cli) -> None:
    table = rows(ok(cli("tier", "list")))
    assert "e-mail, self-service portal, walk-in, social media" in table["basic"]
    assert "general, account, email, printer" in table["basic"]
    assert "chat" in table["premium"] and "all" in table["premium"]
    data = {t["name"]: t for t in json.loads(ok(cli("tier", "list", "-f", "json")))}
    assert data["basic"]["categories"] == ["general", "account", "email", "printer"]
    assert data["premium"]["channels"] == ["email", "portal", "walk-in", "social", "chat"]
    assert "phone" in data["concierge"]["channels"]
    assert "network" in data["premium"]["categories"]
    assert "https://help.example.org" in data["basic"]["self_service"]
    assert "name,description,channels" in ok(cli("tier", "list", "-f", "csv"))


def test_entitlement_allowed_exits_zero(cli: Cli) -> None:
    out = ok(cli.sh("entitlement 'Marta Jones' --channel email --category account"))
    assert out == "entitled: customer 1 (Marta Jones), tier basic\n"


def test_not_entitled_exits_three_with_reasons_and_pointer(cli: Cli) -> None:
    result = cli.sh("entitlement 1 --channel phone --category network")
    assert result.exit_code == 3
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "not entitled: customer 1 (Marta Jones), tier basic"
    assert lines[1].startswith("- the basic tier does not include phone support")
    assert lines[2].startswith("- the basic tier does not cover Network cases")
    assert lines[3].startswith("pointer: Point the customer to the self-service portal")
    data = json.loads(cli.sh("entitlement 1 --channel phone -f json").stdout)
    assert (data["customer_id"], data["allowed"], data["tier"]) == (1, False, "basic")
    assert len(data["reasons"]) == 1 and data["pointer"]


def test_set_tier_changes_the_entitlement(cli: Cli, desk: Desk) -> None:
    assert ok(cli("--as", "lee", "customer", "set-tier", "Marta Jones", "premium")) == (
        "customer 1 (Marta Jones) is now premium\n"
    )
    assert desk.customer(1).tier == "premium"
    ok(cli.sh("entitlement 1 --channel chat --category network"))
    assert cli.sh("entitlement 1 --channel phone").exit_code == 3
    ok(cli.sh("customer set-tier 1 concierge"))
    ok(cli.sh("entitlement 1 --channel phone --category network"))


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("customer set-tier 1 gold", "unknown tier 'gold': use one of basic, premium, concierge"),
        ("customer set-tier 42 premium", "no customer with id 42"),
        ("--as alice customer set-tier 1 premium", "only admins or leads may change"),
        ("entitlement 1 --channel fax", "unknown channel 'fax'"),
        ("entitlement 1 --channel email --category hardware", "unknown category 'hardware'"),
        ("entitlement Nobody --channel email", "no customer named 'Nobody'"),
    ],
)
def test_tier_and_entitlement_bad_input(cli: Cli, command: str, says: str) -> None:
    refused(cli, command, says)


def test_init_reports_nothing_new_the_second_time(cli: Cli) -> None:
    before = counts(cli.db)
    ok(cli("init"))
    assert counts(cli.db) == before
