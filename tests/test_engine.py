"""engine.py: inclusive thresholds, GPS accuracy straddling, periods, evidence fields."""

from __future__ import annotations

import pytest
from support import PKP, collection, feature, fwd, make_rules, point, polygon, run, square

import atribut_rules as ar

NEAR_TREE = {
    "id": "POHON",
    "severity": "error",
    "when": {"near": {"zone": "tree", "within_m": 5.0}},
    "message": {
        "id": "{type} {distance_m} m dari pohon {zone_name}",
        "en": "{type} {distance_m} m from tree {zone_name}",
    },
}
INSIDE_SCHOOL = {"id": "SEKOLAH", "severity": "error", "when": {"inside": {"zone": "school"}}}
TREE = collection(feature("t1", point(*PKP), "tree", "Pohon angsana", radius_m=0))
SCHOOL = collection(feature("s1", polygon(square(PKP, 50)), "school", "SD Negeri 1"))


def at(distance: float, azimuth: float = 30.0, origin: tuple[float, float] = PKP, **fields: object) -> dict:
    lon, lat = fwd(origin, azimuth, distance)
    return {"id": f"R{distance}", "lon": lon, "lat": lat, "type": "baliho", **fields}


def status_of(record: dict, zones: dict, rule: dict, **kw) -> ar.Verdict:
    (verdict,) = run([record], zones, make_rules(rule, **kw)).verdicts
    return verdict


@pytest.mark.parametrize(
    ("distance", "status"),
    [
        (0.0, "violation"),
        (4.99, "violation"),
        (5.0, "violation"),
        (5.0005, "violation"),
        (5.01, "ok"),
        (50.0, "ok"),
    ],
)
def test_near_threshold_is_inclusive(distance: float, status: str) -> None:
    assert status_of(at(distance), TREE, NEAR_TREE).status.value == status


def test_zone_radius_is_subtracted_from_the_distance() -> None:
    zones = collection(feature("t1", point(*PKP), "tree", radius_m=0.8))
    verdict = status_of(at(5.8), zones, NEAR_TREE)
    assert verdict.status is ar.Status.VIOLATION
    assert verdict.findings[0].distance_m == pytest.approx(5.0, abs=0.002)
    assert status_of(at(5.82), zones, NEAR_TREE).status is ar.Status.OK


@pytest.mark.parametrize(
    ("distance", "accuracy", "status"),
    [
        (1.0, 3.0, "violation"),  # 1 + 3 <= 5: inside whatever the error
        (2.0, 3.0, "violation"),  # exactly at the threshold at worst: inclusive
        (4.0, 3.0, "review"),  # 1..7 straddles 5
        (7.5, 3.0, "review"),
        (8.0, 3.0, "review"),  # best case exactly 5: still may be within
        (8.1, 3.0, "ok"),
        (4.0, None, "violation"),
    ],
)
def test_gps_accuracy_straddling_near(distance: float, accuracy: float | None, status: str) -> None:
    verdict = status_of(at(distance, accuracy_m=accuracy), TREE, NEAR_TREE)
    assert verdict.status.value == status
    if status == "review":
        (finding,) = verdict.findings
        assert finding.status is ar.Status.REVIEW
        assert finding.reason == "gps_straddles"
        assert (finding.accuracy_m, finding.accuracy_source) == (accuracy, "reported")
        assert "straddles" in finding.message["en"]


def test_assumed_accuracy_from_the_rule_set() -> None:
    verdict = status_of(at(4.0), TREE, NEAR_TREE, defaults={"accuracy_m": 3})
    assert verdict.status is ar.Status.REVIEW
    assert verdict.findings[0].accuracy_source == "assumed"
    assert (
        status_of(at(4.0, accuracy_m=0), TREE, NEAR_TREE, defaults={"accuracy_m": 3}).status
        is ar.Status.VIOLATION
    )


