"""Paged lists stay exact while their counts are remembered: "41-47 of 100" is always true.

The queue and the contact log remember totals and page positions until anybody
writes (store/counts.py); these tests page forwards, backwards, to the end and
back, in every view and order, and write from this console and from another one
in between, comparing every header with a count made from scratch.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import T0

from helpdesk_tui.clock import FrozenClock
from helpdesk_tui.desk import QUEUE_VIEWS, Desk, Page, TicketDraft
from helpdesk_tui.desk.demo import build_demo

SIZE = 7


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paging") / "demo.db"
    build_demo(path, tickets=400, open_share=0.25, login="admin", clock=FrozenClock(T0))
    return path


@pytest.fixture
def desk(demo_file: Path, tmp_path: Path) -> Iterator[Desk]:
    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_file.read_bytes())
    d = Desk.open(copy, login="admin", clock=FrozenClock(T0))
    yield d
    d.close()


def _whole(desk: Desk, view: str, sort: str) -> list[int]:
    """The view's tickets in order, from a console that remembers nothing."""
    fresh = Desk.open(desk.store.path, login=desk.login, clock=desk.clock)
    try:
        return [t.id for t in fresh.queue(view, sort=sort)]
    finally:
        fresh.close()


def _check(page: Page, expected: list[int]) -> None:
    ids = [t.id for t in page.rows]
    assert page.total == len(expected)
    assert ids == expected[page.offset : page.offset + len(ids)]


@pytest.mark.parametrize("view", QUEUE_VIEWS)
@pytest.mark.parametrize("sort", ["age", "due"])
def test_every_queue_header_is_exact_forwards_backwards_and_at_the_ends(
    desk: Desk, view: str, sort: str
) -> None:
    expected = _whole(desk, view, sort)
    page = desk.queue_page(view, SIZE, sort=sort)
    _check(page, expected)
    forwards = [page]
    while page.has_next:
        page = desk.queue_page(view, SIZE, after=page.last_key, sort=sort)
        _check(page, expected)
        forwards.append(page)
    assert sum(len(p.rows) for p in forwards) == len(expected)
    while page.has_previous:
        page = desk.queue_page(view, SIZE, before=page.first_key, sort=sort)
        _check(page, expected)
    assert page.offset == 0
    last = desk.queue_page(view, SIZE, last=True, sort=sort)
    _check(last, expected)
    assert not last.has_next


def test_the_header_follows_writes_from_this_console_and_another(desk: Desk) -> None:
    first = desk.queue_page("all", SIZE)
    second = desk.queue_page("all", SIZE, after=first.last_key)
    assert second.offset == SIZE
    other = Desk.open(desk.store.path, login="admin", clock=desk.clock)
    try:
        oldest = first.rows[0]
        other.resolve(oldest.id, "Fixed while you were looking.")  # another console
        again = desk.queue_page("all", SIZE, after=first.last_key)
        assert again.total == second.total - 1 and again.offset == SIZE - 1
        _check(again, _whole(desk, "all", "age"))
    finally:
        other.close()
    customer = desk.customer(1)
    draft = TicketDraft("Printer on fire", "general", {}, "normal", "Smoke from tray 2.")
    desk.log_contact(
        channel="email", customer_id=customer.id, summary="Smoke", outcome="ticket", ticket=draft
    )  # this console
    newest = desk.queue_page("all", SIZE, last=True)
    assert newest.total == again.total + 1
    _check(newest, _whole(desk, "all", "age"))


def _log(desk: Desk) -> list[int]:
    fresh = Desk.open(desk.store.path, login=desk.login, clock=desk.clock)
    try:
        ids, page = [], fresh.contacts_page(500)
        while True:
            ids += [c.id for c in page.rows]
            if not page.has_next:
                return ids
            page = fresh.contacts_page(500, older_than=page.last_key)
    finally:
        fresh.close()


def test_the_contact_log_header_is_exact_and_follows_writes(desk: Desk) -> None:
    expected = _log(desk)
    page = desk.contacts_page(SIZE)
    _check(page, expected)
    for _ in range(5):
        page = desk.contacts_page(SIZE, older_than=page.last_key)
        _check(page, expected)
    back = desk.contacts_page(SIZE, newer_than=page.first_key)
    _check(back, expected)
    other = Desk.open(desk.store.path, login="admin", clock=desk.clock)
    try:
        for n in range(3):
            other.log_contact(
                channel="email", customer_id=1, summary=f"Question {n}", outcome="answered"
            )
    finally:
        other.close()
    expected = _log(desk)
    again = desk.contacts_page(SIZE, older_than=back.last_key)
    _check(again, expected)
    assert again.total == len(expected) == page.total + 3
    assert desk.contacts_page(SIZE).rows[0].summary == "Question 2"
