"""Tiers and entitlements, products (the catalogue) and customers' assets."""

from __future__ import annotations

from .base import Repo


class Catalogue(Repo):
    """Queries for tiers, products and assets (issue 4)."""
