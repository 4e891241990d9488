"""``helpdesk bulletin ...``: post, list, show, update, link, answer, resolve, and refusals."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from helpdesk_tui.cli import app
from helpdesk_tui.desk import Desk, TicketDraft

TITLE = "Mail [@click=app.quit]x[/] down"


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(self, command: str, *extra: str, as_: str = "lee") -> Result:
        argv = ["--db", str(self.db), "--as", as_, *shlex.split(command), *extra]
        return CliRunner().invoke(app, argv)


@pytest.fixture
def cli(desk: Desk, db_path: Path) -> Cli:
    return Cli(db_path)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def refused(result: Result, *words: str) -> str:
    """One ``error:`` line on stderr, nothing on stdout, exit 1, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def post_mail(cli: Cli) -> None:
    out = ok(
        cli(
            f"bulletin post --title {shlex.quote(TITLE)} --answer 'Back by noon.' "
            "--product office365 --keyword outlook --keyword 'e-mail' --severity critical "
            "--until 2099-01-01T17:00"
        )
    )
    assert out == f"bulletin 1 posted: {TITLE} (critical, active)\n"


def test_post_list_and_show_keep_user_text_literal(cli: Cli) -> None:
    post_mail(cli)
    listed = ok(cli("bulletin list", as_="alice"))
    assert TITLE in listed and "office365; words: outlook, e-mail" in listed
    data = json.loads(ok(cli("bulletin list --active --format json", as_="alice")))
    assert [(b["id"], b["title"], b["expected_end"]) for b in data] == [
        (1, TITLE, "2099-01-01T17:00:00Z")
    ]
    shown = ok(cli("bulletin show 1", as_="alice"))
    assert TITLE in shown and "Tell customers  Back by noon." in shown
    assert "0 contacts, 0 tickets (0 open)" in shown


def test_an_agent_cannot_post_and_nothing_is_written(cli: Cli, desk: Desk) -> None:
    result = cli("bulletin post --title T --answer A", as_="alice")
    assert refused(result) == (
        "error: only leads or admins may post or update bulletins; alice is an agent"
    )
    refused(cli("bulletin resolve 1 --note fixed", as_="alice"), "resolve bulletins")
    assert desk.bulletin_revision() == 0


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("bulletin post --title T --answer ''", ["answer for customers is required"]),
        ("bulletin post --title T --answer A --until soon", ["'soon' is not a date and time"]),
        (
            "bulletin post --title T --answer A --start 2099-01-02T00:00 --until 2099-01-01",
            ["is not after the start"],
        ),
        ("bulletin post --title T --answer A --product nope", ["unknown product 'nope'"]),
        ("bulletin post --title T --answer A --category nope", ["unknown category 'nope'"]),
        ("bulletin post --title T --answer A --severity huge", ["unknown severity 'huge'"]),
        ("bulletin post --kind end-of-support --product win11_laptop", ["no end of support"]),
        ("bulletin show 7", ["no bulletin 7"]),
        ("bulletin link 1", ["exactly one of --contact"]),
        ("bulletin link 1 --contact 1 --ticket 1", ["exactly one of --contact"]),
        ("bulletin link 7 --ticket 1", ["no bulletin 7"]),
        ("bulletin resolve 7 --note x", ["no bulletin 7"]),
        ("bulletin update 7 --title x", ["no bulletin 7"]),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    cli: Cli, desk: Desk, command: str, words: list[str]
) -> None:
    refused(cli(command), *words)
    assert desk.bulletin_revision() == 0


def test_link_answer_show_and_resolve_with_tickets(cli: Cli, desk: Desk) -> None:
    post_mail(cli)
    alice = Desk.open(desk.store.path, login="alice")
    try:
        customer = alice.resolve_customer("Marta Jones").id
        with_ticket = alice.log_contact(
            channel="phone",
            customer_id=customer,
            summary="Outlook offline",
            outcome="ticket",
            ticket=TicketDraft("No mail", "network", {"location": "B2"}),
        )
        plain = alice.log_contact(channel="email", customer_id=customer, summary="mail?")
    finally:
        alice.close()
    assert with_ticket.ticket is not None
    number = with_ticket.ticket.id
    out = ok(cli(f"bulletin link 1 --contact {with_ticket.contact.id}", as_="alice"))
    assert out == f"contact {with_ticket.contact.id} and ticket #{number} linked to bulletin 1\n"
    out = ok(cli(f"bulletin link 1 --ticket {number}", as_="alice"))
    assert out == f"ticket #{number} was already linked to bulletin 1\n"
    ok(cli(f"bulletin link 1 --contact {plain.contact.id}", as_="alice"))
    out = ok(cli("bulletin answer 1 --customer 'Marta Jones' --channel phone", as_="alice"))
    assert out.splitlines()[1] == "tell the customer: Back by noon."
    report = json.loads(ok(cli("bulletin show 1 --format json", as_="alice")))
    assert (report["contacts_linked"], report["tickets_linked"]) == (3, 1)
    assert sum(report["contacts_per_hour"].values()) == 3
    assert report["tickets"] == [
        {"id": number, "status": "open", "title": "No mail", "customer": "Marta Jones"}
    ]
    shown = ok(cli("bulletin show 1"))
    assert "Per hour" in shown and f"#{number}" in shown
    out = ok(cli("bulletin resolve 1 --note 'Fixed: restart Outlook.' --resolve-tickets"))
    assert out == "bulletin 1 resolved: 1 linked open ticket updated and resolved\n"
    assert desk.ticket(number).status == "resolved"
    assert ok(cli("bulletin list --active")).count("Mail") == 0
    refused(cli("bulletin resolve 1 --note again"), "bulletin 1 is resolved")


def test_update_with_a_stale_version_is_refused(cli: Cli, desk: Desk) -> None:
    post_mail(cli)
    out = ok(cli("bulletin update 1 --version 1 --answer 'Back by 14:00.' --clear-until"))
    assert out == f"bulletin 1 updated to version 2: {TITLE} (critical, active)\n"
    refused(cli("bulletin update 1 --version 1 --title Other"), "changed by lee")
    assert desk.bulletin(1).answer == "Back by 14:00." and desk.bulletin(1).expected_end is None
    refused(cli("bulletin update 1"), "nothing to change")


def test_end_of_support_notice_and_expired_listing(cli: Cli) -> None:
    out = ok(cli("bulletin post --kind end-of-support --product avaya_9611g"))
    assert out.startswith("bulletin 1 posted: End of support: ")
    assert "2027-02-10" in out
    shown = json.loads(ok(cli("bulletin show 1 --format json")))
    assert (shown["kind"], shown["support_ends"]) == ("end_of_support", "2027-02-10")
    assert json.loads(ok(cli("bulletin list --expired --format json"))) == []
