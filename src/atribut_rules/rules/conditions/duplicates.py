"""``duplicates`` (of the rule set): reports alike within a distance and days are one attribute.

Reports with equal values of ``same`` (default type and party) within ``within_m`` metres
(and ``within_days`` days) form connected components; each group is represented by its
first report in the decision order, and quotas count groups, not reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...evaluate import wholelist
from .base import Explain
from .whole_list import WholeListContext

WORDS = {
    "duplicates": {
        "id": "Laporan ganda: laporan dengan {same} yang sama dalam {m} m{days} dianggap satu atribut fisik.",
        "en": "Duplicate reports: reports with the same {same} within {m} m{days} are one physical attribute.",
    },
    "within_days": {"id": " dan {d} hari", "en": " and {d} days"},
    "and": {"id": "dan", "en": "and"},
}
KEY = "duplicates"
"""The rule set's YAML key."""
SCHEMA: Mapping[str, Any] = {
    "description": "Reports of the same type and party (or the `same` fields) within `within_m` metres and "
    "`within_days` days are one physical attribute.",
    "type": "object",
    "required": ["within_m"],
    "additionalProperties": False,
    "properties": {
        "within_m": {"type": "number", "minimum": 0, "maximum": 10000},
        "within_days": {"type": "integer", "minimum": 0, "maximum": 100000},
        "same": {
            "type": "array",
            "maxItems": 8,
            "items": {"type": "string", "minLength": 1, "maxLength": 100},
        },
    },
}
"""The key's JSON-schema (assembled into ``schemas/ruleset-1.json``)."""


@dataclass(frozen=True)
class Duplicates:
    """Reports with equal ``same`` fields within ``within_m`` metres (and ``within_days``) are one attribute."""

    within_m: float
    within_days: int | None
    same: tuple[str, ...]


def compile_duplicates(data: Mapping[str, Any]) -> Duplicates:
    """The node for a schema-valid ``duplicates`` mapping."""
    return Duplicates(
        float(data["within_m"]), data.get("within_days"), tuple(data.get("same", ("type", "party")))
    )


def fields(node: Duplicates) -> tuple[str, ...]:
    """Report fields the grouping reads."""
    return node.same


def duplicate_groups(
    node: Duplicates, ctx: WholeListContext, valid: np.ndarray, observed_day: np.ndarray
) -> np.ndarray:
    """Each report's group, as the index of its first report (itself when alone)."""
    key, _ = ctx.group_codes(node.same)
    return wholelist.duplicate_groups(
        ctx.px, ctx.py, ctx.assignment, valid, key, observed_day, node.within_m, node.within_days, ctx.rank
    )


def describe(node: Duplicates, say: Explain) -> str:
    """The grouping in words."""
    same = f" {say.words(WORDS, 'and')} ".join(say.field(f) for f in node.same) or "-"
    days = say.words(WORDS, "within_days", d=node.within_days) if node.within_days is not None else ""
    return say.words(WORDS, "duplicates", same=same, m=say.number(node.within_m), days=days)
