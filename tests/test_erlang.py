"""Erlang C against a published worked example and against hand arithmetic.

Source: Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked
Example" (callcentrehelper.com/erlang-c-formula-example-121281.htm). Its inputs:
100 calls in 30 minutes (200 an hour), average handle time 180 s, target 80 % of
calls answered within 20 s. Traffic intensity A = 200 x 180 / 3600 = 10 Erlangs;
it starts at N = A + 1 = 11 agents, where the probability of waiting is 0.6821
and the service level 39 %, and adds agents until the target is met: 14 agents.
"""

from __future__ import annotations

import math

import pytest

from helpdesk_tui.desk import erlang


def test_traffic_of_the_worked_example_is_ten_erlangs() -> None:
    assert erlang.traffic(200, 180) == pytest.approx(10.0)


def test_probability_of_waiting_with_eleven_agents_matches_the_article() -> None:
    # Factorial form by hand: A^N/N! * N/(N-A) over (sum_{k<N} A^k/k! + that).
    a, n = 10.0, 11
    top = a**n / math.factorial(n) * n / (n - a)
    bottom = sum(a**k / math.factorial(k) for k in range(n)) + top
    assert erlang.erlang_c(n, a) == pytest.approx(top / bottom)
    assert erlang.erlang_c(n, a) == pytest.approx(0.6821, abs=5e-5)
    # SL = 1 - 0.6821 * e^(-(11-10) * 20/180) = 1 - 0.6821 * 0.8948 = 0.3896
    assert erlang.service_level(n, a, 180, 20) == pytest.approx(0.3896, abs=5e-4)


def test_the_worked_example_needs_fourteen_agents() -> None:
    need = erlang.agents_needed(200, 180, target_seconds=20, target_level=0.8)
    assert need.agents == 14
    assert need.load == pytest.approx(10.0)
    # 13 agents fall just short of 80 %; 14 pass it.
    assert erlang.service_level(13, 10, 180, 20) < 0.8 < need.service_level
    assert need.service_level == pytest.approx(0.8884, abs=5e-4)
    assert need.occupancy == pytest.approx(10 / 14)
    # ASA = Pw * AHT / (N - A) = 0.1741 * 180 / 4 = 7.8 s
    assert need.asa_seconds == pytest.approx(0.1741 * 180 / 4, abs=0.01)


def test_no_contacts_need_no_agents() -> None:
    need = erlang.agents_needed(0, 300)
    assert need.agents == 0 and need.service_level == 1.0 and need.load == 0.0


def test_an_overloaded_queue_never_answers_in_time() -> None:
    assert erlang.erlang_c(5, 5.0) == 1.0
    assert erlang.service_level(4, 5.0, 180, 20) == 0.0
    assert math.isinf(erlang.average_speed_of_answer(5, 5.0, 180))


def test_one_agent_by_hand() -> None:
    # N = 1 (M/M/1): Pw = A; with A = 0.5, SL(t) = 1 - 0.5 * e^(-(1-0.5) t / AHT).
    assert erlang.erlang_c(1, 0.5) == pytest.approx(0.5)
    assert erlang.service_level(1, 0.5, 100, 100) == pytest.approx(1 - 0.5 * math.exp(-0.5))


def test_a_stricter_target_needs_more_agents() -> None:
    loose = erlang.agents_needed(200, 180, 20, 0.8).agents
    strict = erlang.agents_needed(200, 180, 10, 0.95).agents
    assert strict > loose


def test_large_loads_do_not_overflow() -> None:
    need = erlang.agents_needed(20_000, 300, 20, 0.8)
    assert need.agents > need.load
