"""Atheris harness for the report readers (CSV, JSON Lines, GeoJSON).

The first byte of each input picks the reader; the rest is the file. The only
exception allowed out of a reader is :class:`~atribut_rules.errors.InputError`;
when a table comes back it must hold one row per data record, each row either
usable or carrying the problems that make it invalid.

Run (see fuzz/README.md)::

    python fuzz/fuzz_readers.py fuzz/corpus/readers -max_total_time=300
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["atribut_rules"]):
    from atribut_rules.errors import InputError
    from atribut_rules.readers import read_csv, read_geojson_reports, read_jsonl

READERS = (read_csv, read_jsonl, read_geojson_reports)


def check_table(reports) -> None:
    """Invariants every returned table keeps, whatever the input."""
    n = len(reports.ids)
    for column in (reports.lon, reports.lat, reports.accuracy_m, reports.rows, reports.type):
        assert len(column) == n, "columns of unequal length"
    assert len(reports.observed_at) == n
    for values in reports.extra.values():
        assert len(values) == n, "extra column of the wrong length"
    assert all(0 <= i < n for i in reports.problems), "problem on a row that does not exist"
    for i in range(n):
        reports[i]  # every row can be turned into a Report


def test_one_input(data: bytes) -> None:
    if not data:
        return
    reader = READERS[data[0] % len(READERS)]
    body = data[1:]
    try:
        reports = (
            reader(body, file="fuzz", max_field_chars=200)
            if reader is read_csv
            else reader(body, file="fuzz")
        )
    except InputError as exc:
        str(exc)  # the message must render
        return
    check_table(reports)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
