"""Nothing is lost: for any list of rows, check() gives one verdict per data row, ids and order kept.

Rows mix usable reports near the bundled Pangkalpinang zones with junk of every
kind (text where numbers go, NaN, swapped or missing coordinates, repeated ids,
bad dates). They go through a CSV file and through records, with the example
zones and the bundled rule set.
"""

from __future__ import annotations

import csv
import io
from functools import cache

from helpers import examples, load_example
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atribut_rules import check, load_rules
from atribut_rules.model import Status
from atribut_rules.read import read_csv
from atribut_rules.table.reports import Reports

PROPERTY = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLUMNS = [
    "id",
    "lat",
    "lon",
    "accuracy_m",
    "type",
    "width_m",
    "height_m",
    "party",
    "observed_at",
    "mounted_on",
]


@cache
def _example():
    rules = load_rules()
    return load_example(rules).zones, rules


# Any text but NUL (it makes the whole CSV unusable: tests/bad_inputs) and lone surrogates.
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
junk = st.one_of(
    text,
    st.sampled_from(["nan", "inf", "-Infinity", "", " ", "2°07'S", "1e400", "-0", "12,5", "1.234,5", "abc"]),
)
lat = st.one_of(st.floats(-2.20, -2.05).map(lambda v: f"{v:.7f}"), junk)
lon = st.one_of(st.floats(106.05, 106.20).map(lambda v: f"{v:.7f}"), junk)
metres = st.one_of(st.floats(0, 50).map(lambda v: f"{v:.2f}"), junk)
kinds = st.one_of(st.sampled_from(["baliho", "spanduk", "poster", "stiker", "bendera", "umbul-umbul"]), junk)
dates = st.one_of(st.dates().map(str), st.sampled_from(["2024-02-12", "12/02/2024", "2024-02-30"]), junk)
mounts = st.one_of(st.sampled_from(["pohon", "tiang listrik", "tanah", "dinding"]), junk)
ids = st.one_of(st.sampled_from(["R-1", "R-2", "R-1 "]), text, st.none())

rows = st.lists(
    st.fixed_dictionaries(
        {
            "id": ids,
            "lat": lat,
            "lon": lon,
            "accuracy_m": metres,
            "type": kinds,
            "width_m": metres,
            "height_m": metres,
            "party": st.sampled_from(["Partai A", "Partai B", ""]),
            "observed_at": dates,
            "mounted_on": mounts,
        }
    ),
    max_size=25,
)


def _csv(records: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # quotes cells holding \r or \n
    writer.writerow(COLUMNS)
    for r in records:
        writer.writerow(["" if r[c] is None else r[c] for c in COLUMNS])
    return buffer.getvalue()


def _assert_one_verdict_per_row(reports: Reports, expected_ids: list[str]) -> None:
    zones, rules = _example()
    run = check(reports, zones, rules)
    verdicts = list(run.verdicts)
    assert len(verdicts) == len(run.verdicts) == len(expected_ids)
    assert [v.report for v in verdicts] == expected_ids
    assert [v.source.row for v in verdicts] == [int(r) for r in reports.rows]
    assert run.summary.reports == len(expected_ids)
    assert sum(run.summary.by_status.values()) == len(expected_ids)
    for i, v in enumerate(verdicts):
        assert (v.status is Status.INVALID) == (i in reports.problems)


@PROPERTY
@given(records=rows)
def test_every_record_gets_one_verdict_in_order(records: list[dict]) -> None:
    reports = Reports.from_records(records, file="records")
    expected = [
        r["id"].strip() if r["id"] and r["id"].strip() else f"row-{n}" for n, r in enumerate(records, 1)
    ]
    _assert_one_verdict_per_row(reports, expected)


@PROPERTY
@given(records=rows)
def test_every_csv_row_gets_one_verdict_in_order(records: list[dict]) -> None:
    # A record whose cells are all blank is a blank line, not a data row: keep one cell filled.
    for r in records:
        r["party"] = r["party"] or "Partai C"
    reports = read_csv(_csv(records).encode("utf-8"), file="laporan.csv")
    assert len(reports) == len(records)
    expected = [r["id"].strip() if r["id"] and r["id"].strip() else None for r in records]
    ids = [e if e is not None else reports.ids[i] for i, e in enumerate(expected)]
    assert all(i.startswith("row-") for e, i in zip(expected, ids) if e is None)
    _assert_one_verdict_per_row(reports, ids)
