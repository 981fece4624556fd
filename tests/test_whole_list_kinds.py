"""Rules over the whole list are kinds in a registry too: ``quota`` and ``spacing`` are two of them.

A whole-list kind added in a test (and removed after it) is accepted by the loader's schema,
evaluated through ``check`` on the whole list, reported with its own evidence, needed by the
trust contract, split off for chunked runs and explained in words, without touching any
other module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from support import PKP, collection, feature, make_rules, point, run

import atribut_rules as ar
from atribut_rules import resources
from atribut_rules.evaluate import wholelist
from atribut_rules.rules import conditions
from atribut_rules.rules.conditions import (
    FIELD,
    TRUE,
    Explain,
    GroupEvidence,
    GroupFindings,
    Need,
    RuleKind,
    WholeListContext,
)
from atribut_rules.rules.coverage import rule_needs
from atribut_rules.rules.docs import whole_list_words
from atribut_rules.scale.chunks import split_rules


@dataclass(frozen=True)
class PerDay:
    """At most ``max`` attributes a day, counted over the whole list."""

    max: int


class PerDayKind(RuleKind):
    """``per_day: {max: N}``: the attributes observed on one day beyond the first ``max``."""

    key = "per_day"
    node = PerDay
    order = 90
    schema = {
        "type": "object",
        "required": ["max"],
        "additionalProperties": False,
        "properties": {"max": {"type": "integer", "minimum": 0}},
    }
    WORDS = {
        "per_day": {"id": "paling banyak {max} atribut sehari", "en": "at most {max} attributes a day"},
        "comply": {"id": "pasang paling banyak {max} sehari", "en": "put up at most {max} a day"},
    }

    def compile(self, data: Mapping[str, Any], categories: Any) -> tuple[PerDay, list]:
        return PerDay(int(data["max"])), []

    def needs(self, node: PerDay) -> tuple[Need, ...]:
        return (Need(FIELD, "observed_at"),)

    def fields(self, node: PerDay) -> tuple[str, ...]:
        return ("observed_at",)

    def evaluate(self, node: PerDay, ctx: WholeListContext, counted: np.ndarray) -> GroupFindings:
        group, labels = ctx.group_codes(("observed_at",))
        over, place, count = wholelist.over_quota(counted, group, ctx.rep, ctx.rank, node.max)
        index = np.nonzero(over)[0]
        return GroupFindings(index, np.full(len(index), TRUE, dtype=np.int8), {"count": count[index]}, labels)

    def evidence(
        self,
        node: PerDay,
        found: Mapping[str, list[Any]],
        index: list[int],
        review: list[bool],
        labels: Sequence[Callable[[int], str]],
        ids: Sequence[str],
    ) -> GroupEvidence:
        day = [labels[0](i) for i in index]
        return GroupEvidence(
            [{"day": d, "count": c} for d, c in zip(day, found["count"])], {"count": found["count"]}
        )

    def describe(self, node: PerDay, say: Explain, comply: bool) -> str:
        return say.words(self.WORDS, "comply" if comply else "per_day", max=node.max)


@pytest.fixture
def per_day_kind() -> Iterator[PerDayKind]:
    kind = conditions.register_rule_kind(PerDayKind())
    try:
        yield kind
    finally:
        conditions.unregister_rule_kind(kind)


RULE = {
    "id": "SEHARI",
    "severity": "warning",
    "per_day": {"max": 1},
    "message": {"id": "{count} atribut sehari", "en": "{count} attributes a day"},
}
NOTHING = collection(feature("t1", point(PKP[0] + 0.05, PKP[1]), "tree", "Pohon", radius_m=0))


def _report(rid: str, day: str, east: float) -> dict[str, Any]:
    return {"id": rid, "lon": PKP[0] + east, "lat": PKP[1], "type": "baliho", "observed_at": day}


def test_a_whole_list_kind_added_in_one_place_runs_end_to_end(per_day_kind: PerDayKind) -> None:
    rules = make_rules(RULE)
    records = [
        _report("a", "2024-01-06", 0.0),
        _report("b", "2024-01-06", 0.001),  # the second that day: over
        _report("c", "2024-01-07", 0.002),
        _report("d", "2024-01-06", 0.003),  # the third that day: over
    ]
    verdicts = {v.report: v for v in run(records, NOTHING, rules).verdicts}
    assert {k: v.status.value for k, v in verdicts.items()} == {
        "a": "ok",
        "b": "violation",
        "c": "ok",
        "d": "violation",
    }
    finding = verdicts["d"].findings[0]
    assert finding.rule == "SEHARI"
    assert finding.details["count"] == 3
    assert finding.details["day"].endswith("2024-01-06")
    assert finding.message["en"] == "3 attributes a day"


def test_a_whole_list_kind_in_a_list_checked_in_chunks(per_day_kind: PerDayKind) -> None:
    from atribut_rules.scale.chunks import check_chunks, whole_list_run

    rules = make_rules(RULE)
    records = [_report(f"r{k}", f"2024-01-0{1 + k % 3}", 0.001 * k) for k in range(12)]
    zones = ar.load_zones(NOTHING, categories=rules.categories)
    reports = ar.Reports.from_records(records)
    whole = ar.check(reports, zones, rules)
    chunks = [reports.slice(a, min(a + 5, len(reports))) for a in range(0, len(reports), 5)]
    parts = list(check_chunks(chunks, zones, rules, whole=whole_list_run(chunks, zones, rules)))
    got = [v for part in parts for v in part.verdicts]
    assert got == list(whole.verdicts)
    # ids order the reports of a day: r11, r2, r5, r8 on the third; labels come from the chunk
    assert {v.report: v for v in got}["r8"].findings[0].details["day"].endswith("2024-01-03")


def test_the_other_modules_ask_the_registry(per_day_kind: PerDayKind) -> None:
    rules = make_rules(RULE)
    rule = rules.rule("SEHARI")
    assert rule_needs(rule) == (Need(FIELD, "observed_at"),)
    per_report, whole = split_rules(rules)
    assert whole is not None and [r.id for r in whole.rules] == ["SEHARI"]
    assert whole_list_words(rule, "id", rules) == "paling banyak 1 atribut sehari"
    assert whole_list_words(rule, "en", rules, comply=True) == "put up at most 1 a day"


def test_without_its_kind_the_key_is_refused() -> None:
    from atribut_rules.errors import RuleSetError

    with pytest.raises(RuleSetError) as raised:
        make_rules(RULE)
    assert any("'per_day' was unexpected" in str(p) for p in raised.value.problems), [str(p) for p in raised.value.problems]


def test_quota_and_spacing_are_registered_kinds() -> None:
    assert [kind.key for kind in conditions.rule_kinds()] == ["quota", "spacing"]
    shipped = resources.schema("ruleset-1.json")
    assert conditions.ruleset_schema(shipped) == shipped  # the file users read is the kinds' own


def test_a_rule_is_one_whole_list_rule() -> None:
    from atribut_rules.errors import RuleSetError

    both = {**RULE, "quota": {"max": 1, "per": ["party"]}, "spacing": {"min_m": 10}}
    both.pop("per_day")
    with pytest.raises(RuleSetError, match="one whole-list rule"):
        make_rules(both)
