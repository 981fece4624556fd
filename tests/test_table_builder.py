"""The columnar CSV path (build_table) gives exactly the table the per-row reference (build_reports) gives."""

from __future__ import annotations

import pickle

import numpy as np
from helpers import assert_same_table, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from atribut_rules.table.build import build_reports, build_table, table_parts
from atribut_rules.table.ids import SeenIds

HEADER = [
    "no",
    "lintang",
    "bujur",
    "akurasi_m",
    "jenis",
    "lebar_m",
    "tinggi_m",
    "partai",
    "tanggal",
    "catatan",
]

_numbers = st.sampled_from(
    [
        "-2,1291",
        "-2.1291",
        "106,1133",
        "106.1133",
        "",
        " ",
        "1_000",
        "1.234,5",
        "nan",
        "inf",
        "-3",
        "0",
        "2,5",
        "7",
        "abc",
        "106°",
        "200",
        "-95",
        "1e2",
        " 4 ",
        "\u22125",
        "1,2,3",
    ]
)
_texts = st.sampled_from(["", " ", "Baliho", " spanduk ", "Partai A", "partai a", "x" * 30, "é"])
_dates = st.sampled_from(
    ["", "2024-01-05", "05/01/2024", "2024-13-01", "kemarin", " 2024-02-10 ", "2024-01-05T10:00:00+07:00"]
)
_ids = st.sampled_from(["", "R-1", "R-2", "R-3", " R-1 ", "R-4", "R-0000001"])  # the last is over-long at 5


@st.composite
def records(draw):
    n = draw(st.integers(0, 12))
    rows = []
    for _ in range(n):
        row = [
            draw(_ids),
            draw(_numbers),
            draw(_numbers),
            draw(_numbers),
            draw(_texts),
            draw(_numbers),
            draw(_numbers),
            draw(_texts),
            draw(_dates),
            draw(_texts),
        ]
        cut = draw(st.sampled_from([None, None, None, None, 3, 11]))
        if cut == 3:
            row = row[:3]
        elif cut == 11:
            row = row + ["extra"]
        rows.append(row)
    return rows


@settings(max_examples=examples(300), deadline=None)
@given(records(), st.sampled_from([10_000, 5]))
def test_columnar_table_equals_row_by_row(rows, max_chars) -> None:
    from atribut_rules import i18n
    from atribut_rules.model import Problem

    numbers = [2 * k + 2 for k in range(len(rows))]
    pre = {}
    for k, r in enumerate(rows):
        if len(r) != len(HEADER):
            pre[k] = [
                Problem("ragged", None, None, i18n.render("ragged", found=len(r), expected=len(HEADER)))
            ]
    reference = build_reports(
        [(numbers[k], dict(zip(HEADER, r))) for k, r in enumerate(rows)],
        file="f.csv",
        row_problems=pre,
        max_field_chars=max_chars,
    )
    fast = build_table(HEADER, rows, numbers, file="f.csv", row_problems=pre, max_field_chars=max_chars)
    assert_same_table(fast, reference)


def _ragged_problems(rows: list[list[str]]) -> dict:
    from atribut_rules import i18n
    from atribut_rules.model import Problem

    return {
        k: [Problem("ragged", None, None, i18n.render("ragged", found=len(r), expected=len(HEADER)))]
        for k, r in enumerate(rows)
        if len(r) != len(HEADER)
    }


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(records(), min_size=1, max_size=3), st.sampled_from([10_000, 5]), st.booleans())
def test_parts_sent_to_another_process_build_the_same_tables(chunks, max_chars, measured) -> None:
    """What the reading process finds (ids repeated across and within chunks) and what a
    worker builds from the packed parts after a pickle round trip make build_table's tables."""
    direct_seen, parts_seen = SeenIds(), SeenIds()
    start = 2
    for rows in chunks:
        numbers = list(range(start, start + len(rows)))
        start += len(rows) + 1
        pre = _ragged_problems(rows)
        longest = max((len(c) for r in rows for c in r), default=0) if measured else None
        options = dict(file="f.csv", row_problems=pre, max_field_chars=max_chars, longest_cell=longest)
        direct = build_table(HEADER, rows, numbers, seen_ids=direct_seen, **options)
        parts = table_parts(HEADER, rows, numbers, seen_ids=parts_seen, keep_raw=False, **options)
        built = pickle.loads(pickle.dumps(parts.pack())).build()
        assert_same_table(built, direct)
        assert built.raw == []


