"""No process-wide state: reading lists never changes the csv module's field limit or the
umask, so two readers used side by side do not break each other."""

from __future__ import annotations

import csv
import io
import os
import threading
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from atribut_rules.read import read_csv, report_chunks
from atribut_rules.read.long_records import RecordReader, read_record
from atribut_rules.write.atomic import atomic_write

LONG = 200_000  # over the csv module's default limit of 131,072 characters


def _write_list(path: Path, rows: int, long_row: int | None = None, quoted: bool = False) -> None:
    lines = ["id,lat,lon,catatan"]
    for i in range(rows):
        note = "x" * LONG if i == long_row else f"catatan {i}"
        if quoted:
            note = f'"{note}"'
        lines.append(f"R{i},-2.1{i % 10},106.1{i % 10},{note}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rows(chunk) -> list[tuple[str, list[str]]]:
    return [(chunk.ids[k], sorted(p.code for p in chunk.problems.get(k, []))) for k in range(len(chunk))]


def test_two_chunk_iterators_side_by_side(tmp_path: Path) -> None:
    """Start both, finish one, then the other: each reads as it reads alone."""
    plain, long = tmp_path / "a.csv", tmp_path / "b.csv"
    _write_list(plain, 30)
    _write_list(long, 30, long_row=17, quoted=True)
    alone_plain = [_rows(c) for c in report_chunks(plain, chunk_rows=7)]
    alone_long = [_rows(c) for c in report_chunks(long, chunk_rows=7)]
    limit = csv.field_size_limit()

    first, second = iter(report_chunks(plain, chunk_rows=7)), iter(report_chunks(long, chunk_rows=7))
    side_plain, side_long = [_rows(next(first))], [_rows(next(second))]
    side_long += [_rows(c) for c in second]  # finish one
    side_plain += [_rows(c) for c in first]  # then the other
    assert side_plain == alone_plain
    assert side_long == alone_long
    assert csv.field_size_limit() == limit
    too_long = [row for chunk in side_long for row in chunk if row[1]]
    assert too_long == [("R17", ["too_long"])]


def test_a_field_over_the_csv_modules_limit_makes_its_row_invalid(tmp_path: Path) -> None:
    limit = csv.field_size_limit()
    for quoted in (False, True):
        path = tmp_path / f"long-{quoted}.csv"
        _write_list(path, 5, long_row=2, quoted=quoted)
        chunks = list(report_chunks(path, chunk_rows=100))
        assert [row for c in chunks for row in _rows(c)] == [
            ("R0", []),
            ("R1", []),
            ("R2", ["too_long"]),
            ("R3", []),
            ("R4", []),
        ]
        table = read_csv(path.read_bytes(), file=path.name)
        assert [p.code for p in table.problems[2]] == ["too_long"]
        assert table.rows.tolist() == [2, 3, 4, 5, 6]
    assert csv.field_size_limit() == limit


def test_a_long_quoted_field_over_several_lines_keeps_the_row_numbers() -> None:
    text = 'id,lat,lon,catatan\nA,-2.1,106.1,"' + ("y" * 70_000 + "\n") * 3 + '"\nB,-2.2,106.2,ok\n'
    table = read_csv(text)
    assert list(table.ids) == ["A", "B"]
    assert [p.code for p in table.problems[0]] == ["too_long"]
    assert table.rows.tolist() == [2, 6]


def test_reading_in_threads_leaves_the_limit_alone(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    _write_list(path, 200, long_row=100, quoted=True)
    limit = csv.field_size_limit()
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(3):
                chunks = list(report_chunks(path, chunk_rows=50))
                assert sum(len(c) for c in chunks) == 200
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert csv.field_size_limit() == limit


def test_atomic_write_leaves_the_umask_alone(tmp_path: Path) -> None:
    before = os.umask(0o022)
    os.umask(before)
    with atomic_write(tmp_path / "out.txt") as f:
        f.write("x")
    after = os.umask(before)
    os.umask(after)
    assert after == before


_CELL = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\té')), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL, min_size=1, max_size=30).map("".join), st.sampled_from([",", ";", "\t"]))
def test_long_record_reader_reads_as_the_csv_module_does(text: str, delimiter: str) -> None:
    lines = list(io.StringIO(text, newline=""))
    expected = []
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    try:
        for record in reader:
            expected.append((record, reader.line_num))
    except csv.Error:
        return  # a carriage return in an unquoted field: both refuse it
    ours = RecordReader(lines, delimiter)
    got = [(record, ours.line_num) for record in ours]
    assert got == expected
    rest, used, records = iter(lines), 0, []
    while True:
        record, n, _ = read_record(rest, delimiter)
        if record is None:
            break
        used += n
        records.append((record, used))
    assert records == expected


def test_prepared_zone_indexes_are_bounded() -> None:
    import atribut_rules as ar
    from atribut_rules.spatial import zones as zones_module

    zones = ar.load_zones(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": "T1",
                    "properties": {"category": "tree"},
                    "geometry": {"type": "Point", "coordinates": [106.1, -2.1]},
                }
            ],
        }
    )
    built = []
    for k in range(zones_module.PREPARED_LIMIT + 10):
        zones.prepared(None, ("test", k), lambda k=k: built.append(k) or k)
    assert zones.prepared(None, ("test", 0), lambda: "again") == "again"  # the oldest went first
    last = zones_module.PREPARED_LIMIT + 9
    assert zones.prepared(None, ("test", last), lambda: "again") == last  # the newest stayed
