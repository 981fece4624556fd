"""``during``: the report was observed in a named period of the rule set."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import Text
from .base import (
    FIELD,
    UNKNOWN,
    ConditionKind,
    EvaluationContext,
    Evidence,
    Explain,
    Need,
    register,
    true_where,
)

WORDS = {
    "during": {
        "id": "diamati pada periode {name} ({span})",
        "en": "is observed in the period {name} ({span})",
    },
    "not_during": {
        "id": "diamati di luar periode {name} ({span})",
        "en": "is observed outside the period {name} ({span})",
    },
}


@dataclass(frozen=True)
class During:
    """The report's observed_at date falls in the named period (first and last day included)."""

    period: str


class DuringKind(ConditionKind):
    order = 30
    keys = ("during",)
    node = During
    schema = {"during": {"$ref": "#/$defs/identifier"}}
    without_geometry = True
    uncertain = True

    def compile(self, data: Mapping[str, Any], path: tuple[Any, ...], item: Callable[..., Any]) -> During:
        return During(data["during"])

    def evaluate(self, node: During, ctx: EvaluationContext) -> np.ndarray:
        value = true_where(ctx.in_period(ctx.period(node.period), undated=False))
        value[np.isnat(ctx.observed_days())] = UNKNOWN
        return value

    def needs(self, node: During) -> tuple[Need, ...]:
        return (Need(FIELD, "observed_at"),)

    def evidence(self, node: During) -> Evidence:
        return Evidence(period=node.period)

    def problems(
        self, node: During, categories: frozenset[str] | None, periods: Mapping[str, Any] | None
    ) -> Iterator[tuple[Text, Text | None]]:
        if periods is not None and node.period not in periods:
            yield (
                Text("rules.unknown_period", period=node.period),
                Text("rules.periods_defined_hint", names=", ".join(periods) or Text("rules.none")),
            )

    def describe(self, node: During, say: Explain, negate: bool) -> str:
        key = "not_during" if negate else "during"
        return say.words(WORDS, key, name=node.period, span=say.period_span(node.period))


register(DuringKind())
