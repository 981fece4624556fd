"""The trust contract: no ``ok`` without having looked, and evidence that adds up."""

from __future__ import annotations

import io
import math
from functools import cache

import pytest
import shapely
from helpers import EXAMPLE, EXAMPLE_REPORTS, EXAMPLE_ZONES, examples, run_cli, zone_args
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import atribut_rules as ar
from atribut_rules import resources
from atribut_rules.read.csv_reader import iter_csv
from atribut_rules.rules.coverage import CoverageError

LAYERS = [p.name for p in EXAMPLE_ZONES]
RULE_SETS = ["builtin:id-pemilu-2024", "builtin:id-pemilu-2019", "builtin:pangkalpinang-2024"]


@cache
def _reports() -> ar.Reports:
    return ar.read_reports(EXAMPLE / "laporan.csv")


@cache
def _run(rules: str, layers: tuple[str, ...]) -> ar.Run:
    """The example against ``layers`` only (partial), made once per rule set and layers."""
    return ar.check(
        _reports(), ar.load_zones(*(EXAMPLE / n for n in layers)), ar.load_rules(rules), partial=True
    )


def _statuses(rules: str, layers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.status.value for v in _run(rules, layers).verdicts)


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=st.sampled_from(RULE_SETS), chosen=st.sets(st.sampled_from(LAYERS)))
def test_a_partial_run_says_ok_only_where_the_full_run_does(rules: str, chosen: set[str]) -> None:
    full = _statuses(rules, tuple(LAYERS))
    part = _statuses(rules, tuple(sorted(chosen)))
    for i, (a, b) in enumerate(zip(part, full)):
        if a == "ok":
            assert b == "ok", f"row {i}: ok with {sorted(chosen)} but {b} with every layer"


@pytest.mark.parametrize("rules", RULE_SETS)
def test_every_number_of_a_full_run_is_finite_and_adds_up(rules: str) -> None:
    for v in _run(rules, tuple(LAYERS)).verdicts:
        for f in v.findings:
            numbers = (f.distance_m, f.threshold_m, f.margin_m)
            assert all(x is None or math.isfinite(x) for x in numbers)
            if None not in numbers:
                assert abs(f.margin_m - (f.threshold_m - f.distance_m)) < 0.0015, (v.report, f.rule)


def test_a_forgotten_layer_is_an_error_naming_the_rules_and_the_fix() -> None:
    zones = ar.load_zones(EXAMPLE / "trees.geojson")
    with pytest.raises(CoverageError) as info:
        ar.check(_reports(), zones, ar.load_rules())
    gaps = {g.name: g for g in info.value.gaps}
    assert "place_of_worship" in gaps and "APK-IBADAH" in gaps["place_of_worship"].rules
    code, out, err = run_cli("check", EXAMPLE_REPORTS, "--zones", EXAMPLE / "trees.geojson", "--lang", "en")
    assert code == 2 and out == ""
    assert "--zones place_of_worship=FILE" in err
    assert len(err.splitlines()) == len(gaps)


def test_partial_marks_unchecked_never_ok() -> None:
    zones = ar.load_zones(EXAMPLE / "trees.geojson")
    run = ar.check(_reports(), zones, ar.load_rules(), partial=True)
    statuses = {v.status for v in run.verdicts}
    assert ar.Status.OK not in statuses and ar.Status.UNCHECKED in statuses
    first = next(v for v in run.verdicts if v.status is ar.Status.UNCHECKED)
    assert "APK-IBADAH" in first.unchecked or "BK-TEMPAT-TERLARANG" in first.unchecked
    cov = run.summary.coverage["APK-IBADAH"]
    assert cov["checked"] == 0 and cov["unchecked"] == cov["applicable"] > 0
    assert run.summary.by_status["unchecked"] == sum(v.status is ar.Status.UNCHECKED for v in run.verdicts)


RULES_ON_A_COLUMN = {
    "schema": "atribut-rules/1",
    "ruleset": {"id": "t", "version": "1"},
    "rules": [
        {
            "id": "KET",
            "title": {"id": "t", "en": "t"},
            "severity": "error",
            "legal_basis": "test",
            "when": {"field": "keterangan", "equals": "di pohon"},
            "message": {"id": "m", "en": "m"},
        }
    ],
}


