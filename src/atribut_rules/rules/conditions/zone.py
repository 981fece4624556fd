"""A rule's ``area: {zone_id: ...}``: the report lies inside one zone, named by its id.

It has no key of its own in a condition mapping: the loader builds it from a rule's
``area`` (``area: {zone: CATEGORY}`` is an ``inside`` condition).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .base import ZONE, ConditionKind, EvaluationContext, Explain, Need, register

WORDS = {
    "in_zone": {"id": "berada di dalam zona {id}", "en": "is inside zone {id}"},
    "not_in_zone": {"id": "berada di luar zona {id}", "en": "is outside zone {id}"},
}


@dataclass(frozen=True)
class InZone:
    """The report lies inside the one zone with id ``zone_id`` (used by a rule's ``area``)."""

    zone_id: str


class InZoneKind(ConditionKind):
    order = 50
    node = InZone
    uncertain = True

    def compile(self, data: Mapping[str, Any], path: tuple[Any, ...], item: Callable[..., Any]) -> InZone:
        return InZone(zone_id=data["zone_id"])

    def evaluate(self, node: InZone, ctx: EvaluationContext) -> np.ndarray:
        return ctx.inside_zone(node.zone_id)

    def needs(self, node: InZone) -> tuple[Need, ...]:
        return (Need(ZONE, node.zone_id),)

    def describe(self, node: InZone, say: Explain, negate: bool) -> str:
        return say.words(WORDS, "not_in_zone" if negate else "in_zone", id=node.zone_id)


register(InZoneKind())
