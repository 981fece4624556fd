"""reports.py: header aliases, number and date parsing, and rows that become invalid."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from helpers import codes
from support import make_rules, reports, rule

import atribut_rules as ar
from atribut_rules.table.build import build_reports
from atribut_rules.table.fields import HEADER_ALIASES, canonical_field, normalise_header
from atribut_rules.table.parse import parse_date, parse_number


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("lintang", "lat"),
        ("bujur", "lon"),
        ("jenis", "type"),
        ("partai", "party"),
        ("tanggal", "observed_at"),
        ("lebar_m", "width_m"),
        ("tinggi_m", "height_m"),
        ("dipasang_di", "mounted_on"),
        ("Lintang", "lat"),
        (" BUJUR ", "lon"),
        ("Dipasang Di", "mounted_on"),
        ("lebar-m", "width_m"),
        ("\ufeffno", "id"),
        ("Latitude", "lat"),
        ("lng", "lon"),
        ("catatan", None),
        ("kelurahan", None),
    ],
)
def test_header_alias(header: str, field: str | None) -> None:
    assert canonical_field(header) == field


def test_every_alias_maps_to_its_field() -> None:
    for name, aliases in HEADER_ALIASES.items():
        assert name in aliases
        for alias in aliases:
            assert alias == normalise_header(alias)
            assert canonical_field(alias) == name


def test_indonesian_headers_fill_the_canonical_fields() -> None:
    table = reports(
        [
            {
                "no": "R-1",
                "lintang": "-2,1291",
                "bujur": "106,1133",
                "akurasi_m": "2,5",
                "jenis": "Baliho",
                "lebar_m": "4",
                "tinggi_m": "1,5",
                "partai": "Partai A",
                "caleg": "Siti",
                "tanggal": "11/02/2024",
                "dipasang_di": "Pohon",
                "kelurahan": "Bintang",
            }
        ]
    )
    r = table[0]
    assert (r.id, r.lat, r.lon, r.accuracy_m) == ("R-1", -2.1291, 106.1133, 2.5)
    assert (r.type, r.mounted_on) == ("baliho", "pohon")  # folded for matching
    assert (r.width_m, r.height_m, r.party, r.candidate) == (4.0, 1.5, "Partai A", "Siti")
    assert r.observed_at == "11/02/2024"
    assert table.observed_day[0] == dt.date(2024, 2, 11)
    assert r.extra == {"kelurahan": "Bintang"}
    assert not table.problems


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-2,129", -2.129),
        ("106.1133", 106.1133),
        (" 5 ", 5.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 234,5", 1234.5),
        ("\u22122,5", -2.5),
        ("+3", 3.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("0", 0.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value, abs=0, rel=1e-15)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "2°7'S", "--1", "1.2.3", "12a", "0x10"])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-02-11", dt.date(2024, 2, 11)),
        ("2024-02-11T23:59:00+07:00", dt.date(2024, 2, 11)),
        ("2024-02-11 08:00", dt.date(2024, 2, 11)),
        ("2024-02-11T08:00:00Z", dt.date(2024, 2, 11)),
        ("11/02/2024", dt.date(2024, 2, 11)),
        ("11-02-2024", dt.date(2024, 2, 11)),
        ("2024/02/11", dt.date(2024, 2, 11)),
        (" 2023-11-28 ", dt.date(2023, 11, 28)),
    ],
)
def test_parse_date(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["2024-13-01", "2024-02-30", "besok", "02/30/2024", "20240211", ""])
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def _one(**fields: object) -> ar.Reports:
    base: dict[str, object] = {"id": "A", "lat": "-2.13", "lon": "106.11"}
    base.update(fields)
    return reports([{k: v for k, v in base.items() if v is not None}])


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"lat": None}, "missing", "lat"),
        ({"lon": ""}, "missing", "lon"),
        ({"lat": "   "}, "missing", "lat"),
        ({"lat": "abc"}, "not_number", "lat"),
        ({"lon": "106,11,3"}, "not_number", "lon"),
        ({"lat": "2°7'S"}, "dms", "lat"),
        ({"lon": "106 7 S"}, "dms", "lon"),
        ({"lat": "nan"}, "not_finite", "lat"),
        ({"lon": "inf"}, "not_finite", "lon"),
        ({"lat": "-95"}, "out_of_range", "lat"),
        ({"lat": "95", "lon": "200"}, "out_of_range", "lat"),
        ({"lon": "-181"}, "out_of_range", "lon"),
        ({"width_m": "-1"}, "negative", "width_m"),
        ({"height_m": "-0,5"}, "negative", "height_m"),
        ({"accuracy_m": "-3"}, "negative", "accuracy_m"),
        ({"width_m": "lebar"}, "not_number", "width_m"),
        ({"tanggal": "kemarin"}, "bad_date", "observed_at"),
        ({"lat": True}, "not_number", "lat"),
    ],
)
def test_unusable_values_make_the_row_invalid(fields: dict, code: str, field: str) -> None:
    table = _one(**fields)
    assert len(table) == 1
    problems = table.problems[0]
    assert (code, field) in [(p.code, p.field) for p in problems]
    for p in problems:
        assert p.message["id"] and p.message["en"]
    assert not table.valid[0]


def test_both_coordinates_missing_name_both_fields() -> None:
    table = _one(lat=None, lon=None)
    assert sorted(p.field for p in table.problems[0]) == ["lat", "lon"]
    assert table[0].lat is None and table[0].lon is None


def test_swapped_coordinates_are_invalid_and_never_flipped() -> None:
    table = _one(lat="106,1133", lon="-2,1291")
    (problem,) = table.problems[0]
    assert problem.code == "swapped"
    r = table[0]
    assert r.lat is None and r.lon is None  # not flipped into a usable position
    assert math.isnan(table.lat[0]) and math.isnan(table.lon[0])
    # the suggested reading is the swapped one, in both languages
    assert "latitude -2.1291, longitude 106.1133" in problem.message["en"]
    assert "lintang -2.1291, bujur 106.1133" in problem.message["id"]
    assert "never flipped" in problem.message["en"]


def test_swapped_row_gets_an_invalid_verdict_with_no_findings() -> None:
    rules = make_rules(rule("ANY", {"field": "type", "exists": True}))
    zones = ar.load_zones(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": "t",
                    "properties": {"category": "tree"},
                    "geometry": {"type": "Point", "coordinates": [106.11, -2.13]},
                }
            ],
        }
    )
    run = ar.check(reports([{"id": "S", "lat": 106.11, "lon": -2.13, "type": "baliho"}]), zones, rules)
    (verdict,) = run.verdicts
    assert verdict.status is ar.Status.INVALID
    assert verdict.findings == ()
    assert codes(verdict) == ["swapped"]


def test_duplicate_id_keeps_the_first_and_flags_the_later() -> None:
    table = reports(
        [
            {"id": "R-1", "lat": -2.1, "lon": 106.1},
            {"id": "R-2", "lat": -2.1, "lon": 106.1},
            {"id": " R-1 ", "lat": -2.1, "lon": 106.1},
        ]
    )
    assert table.ids == ["R-1", "R-2", "R-1"]
    assert list(table.problems) == [2]
    (problem,) = table.problems[2]
    assert problem.code == "duplicate_id"
    assert "1" in problem.message["en"]  # names the row of the first use


def test_missing_id_gets_a_row_based_id() -> None:
    table = reports([{"lat": -2.1, "lon": 106.1}, {"id": "", "lat": -2.1, "lon": 106.1}])
    assert table.ids == ["row-1", "row-2"]
    assert not table.problems


def test_numbers_given_as_numbers_and_zero_sizes_are_fine() -> None:
    table = _one(lat=-2.13, lon=106.11, width_m=0, height_m=0.0, accuracy_m=0)
    assert not table.problems
    assert (table[0].width_m, table[0].height_m, table[0].accuracy_m) == (0.0, 0.0, 0.0)


def test_too_long_field_is_invalid() -> None:
    table = build_reports(
        [(2, {"id": "A", "lat": "-2", "lon": "106", "catatan": "x" * 50})], file="f", max_field_chars=10
    )
    assert [p.code for p in table.problems[0]] == ["too_long"]


def test_area_is_width_times_height() -> None:
    table = _one(width_m="0,4", height_m="0,6")
    assert table.field_values("area_m2")[0] == pytest.approx(0.24)


def test_reports_round_trip_through_report_objects() -> None:
    table = reports([{"id": "a", "lat": -2.1, "lon": 106.1, "jenis": "Baliho", "kelurahan": "Bintang"}])
    again = ar.Reports.from_records(list(table))
    assert [r.__dict__ | {"source": None} for r in again] == [r.__dict__ | {"source": None} for r in table]
    assert not again.problems
