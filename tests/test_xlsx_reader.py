"""Reports from an officer's XLSX workbook: read like CSV, and the sheet written back reads the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import EXAMPLE, load_example

import atribut_rules as ar
from atribut_rules.cli import main

openpyxl = pytest.importorskip("openpyxl", reason="the xlsx reader needs the xlsx extra")


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_indonesian_headers_numbers_dates_and_blank_rows(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "laporan.xlsx",
        [
            ["no", "lintang", "bujur", "jenis", "tanggal", "lebar_m", "catatan"],
            ["R-1", -2.1291, 106.1133, "Baliho", dt.datetime(2024, 2, 12), 4, "ok"],
            [None, None, None, None, None, None, None],
            ["R-2", "-2,1300", "106,1140", "spanduk", "2024-01-05", "1,5", "di pagar"],
            ["R-3", "abc", 106.1, "poster", None, None, None],
        ],
    )
    reports = ar.read_reports(path)
    assert reports.ids == ["R-1", "R-2", "R-3"]
    assert list(reports.rows) == [2, 4, 5]  # sheet row numbers, the blank row skipped
    assert reports.type[0] == "baliho" and reports.observed_at[0] == "2024-02-12"
    assert reports.lat[1] == pytest.approx(-2.13) and reports.width_m[1] == pytest.approx(1.5)
    assert reports.extra["catatan"][1] == "di pagar"
    assert 2 in reports.problems and reports.problems[2][0].field == "lat"


def test_the_example_written_as_xlsx_reads_back_to_the_same_verdicts(tmp_path: Path) -> None:
    out = tmp_path / "hasil.xlsx"
    assert (
        main(["check", "--example", "--fail-on", "never", "-q", "--format", "json", f"--output=xlsx:{out}"])
        == 0
    )
    back = ar.read_reports(out)
    original, zones, permits = load_example()
    assert back.ids == original.ids
    rules = ar.load_rules()
    a = ar.check(original, zones, rules, permits=permits)
    b = ar.check(back, zones, rules, permits=permits)
    assert [v.status for v in b.verdicts] == [v.status for v in a.verdicts]


def test_a_file_that_is_not_a_workbook_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "laporan.xlsx"
    bad.write_bytes(b"not a zip file at all")
    with pytest.raises(ar.InputError, match="not a readable XLSX workbook"):
        ar.read_reports(bad)
    zones = str(EXAMPLE / "trees.geojson")
    assert main(["check", str(bad), "--zones", zones]) == 2
    err = capsys.readouterr().err
    assert "laporan.xlsx" in err and "Traceback" not in err