def test_ids_repeated_across_chunks_are_found_with_the_first_row() -> None:
    seen = SeenIds()
    row = ["R-1", "-2,1", "106,1", "", "baliho", "", "", "Partai A", "2024-01-05", ""]
    build_table(HEADER, [row], [2], file="f.csv", seen_ids=seen)
    second = build_table(HEADER, [row, [*row[:0], "R-2", *row[1:]]], [3, 4], file="f.csv", seen_ids=seen)
    assert [p.code for p in second.problems[0]] == ["duplicate_id"]
    assert "2" in second.problems[0][0].message["en"]
    assert 1 not in second.problems


def test_over_long_ids_are_row_numbers_when_looking_for_repeats() -> None:
    """An over-long id cell is read as blank (row-N), in regular and ragged rows alike, so
    two rows carrying the same over-long id are not repeats of each other."""
    regular = ["R-0000001", "-2,1", "106,1", "", "baliho", "", "", "Partai A", "2024-01-05", ""]
    rows = [regular, regular, regular[:3], regular[:3]]
    pre = _ragged_problems(rows)
    for build in (build_table, lambda *a, **k: table_parts(*a, **k).pack().build()):
        table = build(HEADER, rows, [2, 3, 4, 5], file="f.csv", row_problems=pre, max_field_chars=5)
        assert table.ids == ["row-2", "row-3", "row-4", "row-5"]
        assert not any(p.code == "duplicate_id" for ps in table.problems.values() for p in ps)


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(
        st.one_of(_numbers, st.text(alphabet="0123456789,.-+_eE naif\u0661\u00a0", max_size=8)), max_size=30
    )
)
def test_a_coordinate_column_reads_as_its_cells_one_by_one(cells) -> None:
    """The column-at-a-time reading of coordinates gives ``_plain_float`` of every cell."""
    from atribut_rules.table.parse import plain_float, read_coordinates

    values, slow = read_coordinates(cells)
    expected = np.array([plain_float(c) for c in cells], dtype=float)
    np.testing.assert_array_equal(values, expected)
    np.testing.assert_array_equal(slow, np.isnan(expected))


def test_rows_share_a_problem_only_when_its_arguments_are_the_same() -> None:
    """The table builder makes each problem once: the same object for the same arguments,
    and never one made for a value that only compares equal (1, 1.0, True; 0.0, -0.0)."""
    from atribut_rules.table.build import TableBuilder
    from atribut_rules.table.parse import make_problem

    builder = TableBuilder(100)
    calls = (
        [("not_number", "width_m", v, {}) for v in (1, 1.0, True, "1", 0.0, -0.0, None)]
        + [("swapped", "lat", 106.1, {"lat": 106.1, "lon": lat}) for lat in (-2.0, -0.0, 0.0)]
        + [("missing", "lat", None, {"expected": {"id": "lintang", "en": "latitude"}})]
    )
    made = [builder.problem(code, field, value, **params) for code, field, value, params in calls]
    for problem, (code, field, value, params) in zip(made, calls):
        assert problem == make_problem(code, field, value, **params)
    assert len({id(p) for p in made}) == len(calls)  # all different arguments
    again = [builder.problem(code, field, value, **params) for code, field, value, params in calls]
    assert all(a is b for a, b in zip(again, made))
    assert made[4].message != made[5].message  # "0.0" and "-0.0"
