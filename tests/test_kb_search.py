"""Keyword search over the published articles: any typed text is a valid query, results
are filtered by category and product (a ticket's, when one is open)."""

from __future__ import annotations

import pytest

from helpdesk_tui.desk import Desk, NotFound, TicketDraft
from helpdesk_tui.desk.knowledge_tree import Node


def keys(found) -> list[str]:
    return [a.key for a in found]


def test_typing_print_finds_the_printer_tree_first(desk: Desk) -> None:
    for typed in ("print", "Print", "printer will", "paper jam"):
        assert keys(desk.kb_search(typed))[0] == "printer_wont_print", typed


@pytest.mark.parametrize(
    "typed", ["C++", '"', '"unbalanced', "NOT", "AND OR", "*", "e-mail", "can't", "", "   ", "-x"]
)
def test_any_typed_text_is_a_valid_query(desk: Desk, typed: str) -> None:
    found = desk.kb_search(typed)
    assert isinstance(found, list) and len(found) <= 20


def test_nothing_typed_lists_articles_by_title(desk: Desk) -> None:
    titles = [a.title for a in desk.kb_search("")]
    assert titles == sorted(titles, key=str.lower) and len(titles) >= 10


def test_node_text_and_tags_are_searched(desk: Desk) -> None:
    assert keys(desk.kb_search("BitLocker")) == ["computer_wont_start"]
    assert "email_not_arriving" in keys(desk.kb_search("Exchange"))  # only in a solution's steps
    assert "vpn_wont_connect" in keys(desk.kb_search("GlobalProtect"))
    assert keys(desk.kb_search("e-mail"))[0] == "email_not_arriving"


def test_category_and_product_filters(desk: Desk) -> None:
    assert set(keys(desk.kb_search("", category="phone"))) == {
        "phone_no_dial_tone",
        "voicemail_not_working",
    }
    assert keys(desk.kb_search("password", category="printer")) == []
    assert "cannot_log_in" in keys(desk.kb_search("password", category="account"))
    vpn = set(keys(desk.kb_search("", category="network", product="globalprotect_vpn")))
    assert vpn == {"vpn_wont_connect", "no_network"}  # no_network is for any product
    with pytest.raises(NotFound, match="unknown category"):
        desk.kb_search("x", category="kitchen")
    with pytest.raises(NotFound, match="unknown product"):
        desk.kb_search("x", product="toaster")


def test_a_tickets_category_and_product_filter_the_search(desk: Desk) -> None:
    draft = TicketDraft("VPN", "network", {"location": "home"}, product="globalprotect_vpn")
    number = desk.open_ticket(1, draft).id
    assert set(keys(desk.kb_search("", ticket=number))) == {"vpn_wont_connect", "no_network"}
    assert keys(desk.kb_search("connect", ticket=number))[0] == "vpn_wont_connect"


def test_search_sees_the_published_version_not_the_draft(desk: Desk) -> None:
    desk.kb_add_node("slow_computer", Node.solution("zebra", "Zebra stripes", "Odd."))
    assert keys(desk.kb_search("zebra")) == []
    desk.kb_link("slow_computer", "network_only", "no", "zebra")
    desk.kb_link("slow_computer", "top_process", "no", "esc_performance")
    desk.kb_publish("slow_computer")
    assert keys(desk.kb_search("zebra")) == ["slow_computer"]
    assert keys(desk.kb_search("zeb")) == ["slow_computer"]  # as you type
