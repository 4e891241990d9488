"""Erlang C: how many agents a queue needs to answer a share of contacts within a target.

The standard contact-centre model (M/M/N: random arrivals, exponential handle times,
callers wait rather than leave). Inputs: the arrival rate, the average handle time
(AHT), the number of agents ``N``. With traffic ``A = rate x AHT`` (in Erlangs):

* probability a contact waits: ``Pw = C(N, A) = N·B / (N − A·(1 − B))``, with ``B`` the
  Erlang B blocking probability from the recursion ``B(0) = 1``,
  ``B(n) = A·B(n−1) / (n + A·B(n−1))`` (the same value as the factorial form, without
  overflowing for large N);
* service level: ``SL(t) = 1 − Pw · exp(−(N − A) · t / AHT)``;
* average speed of answer: ``ASA = Pw · AHT / (N − A)``;
* occupancy: ``A / N``.

With ``N <= A`` the queue grows without bound: ``Pw = 1``, service level 0.
Pure functions; no clock, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Never recommend more agents than this for one hour (a guard, not a real limit).
MAX_AGENTS = 10_000


def traffic(rate_per_hour: float, aht_seconds: float) -> float:
    """Offered load in Erlangs: contacts per hour x hours of handling each."""
    return max(0.0, rate_per_hour) * max(0.0, aht_seconds) / 3600.0


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability with ``agents`` servers and ``load`` Erlangs (no queue)."""
    b = 1.0
    for n in range(1, agents + 1):
        b = load * b / (n + load * b)
    return b


def erlang_c(agents: int, load: float) -> float:
    """Probability that a contact has to wait (``Pw``)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    b = erlang_b(agents, load)
    return agents * b / (agents - load * (1 - b))


def service_level(agents: int, load: float, aht_seconds: float, target_seconds: float) -> float:
    """Share of contacts answered within ``target_seconds``."""
    if load <= 0:
        return 1.0
    if agents <= load:
        return 0.0
    wait = erlang_c(agents, load)
    return 1.0 - wait * math.exp(-(agents - load) * target_seconds / aht_seconds)


def average_speed_of_answer(agents: int, load: float, aht_seconds: float) -> float:
    """Mean wait in seconds over all contacts (infinite when ``agents <= load``)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return math.inf
    return erlang_c(agents, load) * aht_seconds / (agents - load)


@dataclass(frozen=True)
class Need:
    """The answer for one interval, with the inputs a lead can check by hand."""

    rate_per_hour: float
    aht_seconds: float
    load: float  # Erlangs
    agents: int
    service_level: float  # achieved with ``agents``
    wait_probability: float
    asa_seconds: float
    occupancy: float


def agents_needed(
    rate_per_hour: float,
    aht_seconds: float,
    target_seconds: float = 20.0,
    target_level: float = 0.8,
) -> Need:
    """The fewest agents whose service level reaches ``target_level`` within ``target_seconds``.

    No contacts (or no handle time) need no agents.
    """
    load = traffic(rate_per_hour, aht_seconds)
    if load <= 0:
        return Need(rate_per_hour, aht_seconds, 0.0, 0, 1.0, 0.0, 0.0, 0.0)
    agents = max(1, math.floor(load) + 1)
    while agents < MAX_AGENTS:
        if service_level(agents, load, aht_seconds, target_seconds) >= target_level:
            break
        agents += 1
    return Need(
        rate_per_hour=rate_per_hour,
        aht_seconds=aht_seconds,
        load=load,
        agents=agents,
        service_level=service_level(agents, load, aht_seconds, target_seconds),
        wait_probability=erlang_c(agents, load),
        asa_seconds=average_speed_of_answer(agents, load, aht_seconds),
        occupancy=load / agents,
    )