@pytest.mark.parametrize("header", ["Keterangan", "KETERANGAN ", "keterangan"])
def test_an_extra_column_matches_whatever_its_case_and_spaces(header: str) -> None:
    csv = f"id,lat,lon,{header}\nA,-2.1,106.1,di pohon\n"
    reports = next(iter(iter_csv(io.StringIO(csv), file="t.csv")))
    run = ar.check(reports, ar.load_zones(), ar.load_rules(RULES_ON_A_COLUMN))
    assert run.verdicts[0].status is ar.Status.VIOLATION


def test_a_misspelt_field_is_an_error_with_the_closest_column() -> None:
    doc = {
        **RULES_ON_A_COLUMN,
        "rules": [{**RULES_ON_A_COLUMN["rules"][0], "when": {"field": "keteranagn", "equals": "x"}}],
    }
    csv = "id,lat,lon,Keterangan\nA,-2.1,106.1,di pohon\n"
    reports = next(iter(iter_csv(io.StringIO(csv), file="t.csv")))
    with pytest.raises(CoverageError) as info:
        ar.check(reports, ar.load_zones(), ar.load_rules(doc))
    (gap,) = info.value.gaps
    assert (gap.kind, gap.name, gap.rules, gap.suggestions) == (
        "field",
        "keteranagn",
        ("KET",),
        ("Keterangan",),
    )


def test_a_repaired_collection_keeps_its_polygon_and_a_report_inside_is_not_ok() -> None:
    # a square with a one-segment spike: make_valid gives a Polygon and a LineString
    ring = [
        [106.10, -2.10],
        [106.11, -2.10],
        [106.11, -2.09],
        [106.10, -2.09],
        [106.10, -2.095],
        [106.09, -2.095],
        [106.10, -2.095],
        [106.10, -2.10],
    ]
    feature = {
        "type": "Feature",
        "id": "s1",
        "properties": {"category": "school", "name": "SD"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    assert (
        shapely.get_type_id(
            shapely.make_valid(shapely.from_geojson(str(feature["geometry"]).replace("'", '"')))
        )
        == 7
    )
    zones = ar.load_zones({"type": "FeatureCollection", "features": [feature]}, repair=True)
    assert zones.kinds[0] == "polygon" and shapely.get_type_id(zones.geoms[0]) in (3, 6)
    reports = ar.Reports.from_records(
        [{"id": "in", "lat": -2.095, "lon": 106.105, "type": "baliho", "observed_at": "2024-01-20"}]
    )
    run = ar.check(reports, zones, ar.load_rules(), partial=True)
    finding = next(f for f in run.verdicts[0].findings if f.rule == "APK-PENDIDIKAN")
    assert finding.status is ar.Status.VIOLATION and finding.distance_m < 0


def test_an_unknown_category_before_equals_is_named() -> None:
    code, _, err = run_cli("check", EXAMPLE_REPORTS, "--zones", "pohonn=x.geojson", "--lang", "en")
    assert code == 2 and "unknown category 'pohonn'" in err and "tree" in err


def test_invalid_rows_fail_a_ci_run_unless_relaxed(tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,lat,lon,type\nA,x,y,baliho\n", encoding="utf-8")
    for extra, expected in (([], 1), (["--fail-on-invalid", "never"], 0), (["--fail-on", "never"], 0)):
        assert run_cli("check", bad, *zone_args(), "--format", "json", *extra).code == expected


TREES_ONLY_PARTIAL = [
    "check",
    str(EXAMPLE / "laporan.csv"),
    "--zones",
    str(EXAMPLE / "trees.geojson"),
    "--partial",
    "-q",
]
"""The example list against its tree layer alone, partial: most rules are left unchecked."""

EXPECTED_MARK = {
    "table": "Pemeriksaan sebagian",
    "json": '"unchecked":["APK-IBADAH"',
    "jsonl": '"status":"unchecked"',
    "geojson": '"unchecked":["APK-IBADAH"',
    "csv": "belum_diperiksa",
    "sarif": '"kind": "open"',
    "junit": "<skipped message=",
    "github": "belum-diperiksa::belum diperiksa:",
    "html": 'class="banner st-unchecked"',
}


@pytest.mark.parametrize("fmt", sorted(EXPECTED_MARK))
def test_every_format_shows_what_a_partial_run_left_unchecked(fmt: str, tmp_path) -> None:
    code, out, err = run_cli(*TREES_ONLY_PARTIAL, "--format", fmt)
    assert code == 1
    assert EXPECTED_MARK[fmt] in out
    assert "atribut-rules: peringatan: pemeriksaan sebagian: " in err  # stderr in --lang (default id)
    assert "Traceback" not in err


def test_the_sheet_names_unchecked_rules_in_its_own_column(tmp_path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "hasil.xlsx"
    run_cli(*TREES_ONLY_PARTIAL, "--output", f"xlsx:{path}")
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    column = rows[0].index("belum_diperiksa")
    status = rows[0].index("status", len(rows[0]) - 6)
    unchecked = [r for r in rows[1:] if r[status] == "belum-diperiksa"]
    assert unchecked and all("APK-" in (r[column] or "") or "BK-" in (r[column] or "") for r in unchecked)


def test_a_partial_run_matches_the_json_schema() -> None:
    import json

    import jsonschema

    doc = json.loads(run_cli(*TREES_ONLY_PARTIAL, "--format", "json").out)
    jsonschema.Draft202012Validator(resources.schema("verdicts-1.json")).validate(doc)
    assert doc["summary"]["gaps"] and doc["summary"]["by_status"]["unchecked"] > 0
    assert {g["kind"] for g in doc["summary"]["gaps"]} == {"zone_category"}


def test_a_category_the_rule_set_declares_can_name_a_layer(tmp_path) -> None:
    import json

    rules = tmp_path / "kota.yaml"
    rules.write_text(
        "schema: atribut-rules/1\n"
        'ruleset: {id: kota, version: "1"}\n'
        "categories: [jalan_lebar]\n"
        "rules:\n"
        "  - id: JALAN-LEBAR\n"
        "    title: {id: Jalan lebar, en: Wide road}\n"
        "    severity: error\n"
        "    legal_basis: test\n"
        "    when: {near: {zone: jalan_lebar, within_m: 5}}\n"
        "    message: {id: dekat jalan lebar, en: near a wide road}\n",
        encoding="utf-8",
    )
    layer = tmp_path / "jalan.geojson"
    line = {"type": "LineString", "coordinates": [[106.10, -2.13], [106.12, -2.13]]}
    layer.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "id": "j1", "properties": {"name": "Jl. Lebar"}, "geometry": line}
                ],
            }
        )
    )
    reports = tmp_path / "r.csv"
    reports.write_text("id,lat,lon\nA,-2.13,106.11\nB,-2.20,106.11\n", encoding="utf-8")
    code, out, err = run_cli(
        "check", reports, "--rules", rules, "--zones", f"jalan_lebar={layer}", "--format", "json"
    )
    assert code == 1, err
    assert [v["status"] for v in json.loads(out)["verdicts"]] == ["violation", "ok"]


