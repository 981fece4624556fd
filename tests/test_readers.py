"""readers/: CSV (BOM, separators, blank lines, ragged rows, header checks), JSONL and GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import csv_bytes

import atribut_rules as ar
from atribut_rules.read import read_csv, read_geojson_reports, read_jsonl, report_chunks

HEADER = ["no", "lintang", "bujur", "jenis"]
ROWS = [["R-1", "-2,1291", "106,1133", "baliho"], ["R-2", "-2,13", "106,12", "spanduk"]]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_separators_and_bom(tmp_path: Path, sep: str, bom: bool) -> None:
    path = tmp_path / "laporan.csv"
    path.write_bytes(csv_bytes(HEADER, ROWS, sep=sep, bom=bom))
    table = ar.read_reports(path)
    assert table.ids == ["R-1", "R-2"]
    assert table.lat.tolist() == [-2.1291, -2.13]
    assert table.lon.tolist() == [106.1133, 106.12]
    assert table.columns == HEADER  # the BOM is not part of the first column name
    assert list(table.rows) == [2, 3]
    assert not table.problems
    assert table.file == str(path)
    assert table.sha256 and len(table.sha256) == 64


def test_csv_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "laporan.csv"
    text = "no;lintang;bujur\r\nR-1;-2,1;106,1\r\n"
    path.write_bytes(text.encode("utf-16"))
    assert ar.read_reports(path).ids == ["R-1"]


def test_csv_blank_lines_are_skipped_and_rows_keep_their_line_numbers() -> None:
    text = "\n\nno,lat,lon\n\nA,-2.1,106.1\n   \n,,\nB,-2.2,106.2\n\n"
    table = read_csv(text, file="f.csv")
    assert table.ids == ["A", "B"]
    assert list(table.rows) == [5, 8]


def test_csv_quoted_field_with_newline_keeps_the_start_line() -> None:
    text = 'no,lat,lon,catatan\nA,-2.1,106.1,"dua\nbaris"\nB,-2.2,106.2,x\n'
    table = read_csv(text, file="f.csv")
    assert table.ids == ["A", "B"]
    assert list(table.rows) == [2, 4]
    assert table.extra["catatan"] == ["dua\nbaris", "x"]


@pytest.mark.parametrize("row", ["A,-2.1", "A,-2.1,106.1,extra", "A"])
def test_csv_ragged_row_is_an_invalid_row(row: str) -> None:
    text = f"no,lat,lon\n{row}\nB,-2.2,106.2\n"
    table = read_csv(text, file="f.csv")
    assert table.ids == ["A", "B"]
    assert "ragged" in [p.code for p in table.problems[0]]
    assert 1 not in table.problems


@pytest.mark.parametrize(
    ("header", "missing"),
    [("no,bujur,jenis", "lat"), ("no,lintang,jenis", "lon"), ("id,latitud,longitud", "lat")],
)
def test_csv_without_a_coordinate_column_names_the_file(tmp_path: Path, header: str, missing: str) -> None:
    path = tmp_path / "tanpa-lintang.csv"
    path.write_text(f"{header}\nA,1,2\n", encoding="utf-8")
    with pytest.raises(ar.InputError) as info:
        ar.read_reports(path)
    err = info.value
    assert err.file == str(path)
    assert err.line == 1
    assert f"no {missing} column" in str(err)
    assert "tanpa-lintang.csv" in str(err)


def test_csv_two_columns_for_one_field_is_refused() -> None:
    with pytest.raises(ar.InputError, match="both name the field 'lat'"):
        read_csv("id,lat,lintang,lon\nA,1,1,2\n", file="f.csv")


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ufeff"])
def test_csv_empty_file_is_an_input_error(text: str) -> None:
    with pytest.raises(ar.InputError, match="empty"):
        read_csv(text, file="f.csv")


def test_csv_with_nul_bytes_is_refused_with_a_line() -> None:
    with pytest.raises(ar.InputError) as info:
        read_csv(b"id,lat,lon\nA,1,2\nB\x00,1,2\n", file="f.csv")
    assert info.value.line == 3


def test_csv_bad_utf8_names_the_line_and_suggests_an_encoding() -> None:
    data = "id,lat,lon,catatan\nA,-2,106,ok\nB,-2,106,caf\xe9\n".encode("latin-1")
    with pytest.raises(ar.InputError) as info:
        read_csv(data, file="f.csv")
    assert info.value.line == 3
    assert "--encoding" in str(info.value)
    assert read_csv(data, file="f.csv", encoding="latin-1").extra["catatan"][1] == "café"


def test_unknown_extension_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "laporan.xyz"
    path.write_text("x")
    with pytest.raises(ar.InputError, match="cannot tell the format"):
        ar.read_reports(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ar.InputError) as info:
        ar.read_reports(tmp_path / "nope.csv")
    assert info.value.file == str(tmp_path / "nope.csv")


def test_jsonl_bad_line_is_an_invalid_row_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "laporan.jsonl"
    path.write_text(
        '{"id": "A", "lat": -2.1, "lon": 106.1}\n'
        "\n"
        '{"id": "B", "lat": -2.1, \n'
        "[1, 2]\n"
        '{"id": "C", "lintang": "-2,1", "bujur": "106,1", "foto": {"url": "x"}}\n',
        encoding="utf-8",
    )
    table = ar.read_reports(path)
    assert len(table) == 4
    assert list(table.rows) == [1, 3, 4, 5]
    assert table.ids[0] == "A" and table.ids[3] == "C"
    assert sorted(table.problems) == [1, 2]
    assert table.problems[1][0].code == "bad_row"
    assert "not an object" in table.problems[2][0].message["en"]
    assert table[3].lat == -2.1
    assert json.loads(table.extra["foto"][3]) == {"url": "x"}


def test_jsonl_with_no_lines_is_an_input_error() -> None:
    with pytest.raises(ar.InputError):
        read_jsonl("\n  \n", file="f.jsonl")


def _fc(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def test_geojson_points_and_non_points() -> None:
    text = _fc(
        {
            "type": "Feature",
            "id": "A",
            "properties": {"jenis": "baliho"},
            "geometry": {"type": "Point", "coordinates": [106.1, -2.1]},
        },
        {
            "type": "Feature",
            "id": "B",
            "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[106.1, -2.1], [106.2, -2.1]]},
        },
        {"type": "Feature", "properties": {"id": "C"}, "geometry": None},
        {
            "type": "Feature",
            "id": 7,
            "properties": {"lat": 5, "lon": 5},
            "geometry": {"type": "Polygon", "coordinates": []},
        },
        "not a feature",
    )
    table = read_geojson_reports(text, file="r.geojson")
    assert table.ids == ["A", "B", "C", "7", "row-5"]
    assert list(table.rows) == [1, 2, 3, 4, 5]
    assert 0 not in table.problems
    assert table[0].lon == 106.1 and table[0].type == "baliho"
    assert "not_point" in [p.code for p in table.problems[1]]
    assert "missing" in [p.code for p in table.problems[2]]
    codes4 = [p.code for p in table.problems[3]]
    assert "not_point" in codes4 and table[3].lat is None  # properties lat/lon never stand in
    assert "bad_row" in [p.code for p in table.problems[4]]


@pytest.mark.parametrize(
    "text", ["[]", '{"type": "Feature"}', '{"type": "FeatureCollection", "features": {}}', "{bad json"]
)
def test_geojson_not_a_feature_collection(text: str) -> None:
    with pytest.raises(ar.InputError):
        read_geojson_reports(text, file="r.geojson")


def test_geojson_bad_json_names_line_and_column() -> None:
    with pytest.raises(ar.InputError) as info:
        read_geojson_reports('{\n  "type": "FeatureCollection",\n  "features": [,]\n}', file="r.geojson")
    assert (info.value.line, info.value.column) == (3, 16)


@pytest.mark.parametrize("lines", [3, 30_000])
def test_csv_quote_never_closed_is_refused_however_much_it_swallows(tmp_path: Path, lines: int) -> None:
    """Also when the open field is longer than the csv module's default field limit (131,072)."""
    text = 'no,lat,lon\nA,-2.1,106.1\nB,"-2.2\n' + "C,-2.3,106.3\n" * lines
    with pytest.raises(ar.InputError, match="never closed") as error:
        read_csv(text, file="f.csv")
    assert error.value.line == 3
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ar.InputError, match="never closed"):
        for _ in report_chunks(path, chunk_rows=7):
            pass
