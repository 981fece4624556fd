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
import sys
from pathlib import Path

from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atribut_rules.errors import InputError
from atribut_rules.read import read_csv, read_geojson_reports, read_jsonl
from atribut_rules.read.csv_reader import iter_csv
from atribut_rules.table.fields import canonical_field
from atribut_rules.table.reports import Reports

FUZZ = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


# -- the atheris harness, driven by hypothesis (JSON Lines and XLSX) ------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
import fuzz_readers  # noqa: E402  (the harness imports without atheris)


def _utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


JSONL_SEED = (Path(__file__).resolve().parents[1] / "fuzz/corpus/readers/jsonl_seed").read_bytes()


@FUZZ
@given(data=st.binary(max_size=3000))
def test_the_reader_harness_on_arbitrary_bytes(data: bytes) -> None:
    fuzz_readers.test_one_input(data)


@FUZZ
@given(
    part=st.integers(0, len(fuzz_readers.FUZZED_PARTS) - 1),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=12)), max_size=4),
)
def test_the_reader_harness_on_mutated_workbook_parts(part: int, edits: list) -> None:
    """Bytes of one XML part of a valid workbook cut, replaced or inserted, the workbook zipped
    again: the XLSX reader gives a consistent table or an InputError, never anything else."""
    name = fuzz_readers.FUZZED_PARTS[part]
    data = bytearray(fuzz_readers.PARTS[name].encode("utf-8"))
    for where, cut, insert in edits:
        at = where % (len(data) + 1)
        data[at : at + cut] = insert
    fuzz_readers.test_one_input(bytes([3, part]) + bytes(data))


XML_TOKENS = [
    '<c r="B2">',
    "<v>",
    "</v>",
    "</c>",
    't="s"',
    't="b"',
    't="n"',
    't="d"',
    's="1"',
    "NaN",
    "-1",
    "99",
    "ZZZZZ2",
    "XFD1",
    "&#27;",
    '<row r="1048577">',
    "</row>",
    "<row>",
    "1e400",
    "A1:XFD1048576",
]


@FUZZ
@given(tokens=st.lists(st.sampled_from(XML_TOKENS), max_size=8), at=st.integers(0, 10**6))
def test_the_reader_harness_on_worksheet_tokens(tokens: list[str], at: int) -> None:
    """Spreadsheet XML fragments (cell types, references, row numbers) spliced into the worksheet."""
    sheet = fuzz_readers.SHEET
    k = at % (len(sheet) + 1)
    fuzz_readers.test_one_input(bytes([3, 0]) + (sheet[:k] + "".join(tokens) + sheet[k:]).encode("utf-8"))


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 4), st.binary(max_size=8)), max_size=4))
def test_the_reader_harness_on_mutated_json_lines(edits: list) -> None:
    data = bytearray(JSONL_SEED)
    for where, cut, insert in edits:
        at = where % (len(data) + 1)
        data[at : at + cut] = insert
    fuzz_readers.test_one_input(bytes([1]) + bytes(data))


hostile_text = st.text(
    st.one_of(
        st.sampled_from(
            ["\u2028", "\u2029", "\x85", "\r", "\x1b", "\ud800", "\udc80", "\U0001f600", "\ufeff"]
        ),
        st.characters(blacklist_characters="\x00"),
    ),
    max_size=12,
)
long_digits = st.integers(19, 6000).map(lambda n: "7" * n)


@FUZZ
@given(
    rows=st.lists(
        st.dictionaries(
            st.sampled_from(["lat", "lon", "party", "notes", "accuracy_m", "extra"]),
            st.one_of(hostile_text, long_digits.map(lambda d: ("int", d)), st.floats()),
            max_size=5,
        ),
        min_size=1,
        max_size=10,
    )
)
def test_jsonl_hostile_text_and_numbers_give_one_writable_row_per_line(rows: list[dict]) -> None:
    """Line separators and lone surrogates inside strings, integers of thousands of digits:
    still one row per line, in order, and every text in the table writable as UTF-8."""
    lines = []
    for i, row in enumerate(rows):
        parts = [f'"id": "R-{i}"']
        for key, value in row.items():
            if isinstance(value, tuple):
                text = value[1]  # a JSON integer of many digits
            else:
                text = json.dumps(value)  # lone surrogates come out as \ud800 escapes
            parts.append(f"{json.dumps(key)}: {text}")
        lines.append("{" + ", ".join(parts) + "}")
    reports = read_jsonl("\n".join(lines).encode("utf-8"), file="fuzz.jsonl")
    assert reports.ids == [f"R-{i}" for i in range(len(rows))]
    assert list(reports.rows) == list(range(1, len(rows) + 1))
    assert_consistent(reports)
    fuzz_readers.check_table(reports)
    for i, row in enumerate(rows):
        # a high and a low surrogate side by side make one character again once read as JSON
        surrogate = any(isinstance(v, str) and not _utf8(json.loads(json.dumps(v))) for v in row.values())
        codes = {p.code for p in reports.problems.get(i, ())}
        assert surrogate == ("not_text" in codes)