@pytest.mark.parametrize(
    ("offset", "accuracy", "status"),
    [
        (-10.0, 5.0, "violation"),  # 10 m inside, error 5
        (-5.0, 5.0, "violation"),  # exactly the error deep: inclusive
        (-2.0, 5.0, "review"),
        (0.0, 5.0, "review"),
        (2.0, 5.0, "review"),
        (5.0, 5.0, "review"),
        (5.1, 5.0, "ok"),
        (10.0, 5.0, "ok"),
        (-0.5, 0.0, "violation"),
        (0.0, 0.0, "violation"),  # on the boundary counts as inside
        (0.5, 0.0, "ok"),
    ],
)
def test_gps_accuracy_straddling_inside(offset: float, accuracy: float, status: str) -> None:
    # The square's edge is 50 m north of its centre; walk north from the centre.
    record = at(50.0 + offset, azimuth=0.0, accuracy_m=accuracy)
    verdict = status_of(record, SCHOOL, INSIDE_SCHOOL)
    assert verdict.status.value == status
    if status != "ok":
        (finding,) = verdict.findings
        assert finding.zone.id == "s1" and finding.zone.geometry_kind == "polygon"
        assert finding.threshold_m == 0.0
        assert finding.margin_m == pytest.approx(-offset, abs=0.002)
        # inside the zone the distance is negative (minus the depth): margin = threshold - distance
        assert finding.distance_m == pytest.approx(offset, abs=0.002)
        assert (finding.reason == "gps_straddles") == (status == "review")


PERIODS = {"kampanye": {"from": "2024-01-10", "to": "2024-01-20"}, "sesudah": {"from": "2024-02-14"}}
DURING = {
    "id": "MASA",
    "severity": "error",
    "when": {"during": "kampanye"},
    "message": "{type} {observed_at} {period}",
}


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2024-01-09", "ok"),
        ("2024-01-10", "violation"),
        ("2024-01-15T23:59:59+07:00", "violation"),
        ("20/01/2024", "violation"),
        ("2024-01-20", "violation"),
        ("2024-01-21", "ok"),
    ],
)
def test_periods_include_the_first_and_last_day(day: str, status: str) -> None:
    verdict = status_of(at(100.0, tanggal=day), TREE, DURING, periods=PERIODS)
    assert verdict.status.value == status
    if status == "violation":
        assert verdict.findings[0].message["en"] == f"baliho {day} kampanye"


def test_open_ended_period() -> None:
    rule = {**DURING, "when": {"during": "sesudah"}}
    assert status_of(at(1.0, tanggal="2024-02-13"), TREE, rule, periods=PERIODS).status is ar.Status.OK
    assert status_of(at(1.0, tanggal="2030-01-01"), TREE, rule, periods=PERIODS).status is ar.Status.VIOLATION


def test_missing_date_is_review() -> None:
    verdict = status_of(at(100.0), TREE, DURING, periods=PERIODS)
    assert verdict.status is ar.Status.REVIEW
    (finding,) = verdict.findings
    assert finding.reason == "date_missing"
    assert "date is missing" in finding.message["en"]


def test_missing_date_under_not_during_is_review_too() -> None:
    rule = {**DURING, "when": {"not": {"during": "kampanye"}}}
    assert status_of(at(100.0), TREE, rule, periods=PERIODS).status is ar.Status.REVIEW
    assert status_of(at(100.0, tanggal="2024-01-15"), TREE, rule, periods=PERIODS).status is ar.Status.OK


def test_near_evidence_fields() -> None:
    verdict = status_of(at(3.25), TREE, NEAR_TREE)
    (finding,) = verdict.findings
    assert finding.rule == "POHON" and finding.severity is ar.Severity.ERROR
    assert finding.status is ar.Status.VIOLATION
    assert finding.distance_m == pytest.approx(3.25, abs=0.002)
    assert finding.threshold_m == 5.0
    assert finding.margin_m == pytest.approx(1.75, abs=0.002)
    assert finding.zone == ar.ZoneRef("t1", "tree", "Pohon angsana", "point", False, 0.0, None)
    assert (finding.accuracy_m, finding.accuracy_source) == (0.0, "assumed")
    assert finding.message == {
        "id": "baliho 3,25 m dari pohon Pohon angsana",
        "en": "baliho 3.25 m from tree Pohon angsana",
    }
    assert verdict.max_severity is ar.Severity.ERROR


def test_nearest_zone_is_the_evidence() -> None:
    zones = collection(
        feature("far", point(*fwd(PKP, 90.0, 4.0)), "tree", radius_m=0),
        feature("near", point(*fwd(PKP, 270.0, 1.0)), "tree", radius_m=0),
    )
    (finding,) = status_of(at(0.0), zones, NEAR_TREE).findings
    assert finding.zone.id == "near"
    assert finding.distance_m == pytest.approx(1.0, abs=0.002)


