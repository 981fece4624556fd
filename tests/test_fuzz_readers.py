"""Fuzz the report readers with hypothesis: arbitrary bytes, and well-formed files with hostile cells.

Arbitrary bytes may only raise InputError; whatever comes back is a consistent
table. A well-formed file with any cell texts gives exactly one row per data
record, with ids and order kept.
"""

from __future__ import annotations

import csv
import io
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atribut_rules.errors import InputError
from atribut_rules.readers import read_csv, read_geojson_reports, read_jsonl
from atribut_rules.readers.csv_reader import iter_csv
from atribut_rules.reports import Reports, canonical_field

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Cell text: any character but NUL (a NUL makes the whole file unusable, tested apart) and
# lone surrogates (cannot be encoded to UTF-8 bytes).
cells = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**20), 10**20))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, cells),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(cells, inner, max_size=3)),
    max_leaves=8,
)


def assert_consistent(reports: Reports) -> None:
    n = len(reports)
    for column in (reports.lon, reports.lat, reports.accuracy_m, reports.width_m, reports.height_m):
        assert len(column) == n
    for column in (reports.type, reports.party, reports.candidate, reports.mounted_on, reports.rows):
        assert len(column) == n
    assert len(reports.observed_at) == n and len(reports.observed_day) == n
    assert all(len(v) == n for v in reports.extra.values())
    assert set(reports.problems) <= set(range(n))
    valid = reports.valid
    for i in range(n):
        report = reports[i]
        if valid[i]:
            assert report.lat is not None and -90 <= report.lat <= 90
            assert report.lon is not None and -180 <= report.lon <= 180
        for value in (report.accuracy_m, report.width_m, report.height_m):
            assert value is None or (math.isfinite(value) and value >= 0)
        for problem in reports.problems.get(i, ()):
            assert problem.message["id"] and problem.message["en"]


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_only_raise_input_error(data: bytes) -> None:
    for reader in (read_csv, read_jsonl, read_geojson_reports):
        try:
            reports = reader(data, file="fuzz")
        except InputError as exc:
            assert str(exc).startswith("fuzz")
            continue
        assert_consistent(reports)


@FUZZ
@given(text=st.text(st.sampled_from(list('abc,;\t"\n\r \ufeff0123456789.-lat lon id{}[]:'))))
def test_csv_like_text_only_raises_input_error(text: str) -> None:
    try:
        reports = read_csv(text, file="fuzz")
    except InputError:
        return
    assert_consistent(reports)


@FUZZ
@given(
    rows=st.lists(st.tuples(cells, cells, cells), max_size=20),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_csv_one_row_per_record(rows: list[tuple[str, str, str]], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["id", "lat", "lon", "notes"])
    ids = [f"R-{i}" for i in range(len(rows))]
    for rid, row in zip(ids, rows):
        writer.writerow([rid, *row])
    reports = read_csv(buffer.getvalue().encode("utf-8"), file="fuzz.csv")
    assert reports.ids == ids
    assert list(reports.rows) == sorted(set(reports.rows))
    assert_consistent(reports)


@FUZZ
@given(rows=st.lists(st.dictionaries(cells, json_values, max_size=6), max_size=15))
def test_jsonl_one_row_per_line(rows: list[dict]) -> None:
    lines = []
    for i, row in enumerate(rows):
        row = {k: v for k, v in row.items() if k != "id"}
        lines.append(json.dumps({"id": f"R-{i}", **row}))
    if not lines:
        return
    reports = read_jsonl("\n".join(lines).encode("utf-8"), file="fuzz.jsonl")
    assert reports.ids == [f"R-{i}" for i in range(len(rows))]
    assert list(reports.rows) == list(range(1, len(rows) + 1))
    assert_consistent(reports)


@FUZZ
@given(
    features=st.lists(
        st.fixed_dictionaries(
            {
                "geometry": st.one_of(
                    st.none(),
                    json_values,
                    st.fixed_dictionaries({"type": st.just("Point"), "coordinates": json_values}),
                    st.fixed_dictionaries(
                        {"type": st.just("Point"), "coordinates": st.lists(numbers, max_size=3)}
                    ),
                ),
                "properties": st.one_of(st.none(), st.dictionaries(cells, json_values, max_size=4)),
            }
        ),
        max_size=12,
    )
)
def test_geojson_one_row_per_feature(features: list[dict]) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": f"R-{i}", **f} for i, f in enumerate(features)],
    }
    for f in doc["features"]:
        if isinstance(f["properties"], dict):
            f["properties"] = {k: v for k, v in f["properties"].items() if canonical_field(k) != "id"}
    reports = read_geojson_reports(json.dumps(doc).encode("utf-8"), file="fuzz.geojson")
    assert reports.ids == [f"R-{i}" for i in range(len(features))]
    assert_consistent(reports)


def _records_with_lines(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Oracle: every non-blank record after the header with the line it starts on, read one by one."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    out, start = [], 1
    for record in reader:
        if record and "".join(record).strip():
            out.append((start, record))
        start = reader.line_num + 1
    return out[1:]


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.tuples(cells, cells).map(lambda t: ("row", t)),
            st.just(("blank", ())),
            st.tuples(cells).map(lambda t: ("short", t)),
        ),
        max_size=25,
    ),
    delimiter=st.sampled_from([",", ";"]),
    chunk_rows=st.integers(1, 30),
)
def test_csv_chunks_keep_records_and_line_numbers(lines: list, delimiter: str, chunk_rows: int) -> None:
    """Quoted line breaks, blank lines and ragged rows anywhere: chunked reading gives every
    record, its cells and the line it starts on as reading record by record does."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["id", "lat", "lon"])
    for n, (kind, cells_) in enumerate(lines):
        if kind == "blank":
            buffer.write("\n")
        else:
            writer.writerow([f"R-{n}", *cells_])
    text = buffer.getvalue()
    expected = _records_with_lines(text, delimiter)
    chunks = list(iter_csv(io.StringIO(text, newline=""), file="f.csv", chunk_rows=chunk_rows))
    got = [(int(row), list(record)) for chunk in chunks for row, record in zip(chunk.rows, chunk.raw)]
    assert got == [(row, record) for row, record in expected]
    assert all(len(chunk) == chunk_rows for chunk in chunks[:-1])
