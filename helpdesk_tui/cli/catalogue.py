"""``helpdesk product``, ``asset`` and ``customer set-tier``: the catalogue and warranty."""

from __future__ import annotations
