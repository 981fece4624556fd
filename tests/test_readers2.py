"""Readers refuse what is not a regular file, and read hostile text, numbers, sheets and
map data into located errors or invalid rows (cases that do not fit tests/bad_inputs)."""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from helpers import EXAMPLE, REPO, run_cli

from atribut_rules import load_permits, load_zones, read_reports
from atribut_rules.cli import main
from atribut_rules.errors import InputError, RuleSetError, ZoneError
from atribut_rules.read import read_jsonl
from atribut_rules.read.inputfiles import check_regular_file, open_input, read_input
from atribut_rules.read.json_text import first_non_text, is_text, loads
from atribut_rules.rules.ruleset import load_rules
from atribut_rules.zonebuild import build_zones

# -- only regular files ------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "laporan.csv"
    os.mkfifo(path)
    return path


def _within(seconds: float, call, *args, **kwargs):
    """Run ``call`` in a thread; fail (instead of hanging the suite) when it does not return."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = call(*args, **kwargs)
        except BaseException as exc:  # handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{call.__name__} did not return within {seconds} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def test_a_fifo_is_refused_without_blocking(fifo: Path) -> None:
    with pytest.raises(InputError, match=r"reports file is not a regular file \(a FIFO"):
        _within(5, read_reports, fifo)
    with pytest.raises(ZoneError, match="zone file is not a regular file"):
        _within(5, load_zones, fifo.rename(fifo.with_suffix(".geojson")))


def test_a_fifo_as_every_kind_of_input_exits_2(fifo: Path) -> None:
    zones = str(EXAMPLE / "trees.geojson")
    for argv in (
        ["check", str(fifo), "--zones", zones],
        ["check", str(fifo), "--zones", zones, "--chunk-rows", "5"],
        ["check", str(EXAMPLE / "laporan.csv"), "--zones", str(fifo)],
        ["check", "--example", "--rules", str(fifo)],
        ["check", "--example", "--permits", str(fifo)],
    ):
        out, err = io.StringIO(), io.StringIO()
        code = _within(10, main, [*argv, "--lang", "en"], out, err)
        assert code == 2, (argv, err.getvalue())
        assert err.getvalue().startswith("atribut-rules: error: ") and err.getvalue().count("\n") == 1
        assert "is not a regular file (a FIFO (named pipe))" in err.getvalue()


def test_a_socket_and_a_folder_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(InputError, match=r"is not a regular file \(a socket\)"):
            check_regular_file(path, what="reports file")
    finally:
        server.close()
    with pytest.raises(InputError, match=r"is not a regular file \(a folder\)"):
        read_input(tmp_path, what="reports file")
    with pytest.raises(RuleSetError, match=r"rule file is not a regular file \(a character device\)"):
        load_rules(Path("/dev/null"))


def test_a_regular_file_through_a_link_is_read_and_the_size_limit_holds(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("id,lat,lon\nA,-2.1,106.1\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert len(read_reports(link)) == 1
    with open_input(link) as f:
        assert f.read(2) == b"id"
    with pytest.raises(InputError, match="more than the limit of 10"):
        read_input(link, max_bytes=10)
    with pytest.raises(InputError, match="cannot open input file"):
        read_input(tmp_path / "missing.csv")


# -- JSON: line ends, lone surrogates, long integers -------------------------------------


def test_jsonl_rows_end_only_at_newline() -> None:
    text = '{"id": "A", "lat": -2.1, "lon": 106.1, "notes": "a\u2028b\u2029c\x85d"}\r\n'
    text += '{"id": "B", "lat": -2.1, "lon": 106.1}\n'
    reports = read_jsonl(text.encode("utf-8"))
    assert reports.ids == ["A", "B"] and list(reports.rows) == [1, 2]
    assert reports.extra["notes"][0] == "a\u2028b\u2029c\x85d"
    assert reports.problems == {}


def test_control_characters_are_kept_and_only_surrogates_refused() -> None:
    text = '{"id": "A", "lat": -2.1, "lon": 106.1, "notes": "\\u001b[31m \\ud83d\\ude00"}\n'
    text += '{"id": "B", "lat": -2.1, "lon": 106.1, "notes": "x\\udc80"}\n'
    reports = read_jsonl(text)
    assert reports.extra["notes"][0] == "\x1b[31m \U0001f600"
    assert 0 not in reports.problems
    assert [(p.code, p.field) for p in reports.problems[1]] == [("not_text", "notes")]
    assert is_text(reports.extra["notes"][1])  # writable: U+FFFD in place of the surrogate


def test_first_non_text_names_the_path_and_survives_deep_nesting() -> None:
    assert first_non_text({"a": [1, {"b": "\ud800"}]}) == "a[1].b"
    assert first_non_text({"\udc80": 1}) == "\ufffd"
    deep: object = "\ud800"
    for _ in range(5000):
        deep = [deep]
    assert first_non_text(deep) == "[0]" * 5000


def test_long_integers_stay_digits() -> None:
    assert loads("[" + "7" * 5000 + ", 12]") == ["7" * 5000, 12]
    assert loads("123456789012345678") == 123456789012345678


def test_a_zone_with_a_5000_digit_id_keeps_it() -> None:
    digits = "4" * 5000
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "id": '
        + digits
        + ', "properties": {"category": "tree"}, "geometry": {"type": "Point", "coordinates": [106.1, -2.1]}}]}'
    )
    zones = load_zones(json.loads(text, parse_int=str))
    assert zones.ids == [digits]


def test_a_zone_mapping_with_a_lone_surrogate_is_refused() -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "z",
                "properties": {"category": "tree", "name": "a\udc80"},
                "geometry": {"type": "Point", "coordinates": [106.1, -2.1]},
            }
        ],
    }
    with pytest.raises(ZoneError, match="name 'a\ufffd' is not valid Unicode text") as info:
        load_zones(doc)
    assert info.value.field == "name"


# -- XLSX --------------------------------------------------------------------------------


def _corpus_workbook(name: str) -> bytes:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_corpus_readers2", REPO / "tests/bad_inputs/make_corpus_readers2.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.xlsx_files()[name]


def test_a_dimension_bomb_reads_in_a_moment() -> None:
    pytest.importorskip("openpyxl")
    from atribut_rules.read.xlsx_reader import read_xlsx

    data = _corpus_workbook("rd_xlsx_dimension_bomb.xlsx")
    start = time.monotonic()
    reports = read_xlsx(data, file="bom.xlsx")
    assert reports.ids == ["G-1", "G-2"] and time.monotonic() - start < 5


def test_a_workbook_that_unzips_beyond_the_limit_is_refused() -> None:
    pytest.importorskip("openpyxl")
    from atribut_rules.read.xlsx_reader import read_xlsx

    data = _corpus_workbook("rd_xlsx_dimension_bomb.xlsx")
    with pytest.raises(InputError, match="unzip to .* bytes, more than the limit of 1000"):
        read_xlsx(data, file="x.xlsx", max_unzipped_bytes=1000)


# -- permits -----------------------------------------------------------------------------


def test_permits_csv_with_an_unclosed_quote_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "izin.csv"
    path.write_text('izin;aturan;alasan\nIZ-1;R-1;a\nIZ-2;R-1;"b\nIZ-3;R-1;c\nIZ-4;R-1;d\n', encoding="utf-8")
    with pytest.raises(InputError, match="never closed") as info:
        load_permits(path)
    assert info.value.line == 3


def test_permits_csv_quoted_line_breaks_still_read(tmp_path: Path) -> None:
    path = tmp_path / "izin.csv"
    path.write_text('izin;aturan;alasan\nIZ-1;R-1;"a\nb"\nIZ-2;R-2;c\n', encoding="utf-8")
    assert [(p.id, p.reason) for p in load_permits(path)] == [("IZ-1", "a\nb"), ("IZ-2", "c")]


# -- zones build -------------------------------------------------------------------------


def _road(fid: str, lanes: str) -> dict:
    return {
        "type": "Feature",
        "id": fid,
        "properties": {"highway": "trunk", "lanes": lanes, "@id": fid},
        "geometry": {"type": "LineString", "coordinates": [[106.119, -2.133], [106.128, -2.133]]},
    }


@pytest.mark.parametrize("lanes", ["\u00b2", "\u0663", "9" * 5000, "0", "-2"])
def test_zones_build_warns_about_a_lanes_tag_that_is_no_count(tmp_path: Path, lanes: str) -> None:
    src = tmp_path / "roads.geojson"
    doc = {"type": "FeatureCollection", "features": [_road("way/1", lanes), _road("way/2", "2")]}
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "zones.geojson"
    code, _, err = run_cli("zones", "build", str(src), "--map", "builtin:osm", "-o", str(out), "--lang", "en")
    assert code == 0, err
    assert "bad_lanes" in err and "is not a number of lanes" in err
    assert max(len(line) for line in err.splitlines()) < 400
    radii = {f["id"]: f["properties"]["radius_m"] for f in json.loads(out.read_text())["features"]}
    assert radii["osm:way/2"] == 3.5  # 2 lanes x 3.5 m / 2
    assert radii["osm:way/1"] != radii["osm:way/2"]


def test_zones_build_reads_a_gazetteer_field_over_128_kb(tmp_path: Path) -> None:
    src = tmp_path / "toponimi.csv"
    name = "Al Ikhlas " + "x" * 200_000
    src.write_text(
        f"KODE;NAMA_UNSUR;NAMA_LOKAL;NAMA_GEO1;bujur;lintang\nT1;Masjid;Masjid;{name};106,12;-2,13\n",
        encoding="utf-8",
    )
    result = build_zones([src], "builtin:id-gazetteer")
    assert [f["id"] for f in result.collection["features"]] == ["T1"]


def test_zones_build_gazetteer_with_an_unclosed_quote_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "toponimi.csv"
    src.write_text(
        "KODE;NAMA_UNSUR;NAMA_LOKAL;NAMA_GEO1;bujur;lintang\n"
        'T1;Masjid;Masjid;"Al Ikhlas;106,12;-2,13\n'
        "T2;Masjid;Masjid;Nurul;106,13;-2,14\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "zones", "build", str(src), "--map", "builtin:id-gazetteer", "-o", str(tmp_path / "z.geojson"), "--lang", "en"
    )
    assert code == 2
    assert err.startswith("atribut-rules: error: ") and f"{src}:2: a quote opened in this record" in err


def test_zones_build_refuses_a_source_with_a_lone_surrogate(tmp_path: Path) -> None:
    src = tmp_path / "osm.geojson"
    src.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "node/1", '
        '"properties": {"amenity": "school", "name": "SD \\udc80"}, '
        '"geometry": {"type": "Point", "coordinates": [106.12, -2.13]}}]}',
        encoding="utf-8",
    )
    out = tmp_path / "z.geojson"
    code, _, err = run_cli("zones", "build", str(src), "--map", "builtin:osm", "-o", str(out), "--lang", "en")
    assert code == 2 and not out.exists()
    assert err.startswith("atribut-rules: error: ") and err.count("\n") == 1
    assert "feature #1: properties.name is not valid Unicode text" in err


def test_a_zone_mapping_with_a_radius_too_large_for_a_float_is_refused() -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "z",
                "properties": {"category": "tree", "radius_m": 10**400},
                "geometry": {"type": "Point", "coordinates": [106.1, -2.1]},
            }
        ],
    }
    with pytest.raises(ZoneError, match="is not a number of metres") as info:
        load_zones(doc)
    assert info.value.field == "radius_m" and len(str(info.value)) < 500