def test_field_conditions_and_applies_to() -> None:
    rule = {
        "id": "POSTER",
        "severity": "warning",
        "applies_to": {"field": "type", "equals": "POSTER"},
        "when": {"any": [{"field": "width_m", "gt": 0.4}, {"field": "mounted_on", "in": ["Pohon", "tree"]}]},
    }
    rs = make_rules(rule)
    records = [
        at(1.0, id="a", type="poster", width_m="0,5"),
        at(1.0, id="b", type="poster", width_m="0,4"),
        at(1.0, id="c", type="Poster", dipasang_di="pohon"),
        at(1.0, id="d", type="baliho", width_m=9),
    ]
    verdicts = run(records, TREE, rs).verdicts
    assert [v.status.value for v in verdicts] == ["violation", "ok", "violation", "ok"]
    assert verdicts[0].max_severity is ar.Severity.WARNING
    assert run(records, TREE, rs).exit_code() == 0
    assert run(records, TREE, rs).exit_code(ar.Severity.WARNING) == 1


def test_rule_effective_dates_limit_the_rule() -> None:
    rule = {**NEAR_TREE, "effective": {"from": "2024-01-01", "to": "2024-01-31"}}
    assert status_of(at(1.0, tanggal="2023-12-31"), TREE, rule).status is ar.Status.OK
    assert status_of(at(1.0, tanggal="2024-01-31"), TREE, rule).status is ar.Status.VIOLATION
    assert status_of(at(1.0), TREE, rule).status is ar.Status.VIOLATION  # undated: checked


def test_disabled_rule_does_not_run() -> None:
    assert status_of(at(1.0), TREE, {**NEAR_TREE, "enabled": False}).status is ar.Status.OK


def test_invalid_rows_get_no_findings_and_keep_their_place() -> None:
    records = [at(1.0, id="a"), {"id": "b", "lat": "x", "lon": "106"}, at(100.0, id="c")]
    result = run(records, TREE, make_rules(NEAR_TREE))
    assert [v.report for v in result.verdicts] == ["a", "b", "c"]
    assert [v.status.value for v in result.verdicts] == ["violation", "invalid", "ok"]
    assert result.verdicts[1].findings == () and result.verdicts[1].problems
    assert [v.source.row for v in result.verdicts] == [1, 2, 3]
    assert result.summary.by_status == {"violation": 1, "review": 0, "unchecked": 0, "exempt": 0, "ok": 1, "invalid": 1}
    assert result.summary.by_rule == {"POHON": {"violation": 1, "review": 0, "exempt": 0}}
    assert result.verdicts[-1].report == "c" and len(result.verdicts[0:2]) == 2


def test_far_swapped_point_is_invalid_and_not_flipped() -> None:
    # Both readings are in range; only the reverse lies where the zones are.
    zones = collection(feature("t1", point(40.0, 10.0), "tree", radius_m=0))
    result = run(
        [{"id": "s", "lat": 40.0, "lon": 10.0}, {"id": "k", "lat": 10.0, "lon": 40.0}],
        zones,
        make_rules(NEAR_TREE),
    )
    swapped, kept = result.verdicts
    assert swapped.status is ar.Status.INVALID and kept.status is ar.Status.VIOLATION
    assert [p.code for p in swapped.problems] == ["swapped"]
    assert "look swapped" in swapped.problems[0].message["en"]
    assert result.reports[0].lat == 40.0  # the row is kept as written


def test_provenance_names_the_rule_set_and_one_area() -> None:
    result = run([at(1.0)], TREE, make_rules(NEAR_TREE))
    p = result.provenance
    assert (p.engine, p.ruleset_id, p.ruleset_version) == ("atribut-rules", "test-rules", "1")
    assert p.engine_version == ar.__version__
    assert len(p.crs) == 1 and p.crs[0].reports == 1 and "+proj=tmerc" in p.crs[0].crs


def test_empty_report_list() -> None:
    result = ar.check(ar.Reports.from_records([]), ar.load_zones(TREE), make_rules(NEAR_TREE))
    assert len(result.verdicts) == 0 and result.summary.reports == 0
    assert result.exit_code() == 0