def test_officers_name_zone_categories_in_indonesian(tmp_path) -> None:
    import json

    names = {
        "wilayah": "kelurahan",
        "pohon": "trees",
        "masjid": "worship",
        "sekolah": "schools",
        "kantor_pemerintah": "government",
        "fasilitas_kesehatan": "health",
        "jalan": "roads",
        "taman": "parks",
        "fasilitas_umum": "facilities",
    }
    zones = [arg for alias, f in names.items() for arg in ("--zones", f"{alias}={EXAMPLE / f}.geojson")]
    code, out, _ = run_cli("check", EXAMPLE_REPORTS, *zones, "-q", "--format", "json")
    assert code == 1
    summary = json.loads(out)["summary"]
    assert summary["by_status"]["unchecked"] == 0 and summary["by_status"]["violation"] > 0
    rules = tmp_path / "pohon.yaml"
    rules.write_text(RULE_ON_POHON, encoding="utf-8")
    assert run_cli("validate", rules).code == 0
    assert ar.load_rules(rules).rules[0].when.zone == "tree"


RULE_ON_POHON = """schema: atribut-rules/1
ruleset: {id: x, version: "1"}
defaults: {zone_radius_m: {pohon: 0.5}}
rules:
  - id: R
    title: {id: a, en: b}
    severity: error
    legal_basis: t
    when: {near: {zone: pohon, within_m: 1}}
    message: {id: m, en: m}
"""
