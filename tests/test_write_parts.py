"""Part files: one partition's run as JSON Lines, a GeoJSON document or a GeoParquet file.

Each format says what the whole-run writers say: the JSON Lines parts of consecutive
chunks join into the command's JSON Lines, a GeoJSON part is the command's GeoJSON for
that run, and every parquet row holds its JSON Lines record's fields.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import geojson
import numpy as np
import pytest
import shapely
from helpers import check_example, examples, load_example, run_cli
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

import atribut_rules as ar
from atribut_rules.errors import MissingExtraError
from atribut_rules.scale.chunks import check_chunks, whole_list_run
from atribut_rules.write import parts, write_geojson, write_jsonl
from atribut_rules.write.parts import PART_SUFFIX, parquet_schema, part_bytes, part_name

pa = pytest.importorskip("pyarrow", reason="the dask extra (pyarrow) is not installed")
pq = pytest.importorskip("pyarrow.parquet", reason="the dask extra (pyarrow) is not installed")
ds = pytest.importorskip("pyarrow.dataset", reason="the dask extra (pyarrow) is not installed")

CHUNK_BOUNDS = (0, 1, 64, 65, 200)
"""Where the example list is cut into chunks: one of one row, uneven others, and the rest."""


@pytest.fixture(scope="module")
def example_run() -> ar.Run:
    return check_example(relative=True)


RULESETS = ("builtin:id-pemilu-2024", "builtin:pangkalpinang-2024")
"""The default set (rules about one report each) and one with duplicate groups (whole-list rules,
whose findings are merged into each chunk's verdicts)."""


@pytest.fixture(scope="module", params=RULESETS)
def ruleset(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def chunk_runs(ruleset: str) -> list[ar.Run]:
    """The example list (as ``check --example`` reads it) checked in the chunks ``CHUNK_BOUNDS`` cut."""
    rules = ar.load_rules(ruleset)
    reports, zones, permits = load_example(rules, relative=True)
    bounds = [*CHUNK_BOUNDS, len(reports)]
    chunks = [reports.slice(a, b) for a, b in zip(bounds, bounds[1:])]
    whole = whole_list_run(chunks, zones, rules, permits=permits)
    return list(check_chunks(chunks, zones, rules, permits=permits, whole=whole))


def jsonl_text(run: ar.Run) -> str:
    out = io.StringIO()
    write_jsonl(run, out)
    return out.getvalue()


def geojson_text(run: ar.Run, lang: str = "id") -> str:
    out = io.StringIO()
    write_geojson(run, out, lang=lang)
    return out.getvalue()


def read_parquet(data: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(data))


def empty_run() -> ar.Run:
    reports, zones, permits = load_example()
    return ar.check(reports.slice(0, 0), zones, ar.load_rules(None), permits=permits)


# -- names ---------------------------------------------------------------------------


def test_part_names_have_five_digits_and_the_format_suffix() -> None:
    assert part_name(0, 1, "jsonl") == "part-00000.jsonl"
    assert part_name(41, 42, "geojson") == "part-00041.geojson"
    assert part_name(99_999, 100_000, "parquet") == "part-99999.parquet"
    assert part_name(7, 100_001, "parquet") == "part-000007.parquet"
    assert set(PART_SUFFIX) == {"jsonl", "geojson", "parquet"}


@pytest.mark.parametrize(("index", "total", "fmt"), [(-1, 3, "jsonl"), (3, 3, "jsonl"), (0, 1, "csv")])
def test_part_name_refuses_a_part_that_is_not_there(index: int, total: int, fmt: str) -> None:
    with pytest.raises(ValueError):
        part_name(index, total, fmt)


@hsettings(max_examples=examples(50))
@given(total=st.integers(1, 3_000_000), picks=st.lists(st.integers(0, 2**40), min_size=2, max_size=20))
def test_part_names_sort_in_partition_order(total: int, picks: list[int]) -> None:
    indexes = sorted({p % total for p in picks} | {0, total - 1})
    names = [part_name(i, total, "parquet") for i in indexes]
    assert sorted(names) == names
    assert len({len(n) for n in names}) == 1


def test_an_unknown_part_format_is_refused(example_run: ar.Run) -> None:
    with pytest.raises(ValueError, match="csv"):
        part_bytes("csv", example_run)


# -- JSON Lines ----------------------------------------------------------------------


def test_jsonl_parts_of_consecutive_chunks_join_into_the_commands_jsonl(
    chunk_runs: list[ar.Run], ruleset: str
) -> None:
    pieces = [part_bytes("jsonl", run) for run in chunk_runs]
    assert [p.count(b"\n") for p in pieces] == [len(r.verdicts) for r in chunk_runs]
    code, out, err = run_cli(
        "check", "--example", "--rules", ruleset, "--format", "jsonl", "--fail-on", "never"
    )
    assert code == 0, err
    assert b"".join(pieces) == out.encode("utf-8")


def test_a_jsonl_part_is_the_whole_run_writers_jsonl(example_run: ar.Run) -> None:
    assert part_bytes("jsonl", example_run) == jsonl_text(example_run).encode("utf-8")
    assert part_bytes("jsonl", empty_run()) == b""


# -- GeoJSON -------------------------------------------------------------------------


def test_a_geojson_part_is_the_commands_geojson_for_its_run(example_run: ar.Run) -> None:
    data = part_bytes("geojson", example_run)
    code, out, err = run_cli("check", "--example", "--format", "geojson", "--fail-on", "never")
    assert code == 0, err
    assert data == out.encode("utf-8")
    assert data == geojson_text(example_run).encode("utf-8")

    document = geojson.loads(data.decode("utf-8"))
    assert isinstance(document, geojson.FeatureCollection)
    assert document.is_valid, document.errors()
    assert [f["id"] for f in document["features"]] == [v.report for v in example_run.verdicts]
    assert [f["properties"]["status"] for f in document["features"]] == [
        v.status.value for v in example_run.verdicts
    ]


def test_geojson_parts_of_chunks_are_each_a_whole_document(chunk_runs: list[ar.Run]) -> None:
    for run in chunk_runs:
        for lang in ("id", "en"):
            data = part_bytes("geojson", run, lang=lang)
            assert data == geojson_text(run, lang).encode("utf-8")
            assert len(json.loads(data)["features"]) == len(run.verdicts)


def test_an_empty_geojson_part_is_an_empty_feature_collection() -> None:
    data = part_bytes("geojson", empty_run())
    assert json.loads(data) == {"type": "FeatureCollection", "features": []}
    assert geojson.loads(data.decode()).is_valid


# -- parquet -------------------------------------------------------------------------


def _parquet_row_as_json(row: dict) -> dict:
    """A parquet row in the shape of its JSON Lines record (source and rule set nested,
    details and zone origins parsed back from their JSON text, no geometry)."""
    findings = []
    for f in row["findings"]:
        f = dict(f)
        if f["zone"] is not None:
            f["zone"] = {**f["zone"], "origin": json.loads(f["zone"]["origin"] or "null")}
        f["details"] = json.loads(f["details"])
        findings.append(f)
    ruleset = row["ruleset_id"], row["ruleset_version"], row["ruleset_sha256"]
    return {
        "report": row["report"],
        "source": None if row["file"] is None else {"file": row["file"], "row": row["row"]},
        "status": row["status"],
        "findings": findings,
        "problems": row["problems"],
        "group": row["group"],
        "unchecked": row["unchecked"],
        "ruleset": None if ruleset == (None, None, None) else dict(zip(("id", "version", "sha256"), ruleset)),
    }


def _same(a: object, b: object) -> bool:
    """Equal, NaN equal to NaN (a number the JSON writes as NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("ruleset", [None, "builtin:pangkalpinang-2024"])
def test_every_parquet_row_says_what_its_jsonl_line_says(ruleset: str | None) -> None:
    run = check_example(ruleset)
    lines = [json.loads(line) for line in part_bytes("jsonl", run).decode().splitlines()]
    rows = read_parquet(part_bytes("parquet", run)).to_pylist()
    assert len(rows) == len(lines) == len(run.verdicts)
    statuses = set()
    for n, (row, line) in enumerate(zip(rows, lines)):
        assert _same(_parquet_row_as_json(row), line), (n, row, line)
        statuses.add(line["status"])
    # the example holds every kind of verdict the comparison is about
    assert {"violation", "ok", "invalid"} <= statuses
    assert any(line["findings"] and line["findings"][0]["zone"] for line in lines)


def test_parquet_geometry_is_the_reports_point_as_wkb(example_run: ar.Run) -> None:
    table = read_parquet(part_bytes("parquet", example_run))
    wkb = table.column("geometry").to_pylist()
    lon, lat = example_run.reports.lon, example_run.reports.lat
    located = np.isfinite(lon) & np.isfinite(lat)
    assert not located.all() and located.any()  # the example has rows without a position
    assert [w is None for w in wkb] == (~located).tolist()
    points = shapely.from_wkb([w for w in wkb if w is not None])
    np.testing.assert_array_equal(shapely.get_x(points), lon[located])
    np.testing.assert_array_equal(shapely.get_y(points), lat[located])
    features = json.loads(part_bytes("geojson", example_run))["features"]
    assert [f["geometry"] is None for f in features] == [w is None for w in wkb]


def test_parquet_has_geoparquet_1_1_metadata(example_run: ar.Run) -> None:
    metadata = pq.read_metadata(io.BytesIO(part_bytes("parquet", example_run))).metadata
    geo = json.loads(metadata[b"geo"])
    assert geo["version"] == "1.1.0"
    assert geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB"
    assert column["geometry_types"] == ["Point"]
    assert "crs" not in column  # absent: OGC:CRS84, longitude and latitude
    lon, lat = example_run.reports.lon, example_run.reports.lat
    assert column["bbox"] == [np.nanmin(lon), np.nanmin(lat), np.nanmax(lon), np.nanmax(lat)]
    assert set(metadata) == {b"geo", b"ARROW:schema"}


def test_parquet_bytes_are_the_same_for_the_same_run(example_run: ar.Run) -> None:
    first = part_bytes("parquet", example_run)
    assert part_bytes("parquet", example_run) == first
    assert part_bytes("parquet", check_example(relative=True)) == first


_PARTS_IN_A_PROCESS = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
from helpers import check_example
from atribut_rules.write.parts import part_bytes
run = check_example(relative=True)
print(*(hashlib.sha256(part_bytes(fmt, run)).hexdigest() for fmt in ("jsonl", "geojson", "parquet")))
"""


def test_part_bytes_are_the_same_in_another_process_under_another_hash_seed(example_run: ar.Run) -> None:
    digests = []
    for seed in ("0", "4242"):
        proc = subprocess.run(
            [sys.executable, "-c", _PARTS_IN_A_PROCESS, str(Path(__file__).parent)],
            capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        digests.append(proc.stdout.split())
    here = [
        hashlib.sha256(part_bytes(fmt, example_run)).hexdigest() for fmt in ("jsonl", "geojson", "parquet")
    ]
    assert digests[0] == digests[1] == here


def test_every_parquet_part_has_the_same_columns(chunk_runs: list[ar.Run]) -> None:
    empty = read_parquet(part_bytes("parquet", empty_run()))
    assert empty.num_rows == 0
    assert json.loads(empty.schema.metadata[b"geo"])["columns"]["geometry"].get("bbox") is None
    schema = parquet_schema()
    for run in [*chunk_runs, empty_run()]:
        table = read_parquet(part_bytes("parquet", run))
        assert table.schema.remove_metadata() == schema
    # the one-row chunk (an attribute of its own: a group, or none) has the columns all the same
    one = read_parquet(part_bytes("parquet", chunk_runs[0]))
    assert one.num_rows == 1


def test_a_folder_of_parquet_parts_reads_as_the_whole_list(tmp_path, chunk_runs: list[ar.Run]) -> None:
    runs = [*chunk_runs, empty_run()]
    for index, run in enumerate(runs):
        (tmp_path / part_name(index, len(runs), "parquet")).write_bytes(part_bytes("parquet", run))
    table = ds.dataset(tmp_path, format="parquet").to_table()
    expected = [v.report for run in chunk_runs for v in run.verdicts]
    assert table.column("report").to_pylist() == expected
    assert table.num_rows == sum(len(r.verdicts) for r in chunk_runs)
    pd = pytest.importorskip("pandas")
    frame = pd.read_parquet(tmp_path)
    assert frame["report"].tolist() == expected


def test_parquet_of_a_run_without_groups_and_with_groups_share_columns() -> None:
    # pangkalpinang-2024 groups duplicate reports; the national set does not
    grouped = read_parquet(part_bytes("parquet", check_example("builtin:pangkalpinang-2024")))
    plain = read_parquet(part_bytes("parquet", check_example()))
    assert grouped.schema.remove_metadata() == plain.schema.remove_metadata()
    assert grouped.column("group").null_count < grouped.num_rows
    assert plain.column("group").null_count == plain.num_rows


def test_a_lone_surrogate_is_written_as_the_text_outputs_write_it() -> None:
    reports = ar.Reports.from_records([{"id": "a\ud800b", "lon": 106.1, "lat": -2.1}])
    _, zones, _ = load_example()
    run = ar.check(reports, zones, ar.load_rules(None))
    line = part_bytes("jsonl", run)
    assert b"a\\ud800b" in line
    rows = read_parquet(part_bytes("parquet", run)).to_pylist()
    assert rows[0]["report"] == "a\\ud800b"


def test_parquet_without_pyarrow_names_the_extra(monkeypatch, example_run: ar.Run) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtraError) as caught:
        part_bytes("parquet", example_run)
    assert caught.value.code == "output.writing_parquet_needs_pyarrow"
    assert "pyarrow" in str(caught.value) and "atribut-rules[dask]" in str(caught.value)
    assert "pyarrow" in caught.value.text("id") and "pasang" in caught.value.text("id")
    assert part_bytes("jsonl", example_run)  # the other formats need nothing more


def test_parquet_made_in_small_batches_holds_the_same_rows(monkeypatch, example_run: ar.Run) -> None:
    whole = read_parquet(part_bytes("parquet", example_run))
    monkeypatch.setattr(parts, "PARQUET_BATCH", 7)  # 260 verdicts: 38 batches, the last of 1
    batched = read_parquet(part_bytes("parquet", example_run))
    assert batched.schema == whole.schema
    assert batched.to_pylist() == whole.to_pylist()
