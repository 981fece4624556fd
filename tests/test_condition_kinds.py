"""The registry of condition kinds is the only place a kind is known.

A kind added in a test (and removed after it) is accepted by the loader's schema, checked
for the names it uses, evaluated by the engine on whole columns through ``check``,
counted by the trust contract and explained in words, without touching any other module.
The rule schema shipped for users to read is the one the kinds assemble.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support import PKP, collection, feature, make_rules, point, run

from atribut_rules import resources
from atribut_rules.errors import RuleSetError
from atribut_rules.rules import conditions
from atribut_rules.rules.conditions import (
    FIELD,
    UNKNOWN,
    ConditionError,
    ConditionKind,
    EvaluationContext,
    Explain,
    Need,
    true_where,
)
from atribut_rules.rules.coverage import rule_needs
from atribut_rules.rules.docs import describe

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Weekday:
    """The report was observed on one of ``days`` (0 is Monday)."""

    days: tuple[int, ...]


class WeekdayKind(ConditionKind):
    """``weekday: [sat, sun]``: the day of the week of ``observed_at``."""

    keys = ("weekday",)
    node = Weekday
    schema = {
        "weekday": {
            "type": "array",
            "minItems": 1,
            "maxItems": 7,
            "items": {"type": "string", "enum": list(DAYS)},
        }
    }
    without_geometry = True
    uncertain = True
    WORDS = {
        "weekday": {"id": "diamati pada hari {days}", "en": "is observed on {days}"},
        "not_weekday": {"id": "diamati di luar hari {days}", "en": "is not observed on {days}"},
    }

    def compile(self, data: Mapping[str, Any], path: tuple[Any, ...], item: Callable[..., Any]) -> Weekday:
        days = data["weekday"]
        if len(set(days)) != len(days):
            raise ConditionError("a day is named twice", path + ("weekday",))
        return Weekday(tuple(DAYS.index(d) for d in days))

    def evaluate(self, node: Weekday, ctx: EvaluationContext) -> np.ndarray:
        day = ctx.observed_days()
        weekday = (day.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
        value = true_where(np.isin(weekday, node.days))
        value[np.isnat(day)] = UNKNOWN
        return value

    def needs(self, node: Weekday) -> tuple[Need, ...]:
        return (Need(FIELD, "observed_at"),)

    def problems(self, node: Weekday, categories: Any, periods: Any) -> Iterator[tuple[str, str | None]]:
        if len(node.days) == 7:
            yield "weekday names every day: write no condition instead", None

    def describe(self, node: Weekday, say: Explain, negate: bool) -> str:
        days = ", ".join(DAYS[d] for d in node.days)
        return say.words(self.WORDS, "not_weekday" if negate else "weekday", days=days)


@pytest.fixture
def weekday_kind() -> Iterator[WeekdayKind]:
    kind = conditions.register(WeekdayKind())
    try:
        yield kind
    finally:
        conditions.unregister(kind)


RULE = {
    "id": "AKHIR-PEKAN",
    "severity": "warning",
    "when": {"all": [{"weekday": ["sat", "sun"]}, {"not": {"near": {"zone": "tree", "within_m": 5}}}]},
    "message": {"id": "dipasang akhir pekan", "en": "put up at the weekend"},
}
TREE = collection(feature("t1", point(PKP[0] + 0.01, PKP[1]), "tree", "Pohon", radius_m=0))


def _report(rid: str, observed_at: str | None) -> dict[str, Any]:
    return {"id": rid, "lon": PKP[0], "lat": PKP[1], "type": "baliho", "observed_at": observed_at}


def test_a_kind_added_in_one_place_runs_end_to_end_through_check(weekday_kind: WeekdayKind) -> None:
    rules = make_rules(RULE)
    records = [
        _report("sabtu", "2024-01-06"),  # a Saturday
        _report("senin", "2024-01-08"),  # a Monday
        _report("minggu", "2024-01-07"),  # a Sunday
        _report("tanpa-tanggal", None),
    ]
    verdicts = run(records, TREE, rules).verdicts
    assert [v.status.value for v in verdicts] == ["violation", "ok", "violation", "review"]
    assert [f.rule for f in verdicts[0].findings] == ["AKHIR-PEKAN"]
    rule = rules.rule("AKHIR-PEKAN")
    assert Need(FIELD, "observed_at") in rule_needs(rule)
    assert describe(rule.when, "en", rules) == "is observed on sat, sun and is more than 5 m from every tree"
    assert describe(rule.when, "id", rules, negate=True).startswith("diamati di luar hari sat, sun atau")


def test_the_loader_checks_a_new_kind_with_its_schema_compile_and_problems(weekday_kind: WeekdayKind) -> None:
    with pytest.raises(RuleSetError, match="is not one of"):
        make_rules({**RULE, "when": {"weekday": ["caturday"]}})
    with pytest.raises(RuleSetError, match="a day is named twice"):
        make_rules({**RULE, "when": {"weekday": ["sat", "sat"]}})
    with pytest.raises(RuleSetError, match="names every day"):
        make_rules({**RULE, "when": {"weekday": list(DAYS)}})


def test_without_the_kind_its_key_is_refused(weekday_kind: WeekdayKind) -> None:
    conditions.unregister(weekday_kind)
    try:
        with pytest.raises(RuleSetError, match="weekday"):
            make_rules(RULE)
    finally:
        conditions.register(weekday_kind)


def test_a_key_another_kind_owns_cannot_be_registered() -> None:
    class Twice(WeekdayKind):
        keys = ("near",)
        schema = {"near": {"type": "object"}}

    with pytest.raises(ValueError, match="'near' is taken"):
        conditions.register(Twice())


def test_the_shipped_schema_is_the_one_the_kinds_assemble() -> None:
    shipped = resources.schema("ruleset-1.json")
    assembled = conditions.condition_schema()
    assert shipped["$defs"]["condition"] == assembled, (
        "write this as $defs.condition of src/atribut_rules/schemas/ruleset-1.json:\n"
        + json.dumps(assembled, indent=2, ensure_ascii=False)
    )
    assert conditions.ruleset_schema(shipped) == shipped


CONDITION_NODES = {"All", "AnyOf", "Not", "Near", "InZone", "During", "FieldTest"}


def test_no_module_outside_the_kinds_dispatches_on_a_node_type() -> None:
    """``isinstance(node, Near)`` and the like belong to the kind modules only."""
    package = Path(conditions.__file__).parent
    found = []
    for path in sorted(package.parents[1].rglob("*.py")):
        if package in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "isinstance"
                and len(node.args) == 2
            ):
                names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                if names & CONDITION_NODES:
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_the_engine_gives_every_member_of_the_evaluation_context() -> None:
    from atribut_rules.evaluate.check import Evaluation

    protocol = conditions.EvaluationContext
    methods = {name for name in vars(protocol) if not name.startswith("_")}
    assert methods >= {"leaf", "column", "observed_days", "period", "in_period", "zone_signed", "inside_zone"}
    set_in_run = {"n", "acc"}  # attributes the engine sets on each run
    missing = {m for m in methods | set(protocol.__annotations__) - set_in_run if not hasattr(Evaluation, m)}
    assert missing == set()


def test_the_builtin_kinds_in_match_order() -> None:
    assert conditions.condition_keys() == ("all", "any", "not", "inside", "near", "during", "field")
    names = [type(kind).__name__ for kind in conditions.kinds()]
    assert names == ["AllKind", "AnyKind", "NotKind", "NearKind", "DuringKind", "FieldKind", "InZoneKind"]
