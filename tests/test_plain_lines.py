"""The CSV reader's plain path: lines without quotes are split by their separator, not parsed.

Whatever the lines, the tables must be those of the ``csv`` module's path (what
``keep_raw=True`` reads, since the plain path keeps no input cells).
"""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

import pytest
from helpers import assert_same_table, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atribut_rules.errors import InputError
from atribut_rules.read import report_chunks
from atribut_rules.table.reports import Reports

CELL = st.text(st.sampled_from(list("ab1 2,.-\xa0é\t;")), max_size=6)
COORDINATE = st.sampled_from(["-2,1", "106.1", "-2.13", " 106,12 ", "", "abc", "95", "1,2,3", "-2,1e1"])
ID = st.sampled_from(["R-1", "R-2", "R-3", " R-1 ", "", "  ", "x" * 12])


@st.composite
def files(draw):
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    names = draw(st.permutations(["id", "lintang", "bujur", "catatan", "jenis"]))
    if draw(st.booleans()):
        names = [n for n in names if n != "id"]
    width = len(names)
    ends = st.sampled_from(["\n", "\r\n", "\r"])
    lines = [delimiter.join(names) + "\n"]
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(["row"] * 6 + ["blank", "spaces", "separators", "ragged", "quote"]))
        if kind in ("row", "quote"):
            cells = []
            for name in names:
                value = draw({"id": ID, "lintang": COORDINATE, "bujur": COORDINATE}.get(name, CELL))
                cells.append(value.replace(delimiter, ""))
            if kind == "quote":
                k = draw(st.integers(0, width - 1))
                cells[k] = f'"{cells[k]}{delimiter}x"'
            text = delimiter.join(cells)
        elif kind == "blank":
            text = ""
        elif kind == "spaces":
            text = draw(st.sampled_from([" ", "\t ", "\xa0"]))
        elif kind == "separators":
            text = delimiter.join(draw(st.sampled_from(["", " "])) for _ in range(width))
        else:
            text = delimiter.join(draw(CELL).replace(delimiter, "") for _ in range(draw(st.integers(1, 7))))
            if text.count(delimiter) == width - 1:
                text += delimiter
        lines.append(text + draw(ends))
    if len(lines) > 1 and draw(st.booleans()):
        lines[-1] = lines[-1].rstrip("\r\n")  # a last line without a line end
    return "".join(lines)


def assert_same_tables(got: list[Reports], expected: list[Reports]) -> None:
    assert [len(t) for t in got] == [len(t) for t in expected]
    for a, b in zip(got, expected):
        assert_same_table(a, b, "columns", "file")


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=files(),
    chunk_rows=st.integers(1, 12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
    max_field_chars=st.sampled_from([3, 4, 5, 10_000]),  # ids of 2-4 characters, and 12
)
def test_plain_lines_give_the_tables_the_csv_module_gives(
    text: str, chunk_rows: int, encoding: str, max_field_chars: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "laporan.csv"
        path.write_bytes(text.encode(encoding))
        options = {"chunk_rows": chunk_rows, "max_field_chars": max_field_chars}
        parsed = list(report_chunks(path, keep_raw=True, **options))
        chunks = report_chunks(path, **options)
        assert_same_tables(list(chunks), parsed)  # tables built where they are read
        built = [pickle.loads(pickle.dumps(parts)).build() for parts in chunks.parts()]
        assert_same_tables(built, parsed)  # tables built in another process, from packed parts


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_an_id_in_the_last_column_as_long_as_allowed_is_kept(end: str, tmp_path: Path) -> None:
    """The last cell of a line is cut out with the line's end: the end is no part of it."""
    path = tmp_path / "laporan.csv"
    path.write_text(f"lat,lon,id{end}1,2,{'x' * 20}{end}3,4,y{end}", encoding="utf-8", newline="")
    parts = list(report_chunks(path, max_field_chars=20).parts())
    assert parts[0].text is not None
    assert parts[0].build().ids == ["x" * 20, "y"]


def test_lines_without_quotes_take_the_plain_path(tmp_path: Path) -> None:
    """Only a chunk with a quote in it is parsed by the csv module, and the tables are the same."""
    lines = ["id;lintang;bujur;catatan"] + [f"R-{k};-2,1{k};106,1{k};ok" for k in range(40)]
    lines[25] = 'R-24;-2,124;106,124;"rusak; dicabut"'
    path = tmp_path / "laporan.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    parts = list(report_chunks(path, chunk_rows=10).parts())
    assert [p.text is not None for p in parts] == [True, True, False, True]
    assert_same_tables([p.build() for p in parts], list(report_chunks(path, chunk_rows=10, keep_raw=True)))
    assert parts[2].build().extra["catatan"][4] == "rusak; dicabut"


def test_a_nul_on_the_plain_path_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "laporan.csv"
    rows = [f"R-{k},-2.1,106.1" for k in range(5000)]
    rows[4321] = "R-x,-2.1\x00,106.1"
    path.write_text("id,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        list(report_chunks(path, chunk_rows=1000).parts())
    assert error.value.line == 4323 and "NUL" in error.value.message
