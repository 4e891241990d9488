"""Bulletins (issue 6): posting rules, intake matching, linking, the wave, expiry, revisions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from conftest import T0, as_user

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import (
    Desk,
    DeskError,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleEdit,
    StorageProblem,
    TicketDraft,
)
from helpdesk_tui.desk import bulletin_rules as rules
from helpdesk_tui.store import StoreError

WIFI = {"location": "B2 floor 3"}


@pytest.fixture
def team(desk: Desk) -> Iterator[dict[str, Desk]]:
    """alice (agent) and lee (lead) from conftest, plus a second lead, lena."""
    desk.add_user("lena", "Lena Lead", "lead", 2, "Service Desk")
    consoles = {login: as_user(desk, login) for login in ("alice", "lee", "lena")}
    yield consoles
    for console in consoles.values():
        console.close()


def mail_outage(d: Desk, **extra: object) -> int:
    values: dict = {
        "title": "Mail server down",
        "answer": "Mail is down since 9:00; we expect it back by noon.",
        "products": ["office365"],
        "keywords": ["outlook", "e-mail"],
        "severity": "major",
    }
    values.update(extra)
    return d.post_bulletin(**values).id


def nothing_posted(d: Desk) -> bool:
    return d.bulletin_revision() == 0 and d.bulletins() == []


# -- who may post -------------------------------------------------------------------------------


def test_a_lead_posts_and_every_field_is_kept(team: dict[str, Desk]) -> None:
    lee = team["lee"]
    posted = lee.post_bulletin(
        title="Mail server down",
        answer="We know; it is back by noon.",
        products=["Office365", "office365"],
        categories=["email"],
        keywords=["Outlook", "outlook ", ""],
        severity="critical",
        expected_end=T0 + timedelta(hours=3),
    )
    assert posted.kind == "outage"
    assert posted.products == ("office365",)
    assert posted.categories == ("email",)
    assert posted.keywords == ("Outlook",)
    assert (posted.severity, posted.status, posted.version) == ("critical", "active", 1)
    assert posted.starts_at == T0 and posted.expected_end == T0 + timedelta(hours=3)
    assert (posted.posted_by, posted.updated_by) == ("lee", "lee")
    assert not posted.expired and not posted.scheduled
    assert team["alice"].bulletin(posted.id) == posted


@pytest.mark.parametrize("action", ["post", "update", "resolve"])
def test_agents_may_not_post_update_or_resolve(
    desk: Desk, team: dict[str, Desk], action: str
) -> None:
    bulletin_id = mail_outage(team["lee"])
    before = desk.bulletin(bulletin_id)
    alice = team["alice"]
    with pytest.raises(Forbidden) as refused:
        if action == "post":
            mail_outage(alice)
        elif action == "update":
            alice.update_bulletin(bulletin_id, title="Mail is back")
        else:
            alice.resolve_bulletin(bulletin_id, "fixed")
    words = "resolve bulletins" if action == "resolve" else "post or update bulletins"
    assert str(refused.value) == f"only leads or admins may {words}; alice is an agent"
    assert desk.bulletin(bulletin_id) == before
    assert desk.bulletin_revision() == 1
    assert not alice.may_manage_bulletins() and team["lee"].may_manage_bulletins()


@pytest.mark.parametrize(
    ("extra", "error", "message"),
    [
        ({"answer": "  "}, InvalidInput, "the answer for customers is required"),
        ({"title": ""}, InvalidInput, "title is required"),
        ({"products": ["no_such_thing"]}, NotFound, "unknown product 'no_such_thing'"),
        ({"categories": ["plumbing"]}, NotFound, "unknown category 'plumbing'"),
        ({"severity": "apocalyptic"}, InvalidInput, "unknown severity 'apocalyptic'"),
        ({"kind": "rumour"}, InvalidInput, "unknown bulletin kind 'rumour'"),
        ({"expected_end": "next tuesday"}, InvalidInput, "is not a date and time: use ISO 8601"),
        ({"expected_end": T0 - timedelta(hours=1)}, InvalidInput, "is not after the start"),
        (
            {"starts_at": T0 - timedelta(hours=5), "expected_end": T0 - timedelta(hours=1)},
            InvalidInput,
            "the expected end is already past",
        ),
        ({"keywords": ["+++"]}, InvalidInput, "has no letters or digits"),
        ({"title": "x" * 201}, InvalidInput, "the limit is 200"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    team: dict[str, Desk], extra: dict, error: type[DeskError], message: str
) -> None:
    with pytest.raises(error, match=message) as refused:
        mail_outage(team["lee"], **extra)
    assert "\n" not in str(refused.value)
    assert nothing_posted(team["lee"])


def test_times_take_iso_text_in_local_time_or_with_a_zone(team: dict[str, Desk]) -> None:
    lee = team["lee"]
    posted = lee.post_bulletin(
        title="Planned upgrade",
        answer="Expect short interruptions.",
        starts_at="2026-11-28T08:00Z",
        expected_end="2026-11-28T17:00",
    )
    assert posted.starts_at == datetime.fromisoformat("2026-11-28T08:00+00:00")
    assert posted.expected_end == datetime.fromisoformat("2026-11-28T17:00").astimezone()
    assert posted.scheduled  # starts after the frozen "now"
    assert (
        rules.moment("2026-11-28", "start", field="s")
        == datetime.fromisoformat("2026-11-28T00:00").astimezone()
    )


def test_markup_and_escape_sequences_are_stored_literally(team: dict[str, Desk]) -> None:
    title = "[@click=app.quit]x[/] [bold]Mail[/bold]"
    answer = "Say: [/bar] \x1b[31mred\x1b[0m [0] \u202e"
    bulletin_id = mail_outage(team["lee"], title=title, answer=answer, keywords=["[red]"])
    stored = team["alice"].bulletin(bulletin_id)
    assert (stored.title, stored.answer, stored.keywords) == (title, answer, ("[red]",))


# -- matching at intake ---------------------------------------------------------------------------


@pytest.fixture
def three(team: dict[str, Desk]) -> dict[str, int]:
    lee = team["lee"]
    return {
        "mail": mail_outage(lee),
        "wifi": lee.post_bulletin(
            title="Wi-Fi outage in building 2",
            answer="Use a network cable meanwhile.",
            categories=["network"],
            keywords=["wifi", "wireless"],
            severity="critical",
        ).id,
        "build": lee.post_bulletin(
            title="Build farm", answer="Builds are queued.", keywords=["C++"], severity="minor"
        ).id,
    }


def ids(bulletins: list) -> list[int]:
    return [b.id for b in bulletins]


def test_matching_by_product_category_and_the_product_s_category(
    team: dict[str, Desk], three: dict[str, int]
) -> None:
    alice = team["alice"]
    assert ids(alice.matching_bulletins(product="office365")) == [three["mail"]]
    assert ids(alice.matching_bulletins(category="network")) == [three["wifi"]]
    # corporate_wifi is a network product: its category counts when none is chosen.
    assert ids(alice.matching_bulletins(product="corporate_wifi")) == [three["wifi"]]
    assert alice.matching_bulletins(category="printer") == []
    assert alice.matching_bulletins() == []


def test_matching_by_words_in_the_summary_any_text_is_fine(
    team: dict[str, Desk], three: dict[str, int]
) -> None:
    alice = team["alice"]
    assert ids(alice.matching_bulletins(text="My OUTLOOK freezes")) == [three["mail"]]
    assert ids(alice.matching_bulletins(text="cannot send e-mail.")) == [three["mail"]]
    assert ids(alice.matching_bulletins(text="the mail won't sync")) == [three["mail"]]  # title
    assert ids(alice.matching_bulletins(text='c++ "NOT compiling')) == [three["build"]]
    for hostile in ('"', "NOT", "AND (", "*", "C#", "'; DROP TABLE bulletins; --", "\x00\x1b[2J"):
        assert alice.matching_bulletins(text=hostile) == []
    assert alice.matching_bulletins(text="email") == []  # e-mail is a phrase: e, mail
    assert alice.matching_bulletins(text="outlooks") == []  # whole words only


def test_most_severe_first_and_resolved_or_scheduled_ones_never_match(
    team: dict[str, Desk], three: dict[str, int]
) -> None:
    alice, lee = team["alice"], team["lee"]
    both = alice.matching_bulletins(product="office365", text="wifi, c++ and outlook")
    assert ids(both) == [three["wifi"], three["mail"], three["build"]]
    lee.resolve_bulletin(three["wifi"], "Access points replaced.")
    lee.post_bulletin(
        title="Wi-Fi maintenance",
        answer="Tonight.",
        keywords=["wifi"],
        starts_at=T0 + timedelta(hours=10),
    )
    assert ids(alice.matching_bulletins(text="wifi and outlook")) == [three["mail"]]


def test_matching_with_an_unknown_product_or_category_says_so(
    team: dict[str, Desk], three: dict[str, int]
) -> None:
    with pytest.raises(NotFound, match="unknown product 'nope'"):
        team["alice"].matching_bulletins(product="nope")
    with pytest.raises(NotFound, match="unknown category 'nope'"):
        team["alice"].matching_bulletins(category="nope")


# -- linking ------------------------------------------------------------------------------


def call_with_ticket(d: Desk, summary: str = "Outlook says disconnected") -> tuple[int, int]:
    result = d.log_contact(
        channel="phone",
        customer_id=d.resolve_customer("Marta Jones").id,
        summary=summary,
        outcome="ticket",
        ticket=TicketDraft("No mail", "network", WIFI),
    )
    assert result.ticket is not None
    return result.contact.id, result.ticket.id


def test_linking_a_contact_links_its_ticket_with_an_event_once(team: dict[str, Desk]) -> None:
    alice = team["alice"]
    bulletin_id = mail_outage(team["lee"])
    contact_id, number = call_with_ticket(alice)
    events = len(alice.ticket_view(number).events)
    link = alice.link_contact_to_bulletin(bulletin_id, contact_id)
    assert (link.contact_id, link.ticket_id, link.linked) == (contact_id, number, True)
    view = alice.ticket_view(number)
    assert len(view.events) == events + 1
    event = view.events[-1]
    assert (event.kind, event.actor, event.field, event.new_value) == (
        "bulletin",
        "alice",
        "bulletin",
        str(bulletin_id),
    )
    assert event.note == "Mail server down"
    again = alice.link_contact_to_bulletin(bulletin_id, contact_id)
    assert again.linked is False
    assert alice.link_ticket_to_bulletin(bulletin_id, number).linked is False
    assert len(alice.ticket_view(number).events) == events + 1
    report = alice.bulletin_report(bulletin_id)
    assert (report.contacts, report.tickets, report.open_tickets) == (1, 1, 1)
    assert [b.id for b in alice.bulletins_for_ticket(number)] == [bulletin_id]


def test_linking_refuses_resolved_bulletins_closed_tickets_and_unknown_ids(
    team: dict[str, Desk],
) -> None:
    alice, lee = team["alice"], team["lee"]
    bulletin_id = mail_outage(lee)
    _, number = call_with_ticket(alice)
    alice.resolve(number, "works again")
    alice.close_ticket(number)
    with pytest.raises(Forbidden, match=f"ticket #{number} is closed"):
        alice.link_ticket_to_bulletin(bulletin_id, number)
    with pytest.raises(NotFound, match="no bulletin 99"):
        alice.link_ticket_to_bulletin(99, number)
    with pytest.raises(NotFound, match="no contact with id 99"):
        alice.link_contact_to_bulletin(bulletin_id, 99)
    lee.resolve_bulletin(bulletin_id, "fixed")
    contact_id, _ = call_with_ticket(alice)
    with pytest.raises(InvalidInput, match=f"bulletin {bulletin_id} is resolved"):
        alice.link_contact_to_bulletin(bulletin_id, contact_id)
    assert alice.bulletin_report(bulletin_id).contacts == 0


def test_answer_from_bulletin_logs_an_answered_contact_linked_in_one_step(
    desk: Desk, team: dict[str, Desk]
) -> None:
    alice = team["alice"]
    bulletin_id = mail_outage(team["lee"])
    customer = alice.resolve_customer("Marta Jones").id
    result = alice.answer_from_bulletin(
        bulletin_id, channel="phone", customer_id=customer, summary="Outlook down?"
    )
    assert (result.contact.outcome, result.ticket, result.contact.summary) == (
        "answered",
        None,
        "Outlook down?",
    )
    blank = alice.answer_from_bulletin(bulletin_id, channel="chat", customer_id=customer)
    assert blank.contact.summary == "Mail server down"
    assert alice.bulletin_report(bulletin_id).contacts == 2
    assert desk.store.bulletins.for_contact(result.contact.id) == [bulletin_id]


def test_answer_from_bulletin_is_all_or_nothing(
    desk: Desk, team: dict[str, Desk], monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = team["alice"]
    bulletin_id = mail_outage(team["lee"])
    customer = alice.resolve_customer("Marta Jones").id
    with pytest.raises(InvalidInput, match="unknown channel"):
        alice.answer_from_bulletin(bulletin_id, channel="pigeon", customer_id=customer)

    def broken(*args: object) -> bool:
        raise StoreError("disk full")

    monkeypatch.setattr(alice.store.bulletins, "link_contact", broken)
    with pytest.raises(StorageProblem, match="disk full"):
        alice.answer_from_bulletin(bulletin_id, channel="phone", customer_id=customer)
    assert desk.store.contacts.count() == 0


# -- the wave ------------------------------------------------------------------------------------


def test_per_hour_counts_follow_the_clock(team: dict[str, Desk], clock: FrozenClock) -> None:
    alice = team["alice"]
    bulletin_id = mail_outage(team["lee"])
    customer = alice.resolve_customer("Marta Jones").id
    for minutes in (5, 20, 30):  # 09:05, 09:25, 09:55
        clock.advance(minutes=minutes)
        alice.answer_from_bulletin(bulletin_id, channel="phone", customer_id=customer)
    clock.advance(minutes=20)  # 10:15: a caller whose problem needs a ticket
    contact_id, number = call_with_ticket(alice)
    alice.link_contact_to_bulletin(bulletin_id, contact_id)
    clock.advance(hours=2)  # 12:15
    alice.answer_from_bulletin(bulletin_id, channel="email", customer_id=customer)
    report = alice.bulletin_report(bulletin_id)
    assert report.contacts_per_hour == {
        "2026-11-25T09:00:00Z": 3,
        "2026-11-25T10:00:00Z": 1,
        "2026-11-25T12:00:00Z": 1,
    }
    assert report.tickets_per_hour == {"2026-11-25T10:00:00Z": 1}
    assert [(h.hour[11:13], h.contacts, h.tickets) for h in report.timeline()] == [
        ("09", 3, 0),
        ("10", 1, 1),
        ("11", 0, 0),
        ("12", 1, 0),
    ]
    assert [t.id for t in report.linked_open_tickets] == [number]


# -- expiry, notices, two leads, revisions ------------------------------------------------------


def test_expired_bulletins_are_flagged_not_dropped(
    team: dict[str, Desk], clock: FrozenClock
) -> None:
    lee = team["lee"]
    bulletin_id = mail_outage(lee, expected_end=T0 + timedelta(hours=2))
    assert not lee.bulletin(bulletin_id).expired and lee.expired_bulletins() == []
    clock.advance(hours=3)
    assert lee.bulletin(bulletin_id).expired
    assert ids(lee.expired_bulletins()) == [bulletin_id]
    assert ids(lee.bulletins(active_only=True)) == [bulletin_id]  # still on every console
    extended = lee.update_bulletin(bulletin_id, expected_end=T0 + timedelta(hours=5))
    assert not extended.expired
    clock.advance(hours=3)
    lee.resolve_bulletin(bulletin_id, "fixed")
    assert lee.expired_bulletins() == [] and not lee.bulletin(bulletin_id).expired


def test_end_of_support_notice_names_the_product_and_its_last_day(team: dict[str, Desk]) -> None:
    lee = team["lee"]
    ended = lee.post_bulletin(kind="end-of-support", products=["win10_desktop"])
    assert ended.kind == "end_of_support" and ended.severity == "minor"
    assert str(ended.support_ends) == "2025-10-14"
    assert ended.title == "End of support: Windows 10 desktop (ended 2025-10-14)"
    assert ended.answer.startswith("Support for Windows 10 desktop ended on 2025-10-14.")
    ending = lee.post_bulletin(
        kind="end_of_support", products=["avaya_9611g"], answer="Order a new phone."
    )
    assert "on 2027-02-10" in ending.title and ending.answer == "Order a new phone."
    assert ids(team["alice"].matching_bulletins(product="avaya_9611g")) == [ending.id]
    assert team["alice"].matching_bulletins(text="avaya desk phone") == []
    with pytest.raises(InvalidInput, match="win11_laptop has no end of support"):
        lee.post_bulletin(kind="end-of-support", products=["win11_laptop"])
    with pytest.raises(InvalidInput, match="exactly one --product"):
        lee.post_bulletin(kind="end-of-support", products=["win10_desktop", "avaya_9611g"])


def test_the_second_of_two_leads_editing_one_version_is_refused(team: dict[str, Desk]) -> None:
    lee, lena = team["lee"], team["lena"]
    bulletin_id = mail_outage(lee)
    seen_by_lee = lee.bulletin(bulletin_id)
    seen_by_lena = lena.bulletin(bulletin_id)
    lee.update_bulletin(
        bulletin_id, expected_version=seen_by_lee.version, answer="Back by 14:00 now."
    )
    with pytest.raises(StaleEdit, match="changed by lee since you opened it") as refused:
        lena.update_bulletin(bulletin_id, expected_version=seen_by_lena.version, title="Mail ok")
    assert "nothing was saved" in str(refused.value)
    with pytest.raises(StaleEdit):
        lena.resolve_bulletin(bulletin_id, "fixed", expected_version=seen_by_lena.version)
    now = lena.bulletin(bulletin_id)
    assert (now.title, now.answer, now.version, now.status) == (
        "Mail server down",
        "Back by 14:00 now.",
        2,
        "active",
    )


def test_update_checks_what_it_changes(team: dict[str, Desk], clock: FrozenClock) -> None:
    lee = team["lee"]
    bulletin_id = mail_outage(lee, expected_end=T0 + timedelta(hours=4))
    with pytest.raises(InvalidInput, match="nothing to change"):
        lee.update_bulletin(bulletin_id)
    with pytest.raises(InvalidInput, match="is not after the start"):
        lee.update_bulletin(bulletin_id, starts_at=T0 + timedelta(hours=5))
    changed = lee.update_bulletin(
        bulletin_id, keywords=["smtp"], products=[], severity="critical", clear_expected_end=True
    )
    assert (changed.keywords, changed.products, changed.severity, changed.expected_end) == (
        ("smtp",),
        (),
        "critical",
        None,
    )
    lee.resolve_bulletin(bulletin_id, "fixed")
    with pytest.raises(InvalidInput, match="is resolved: it cannot change"):
        lee.update_bulletin(bulletin_id, title="again")
    with pytest.raises(InvalidInput, match="is resolved"):
        lee.resolve_bulletin(bulletin_id, "again")


def test_changes_are_seen_once_each_by_another_console(team: dict[str, Desk]) -> None:
    alice, lee = team["alice"], team["lee"]
    token, seen = alice.bulletins_changed_since(None)
    assert (token, seen) == (0, [])
    version = alice.data_version()
    bulletin_id = mail_outage(lee)
    assert alice.data_version() != version  # what the console polls
    token, seen = alice.bulletins_changed_since(token)
    assert [(b.id, b.change) for b in seen] == [(bulletin_id, "posted")]
    assert alice.bulletins_changed_since(token) == (token, [])
    lee.update_bulletin(bulletin_id, severity="critical")
    other = mail_outage(lee, title="Second")
    token, seen = alice.bulletins_changed_since(token)
    assert [(b.id, b.change) for b in seen] == [(bulletin_id, "updated"), (other, "posted")]
    lee.resolve_bulletin(bulletin_id, "fixed")
    token, seen = alice.bulletins_changed_since(token)
    assert [(b.id, b.change) for b in seen] == [(bulletin_id, "resolved")]
    assert token == alice.bulletin_revision() == 4
    # Linking contacts is not a change to announce.
    alice.answer_from_bulletin(
        other, channel="phone", customer_id=alice.resolve_customer("Marta Jones").id
    )
    assert alice.bulletins_changed_since(token) == (token, [])
