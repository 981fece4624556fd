"""``near`` and ``inside``: the report is within a distance of, or inside, a zone of a category."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import Text
from .base import (
    ZONE_CATEGORY,
    ConditionError,
    ConditionKind,
    EvaluationContext,
    Evidence,
    Explain,
    Need,
    register,
)

WORDS = {
    "inside": {"id": "berada di dalam {cat}", "en": "is inside a {cat}"},
    "outside": {"id": "berada di luar semua {cat}", "en": "is outside every {cat}"},
    "near": {"id": "berjarak paling jauh {m} m dari {cat}", "en": "is within {m} m of a {cat}"},
    "far": {"id": "berjarak lebih dari {m} m dari semua {cat}", "en": "is more than {m} m from every {cat}"},
}
_ZONE = {"$ref": "#/$defs/identifier"}


@dataclass(frozen=True)
class Near:
    """The report is within ``within_m`` metres of a zone of ``zone`` (inclusive).

    ``inside`` is ``Near`` with ``within_m`` 0 and ``inside=True``: the report lies
    in the zone's area (a polygon, or a point or line grown by its radius).
    """

    zone: str
    within_m: float
    inside: bool = False


class NearKind(ConditionKind):
    order = 20
    keys = ("inside", "near")
    node = Near
    schema = {
        "inside": {
            "type": "object",
            "required": ["zone"],
            "additionalProperties": False,
            "properties": {"zone": _ZONE},
        },
        "near": {
            "type": "object",
            "required": ["zone", "within_m"],
            "additionalProperties": False,
            "properties": {"zone": _ZONE, "within_m": {"type": "number", "minimum": 0, "maximum": 100000}},
        },
    }
    uncertain = True

    def compile(self, data: Mapping[str, Any], path: tuple[Any, ...], item: Callable[..., Any]) -> Near:
        if "inside" in data:
            return Near(zone=data["inside"]["zone"], within_m=0.0, inside=True)
        within = float(data["near"]["within_m"])
        if not math.isfinite(within):
            raise ConditionError(Text("rules.within_m_must_finite", within=within), path + ("near",))
        return Near(zone=data["near"]["zone"], within_m=within)

    def evaluate(self, node: Near, ctx: EvaluationContext) -> np.ndarray:
        depth = node.within_m - ctx.zone_signed(node.zone) + ctx.tolerance_m
        acc = ctx.acc
        # TRUE (2) when depth >= acc, else UNKNOWN (1) when depth >= -acc, else FALSE (0)
        sure = depth >= acc
        return sure.view(np.int8) + (sure | (depth >= -acc)).view(np.int8)

    def needs(self, node: Near) -> tuple[Need, ...]:
        return (Need(ZONE_CATEGORY, node.zone),)

    def zone_reach(self, node: Near) -> Iterable[tuple[str, float]]:
        return ((node.zone, node.within_m),)

    def evidence(self, node: Near) -> Evidence:
        return Evidence(zone_category=node.zone, threshold_m=node.within_m)

    def problems(
        self, node: Near, categories: frozenset[str] | None, periods: Mapping[str, Any] | None
    ) -> Iterator[tuple[Text, Text | None]]:
        if categories is not None and node.zone not in categories:
            yield (
                Text("rules.unknown_zone_category", zone=node.zone),
                Text("rules.known_categories_add_hint", names=", ".join(sorted(categories))),
            )

    def describe(self, node: Near, say: Explain, negate: bool) -> str:
        cat = say.category(node.zone)
        if node.inside:
            return say.words(WORDS, "outside" if negate else "inside", cat=cat)
        return say.words(WORDS, "far" if negate else "near", cat=cat, m=say.number(node.within_m))


register(NearKind())
