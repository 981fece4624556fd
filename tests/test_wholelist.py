"""Rules over the whole list: quotas, spacing, duplicate reports, assumed GPS accuracy per source.

Boundary cases (exactly N in a quota, exactly X m apart, the within_m / within_days edges)
and a hypothesis property: the order of the input never changes a verdict.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import shapely
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import PKP, collection, feature, fwd, geodesic, make_rules, polygon, rules_doc, run, square

import atribut_rules as ar
from atribut_rules.evaluate.wholelist import pairs_within

NO_ZONES = ar.load_zones()
MESSAGE = {"id": "{group} {count}/{max} #{rank}", "en": "{group} {count}/{max} #{rank}"}
SETTINGS = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def quota(maximum: int, per: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": "KUOTA",
        "severity": "error",
        "quota": {"max": maximum, "per": per},
        "message": MESSAGE,
        **extra,
    }


def spacing(min_m: float, among: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": "JARAK",
        "severity": "error",
        "spacing": {"min_m": min_m, "among": among or ["party"]},
        "message": {"id": "dekat {other_report} {distance_m}", "en": "near {other_report} {distance_m}"},
    }


def rep(rid: str, where: tuple[float, float] = PKP, **fields: Any) -> dict[str, Any]:
    return {"id": rid, "lon": where[0], "lat": where[1], "type": "baliho", "party": "Partai A", **fields}


def east(metres: float) -> tuple[float, float]:
    return fwd(PKP, 90.0, metres)


def statuses(result: ar.Run) -> dict[str, str]:
    return {v.report: v.status.value for v in result.verdicts}


def with_duplicates(*rules: dict[str, Any], **dup: Any) -> ar.RuleSet:
    doc = rules_doc(*rules)
    doc["duplicates"] = dup
    return ar.load_rules(doc)


# -- quotas ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 3])
def test_exactly_n_in_a_quota_gives_no_finding(n: int) -> None:
    records = [rep(f"R{k}", east(100 * k), observed_at=f"2024-01-0{k + 1}") for k in range(n)]
    assert set(statuses(run(records, NO_ZONES, make_rules(quota(n, ["party"])))).values()) == {"ok"}


@pytest.mark.parametrize("n", [1, 3])
def test_n_plus_one_flags_the_last_in_the_fixed_order(n: int) -> None:
    # input order is scrambled; observed_at decides: R0 is the latest, so it is beyond the quota
    records = [rep(f"R{k}", east(100 * k), observed_at=f"2024-01-{10 - k:02d}") for k in range(n + 1)]
    result = run(records[::-1], NO_ZONES, make_rules(quota(n, ["party"])))
    assert statuses(result) == {f"R{k}": "violation" if k == 0 else "ok" for k in range(n + 1)}
    (finding,) = next(v for v in result.verdicts if v.report == "R0").findings
    assert finding.details == {"group": "party=Partai A", "count": n + 1, "max": n, "rank": n + 1}
    assert finding.message["en"] == f"party=Partai A {n + 1}/{n} #{n + 1}"


def test_quota_ties_on_the_day_are_broken_by_id_and_undated_reports_come_last() -> None:
    records = [
        rep("B", east(0), observed_at="2024-01-05"),
        rep("C", east(100), observed_at="2024-01-05"),
        rep("A", east(200), observed_at="2024-01-05"),
    ]
    assert statuses(run(records, NO_ZONES, make_rules(quota(2, ["party"])))) == {
        "A": "ok",
        "B": "ok",
        "C": "violation",
    }
    undated = [rep("A", east(0)), rep("Z", east(100), observed_at="2024-02-01")]
    assert statuses(run(undated, NO_ZONES, make_rules(quota(1, ["party"])))) == {"A": "violation", "Z": "ok"}


def test_quota_groups_by_field_values_case_insensitively_and_counts_only_applicable_reports() -> None:
    records = [
        rep("R1", east(0), party="Partai A", observed_at="2024-01-01"),
        rep("R2", east(100), party=" partai a ", observed_at="2024-01-02"),
        rep("R3", east(200), party="Partai B", observed_at="2024-01-03"),
        rep("R4", east(300), party="Partai A", type="poster", observed_at="2023-12-01"),
    ]
    rule = quota(1, ["party"], applies_to={"field": "type", "equals": "baliho"})
    assert statuses(run(records, NO_ZONES, make_rules(rule))) == {
        "R1": "ok",
        "R2": "violation",
        "R3": "ok",
        "R4": "ok",
    }


def test_quota_per_admin_area_zone() -> None:
    west_centre, east_centre = fwd(PKP, 270.0, 300.0), fwd(PKP, 90.0, 300.0)
    zones = collection(
        feature("kel:1", polygon(square(west_centre, 100)), "admin_area", "Kel Barat"),
        feature("kel:2", polygon(square(east_centre, 100)), "admin_area", "Kel Timur"),
    )
    records = [
        rep("W1", fwd(west_centre, 0, 10), observed_at="2024-01-01"),
        rep("W2", fwd(west_centre, 90, 20), observed_at="2024-01-02", party="Partai B"),
        rep("E1", fwd(east_centre, 0, 10), observed_at="2024-01-03"),
        rep("X1", PKP, observed_at="2024-01-04"),  # in no admin area: a group of its own
        rep("X2", fwd(PKP, 0, 10), observed_at="2024-01-05"),
    ]
    result = run(records, zones, make_rules(quota(1, [{"zone": "admin_area"}])))
    assert statuses(result) == {"W1": "ok", "W2": "violation", "E1": "ok", "X1": "ok", "X2": "violation"}
    details = {v.report: v.findings[0].details for v in result.verdicts if v.findings}
    assert details["W2"]["group"] == "admin_area=Kel Barat"
    assert details["X2"]["group"] == "admin_area=-"
    both = run(records, zones, make_rules(quota(1, ["party", {"zone": "admin_area"}])))
    assert statuses(both)["W2"] == "ok"  # another party in the same area: another group
    assert next(v for v in both.verdicts if v.report == "X2").findings[0].details["group"] == (
        "party=Partai A, admin_area=-"
    )


def test_a_duplicate_group_counts_once_in_quotas_and_summaries() -> None:
    records = [
        rep("A1", east(0), observed_at="2024-01-01"),
        rep("A2", fwd(east(0), 0, 4), observed_at="2024-01-02"),  # the same baliho reported again
        rep("A3", fwd(east(0), 180, 3), observed_at="2024-01-03"),
        rep("B1", east(200), observed_at="2024-01-04"),
        rep("C1", east(400), observed_at="2024-01-05", party="Partai B"),
    ]
    rules = with_duplicates(quota(2, ["party"]), within_m=10)
    result = run(records, NO_ZONES, rules)
    assert set(statuses(result).values()) == {"ok"}  # Partai A has 2 attributes, not 4 reports
    assert {v.report: v.group for v in result.verdicts} == {
        "A1": "A1",
        "A2": "A1",
        "A3": "A1",
        "B1": "B1",
        "C1": "C1",
    }
    assert result.summary.attributes == 3
    assert result.summary.by_party["Partai A"]["reports"] == 4
    assert result.summary.by_party["Partai A"]["attributes"] == 2
    assert result.summary.by_party["Partai B"]["attributes"] == 1
    # over a quota of 1, the whole second attribute is beyond it, the first is not
    tight = run(records, NO_ZONES, with_duplicates(quota(1, ["party"]), within_m=10))
    assert statuses(tight) == {"A1": "ok", "A2": "ok", "A3": "ok", "B1": "violation", "C1": "ok"}


def test_summary_has_no_attribute_counts_without_duplicate_grouping() -> None:
    result = run([rep("A", east(0)), rep("B", east(1))], NO_ZONES, make_rules(quota(5, ["party"])))
    assert result.summary.attributes is None
    assert "attributes" not in result.summary.by_party["Partai A"]
    assert all(v.group is None for v in result.verdicts)


# -- spacing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "status"), [(50.0, "ok"), (50.01, "ok"), (49.99, "violation"), (3.0, "violation")]
)
def test_spacing_exactly_x_apart_is_fine(gap: float, status: str) -> None:
    b = fwd(PKP, 30.0, gap)
    records = [rep("B", b, observed_at="2024-01-02"), rep("A", PKP, observed_at="2024-01-01")]
    result = run(records, NO_ZONES, make_rules(spacing(50)))
    assert statuses(result) == {"A": "ok", "B": status}
    if status == "violation":
        (finding,) = next(v for v in result.verdicts if v.report == "B").findings
        assert finding.details == {"other_report": "A"}
        assert finding.distance_m == pytest.approx(geodesic(PKP, b), abs=0.01)
        assert finding.threshold_m == 50.0
        assert "near A" in finding.message["en"]


def test_spacing_flags_the_later_report_in_the_fixed_order_and_ignores_other_groups() -> None:
    b = fwd(PKP, 0.0, 10.0)
    same_day = [rep("Y", PKP, observed_at="2024-01-01"), rep("X", b, observed_at="2024-01-01")]
    assert statuses(run(same_day, NO_ZONES, make_rules(spacing(50)))) == {"X": "ok", "Y": "violation"}
    other_party = [rep("Y", PKP), rep("X", b, party="Partai B")]
    assert set(statuses(run(other_party, NO_ZONES, make_rules(spacing(50)))).values()) == {"ok"}


@pytest.mark.parametrize(
    ("gap", "acc", "status"),
    [
        (43.0, 3.0, "violation"),  # 43 + 6 < 50 whatever the error
        (45.0, 3.0, "review"),  # 39..51 straddles 50
        (55.9, 3.0, "review"),
        (56.0, 3.0, "ok"),  # at best exactly 50 apart: fine
        (45.0, 0.0, "violation"),
    ],
)
def test_spacing_review_when_the_summed_accuracies_straddle(gap: float, acc: float, status: str) -> None:
    records = [
        rep("A", PKP, observed_at="2024-01-01", accuracy_m=acc),
        rep("B", fwd(PKP, 120.0, gap), observed_at="2024-01-02", accuracy_m=acc),
    ]
    result = run(records, NO_ZONES, make_rules(spacing(50)))
    assert statuses(result) == {"A": "ok", "B": status}
    if status == "review":
        (finding,) = next(v for v in result.verdicts if v.report == "B").findings
        assert finding.reason == "gps_straddles"
        assert (finding.accuracy_m, finding.accuracy_source) == (acc, "reported")


def test_duplicates_of_one_attribute_are_not_too_close_to_each_other() -> None:
    records = [rep("A", PKP, observed_at="2024-01-01"), rep("B", fwd(PKP, 0, 2), observed_at="2024-01-02")]
    assert statuses(run(records, NO_ZONES, with_duplicates(spacing(50), within_m=5))) == {
        "A": "ok",
        "B": "ok",
    }


# -- duplicates ----------------------------------------------------------------------------


@pytest.mark.parametrize(("gap", "same"), [(0.0, True), (10.0, True), (10.0005, True), (10.01, False)])
def test_duplicates_within_m_is_inclusive(gap: float, same: bool) -> None:
    records = [rep("A", PKP), rep("B", fwd(PKP, 45.0, gap))]
    result = run(records, NO_ZONES, with_duplicates(within_m=10))
    assert [v.group for v in result.verdicts] == ["A", "A" if same else "B"]


@pytest.mark.parametrize(
    ("second_day", "same"), [("2024-01-04", True), ("2024-01-05", False), ("2023-12-29", True), (None, False)]
)
def test_duplicates_within_days_is_inclusive_and_needs_dates(second_day: str | None, same: bool) -> None:
    records = [rep("A", PKP, observed_at="2024-01-01"), rep("B", fwd(PKP, 0, 1), observed_at=second_day)]
    result = run(records, NO_ZONES, with_duplicates(within_m=10, within_days=3))
    # a group is named after its first report in the fixed order (observed_at, then id)
    first = "B" if second_day is not None and second_day < "2024-01-01" else "A"
    assert [v.group for v in result.verdicts] == ([first, first] if same else ["A", "B"])


def test_duplicate_groups_are_connected_components_of_the_same_type_and_party() -> None:
    records = [
        rep("C", fwd(PKP, 90, 16)),
        rep("A", PKP),
        rep("B", fwd(PKP, 90, 8)),  # A~B and B~C though A and C are 16 m apart
        rep("D", fwd(PKP, 90, 4), type="spanduk"),
        rep("E", fwd(PKP, 90, 12), party="Partai B"),
    ]
    result = run(records, NO_ZONES, with_duplicates(within_m=10))
    groups = {v.report: v.group for v in result.verdicts}
    assert groups["A"] == groups["B"] == groups["C"]
    assert groups["D"] == "D" and groups["E"] == "E"
    same_type_only = run(records, NO_ZONES, with_duplicates(within_m=10, same=["type"]))
    groups = {v.report: v.group for v in same_type_only.verdicts}
    assert groups["A"] == groups["E"] and groups["D"] == "D"


# -- GPS accuracy per source -----------------------------------------------------------------

TREE = collection(feature("t1", {"type": "Point", "coordinates": list(PKP)}, "tree", "Pohon", radius_m=0))
NEAR_TREE = {
    "id": "POHON",
    "severity": "error",
    "when": {"near": {"zone": "tree", "within_m": 5.0}},
    "message": {"id": "{distance_m}", "en": "{distance_m}"},
}


@pytest.mark.parametrize(
    ("source", "accuracy", "status", "used", "how"),
    [
        ("WhatsApp", None, "review", 15.0, "assumed"),  # 12 m +- 15 straddles 5
        ("aplikasi", None, "ok", 2.0, None),  # 12 m +- 2: surely farther
        ("aplikasi", 8.0, "review", 8.0, "reported"),  # the report's own accuracy wins
        ("surat", None, "ok", 1.0, None),  # no value for this source: defaults.accuracy_m
    ],
)
def test_accuracy_by_source(
    source: str, accuracy: float | None, status: str, used: float, how: str | None
) -> None:
    rules = make_rules(
        NEAR_TREE,
        defaults={
            "accuracy_m": 1.0,
            "accuracy_by": {"field": "sumber", "values": {"whatsapp": 15, "aplikasi": 2}},
        },
    )
    (verdict,) = run([rep("R", fwd(PKP, 10, 12.0), sumber=source, accuracy_m=accuracy)], TREE, rules).verdicts
    assert verdict.status.value == status
    if how is not None:
        (finding,) = verdict.findings
        assert (finding.accuracy_m, finding.accuracy_source) == (used, how)


# -- the input order never matters ------------------------------------------------------------


@st.composite
def small_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(2, 9))
    out = []
    for k in range(n):
        azimuth = draw(st.sampled_from([0.0, 90.0, 200.0]))
        dist = draw(st.sampled_from([0.0, 3.0, 7.0, 12.0, 30.0, 60.0]))
        day = draw(st.sampled_from([None, "2024-01-01", "2024-01-02", "2024-01-09"]))
        party = draw(st.sampled_from(["Partai A", "Partai B"]))
        acc = draw(st.sampled_from([None, 0.0, 4.0]))
        out.append(rep(f"R{k:02d}", fwd(PKP, azimuth, dist), party=party, observed_at=day, accuracy_m=acc))
    return out


WHOLE = make_rules(quota(2, ["party"]), spacing(20))


def _keys(result: ar.Run) -> dict[str, tuple]:
    return {
        v.report: (
            v.status.value,
            v.group,
            tuple(
                (f.rule, f.status.value, tuple(sorted(f.details.items())), f.distance_m) for f in v.findings
            ),
        )
        for v in result.verdicts
    }


@SETTINGS
@given(small_lists(), st.randoms(use_true_random=False))
def test_permuting_the_reports_never_changes_a_quota_or_spacing_verdict(
    records: list[dict[str, Any]], rnd: Any
) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert _keys(run(shuffled, NO_ZONES, WHOLE)) == _keys(run(records, NO_ZONES, WHOLE))


def test_permuting_the_reports_never_changes_a_verdict_with_duplicate_groups() -> None:
    records = [
        rep("X", PKP, observed_at="2024-01-09"),
        rep("Y", fwd(PKP, 0, 3), observed_at="2024-01-01"),  # the same attribute, seen first
        rep("Z", east(500), observed_at="2024-01-05"),
    ]
    rules = with_duplicates(quota(1, ["party"]), within_m=5)
    expected = {"X": ("ok", "Y"), "Y": ("ok", "Y"), "Z": ("violation", "Z")}
    for order in (records, records[::-1]):
        assert {v.report: (v.status.value, v.group) for v in run(order, NO_ZONES, rules).verdicts} == expected


@SETTINGS
@given(
    points=st.lists(
        st.tuples(st.integers(-30, 30), st.integers(-30, 30), st.integers(0, 3), st.integers(0, 1)),
        min_size=2,
        max_size=40,
    ),
    reach=st.lists(st.sampled_from([0.0, 5.0, 10.0, 12.5, 26**0.5 - 0.0005]), min_size=40, max_size=40),
    far=st.sampled_from([0.0, 1e5, -3e6]),
)
def test_pairs_by_group_are_the_pairs_within_reach_of_the_same_group(points, reach, far) -> None:
    """Whole-metre coordinates put many pairs exactly at the reach, and some just beyond the
    query's slack (sqrt(26) m against a reach 0.5 mm short of it): the shift between groups
    must not add or drop one."""
    n = len(points)
    px = np.array([p[0] for p in points], dtype=float) + far
    py = np.array([p[1] for p in points], dtype=float)
    group = np.array([p[2] for p in points])
    area = np.array([p[3] for p in points])
    distance = np.array(reach[:n])
    i, j = pairs_within(px, py, area, np.ones(n, dtype=bool), distance, group=group)
    got = sorted(zip(i.tolist(), j.tolist()))
    geoms = shapely.points(px, py)
    expected = [
        (a, b)
        for a in range(n)
        for b in range(n)
        if a != b
        and area[a] == area[b]
        and group[a] == group[b]
        and shapely.dwithin(geoms[a], geoms[b], distance[a])
    ]
    assert got == expected


@pytest.mark.parametrize(("reach", "paired"), [(26**0.5, True), (26**0.5 - 0.0005, False)])
def test_pairs_by_group_keep_the_exact_reach(reach: float, paired: bool) -> None:
    px, py = np.array([0.0, 5.0, 5.0]), np.array([0.0, 1.0, 1.0])
    i, j = pairs_within(px, py, np.zeros(3, dtype=int), np.ones(3, dtype=bool), reach, group=np.array([7, 7, 8]))
    assert sorted(zip(i.tolist(), j.tolist())) == ([(0, 1), (1, 0)] if paired else [])
