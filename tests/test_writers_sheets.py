"""The sheet comes back in the sheet's own style: dates in the list's style or ``--date-format``,
XLSX cells typed (numbers as numbers, dates as dates), and every number a person reads in
the table, summary and page in the style of ``--lang``; machine formats keep plain numbers."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atribut_rules import check, load_rules, load_zones, read_reports, resources
from atribut_rules.cli import EXIT_UNUSABLE, main
from atribut_rules.write import write, write_file
from atribut_rules.write.dates import (
    NAMED_STYLES,
    date_pattern,
    detect_style,
    excel_to_pattern,
    format_date,
    pattern_to_excel,
)
from atribut_rules.write.texts import number_text

LANGS = ["id", "en"]
FOLDER = resources.example_dir()


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.fixture(scope="module")
def zones(rules):
    return load_zones(*sorted(FOLDER.glob("*.geojson")), categories=rules.categories, relative_to=FOLDER)


def _example_rows() -> tuple[list[str], list[list[str]]]:
    with open(FOLDER / "laporan.csv", encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f, delimiter=";"))
    return header, rows


def _list_with_dates(tmp_path: Path, style: str, extra: dict[int, str] | None = None) -> Path:
    """The example list with its ISO dates written in ``style`` (strftime); ``extra`` sets
    the date cell of some rows to a text of their own."""
    header, rows = _example_rows()
    k = header.index("tanggal")
    for n, row in enumerate(rows):
        if extra and n in extra:
            row[k] = extra[n]
        elif _iso_day(row[k]):
            row[k] = format_date(_iso_day(row[k]), style)
    path = tmp_path / "laporan.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _iso_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None  # the example has a day that does not exist: it stays as it is


def _sheet(run, lang: str, **options) -> tuple[list[str], list[list[str]]]:
    buf = io.StringIO()
    write(run, "csv", buf, lang=lang, **options)
    header, *rows = list(csv.reader(io.StringIO(buf.getvalue()), delimiter=";"))
    return header, rows


# -- date styles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "style"),
    [
        (["05/12/2023", "12/12/2023", "", "kemarin"], "%d/%m/%Y"),
        (["5-12-2023", "12-12-2023", "1-1-2024"], "%-d-%-m-%Y"),
        (["2023-12-05", "2023-12-05T10:00"], "%Y-%m-%d"),
        (["2023/12/05"], "%Y/%m/%d"),
        (["12/12/2023"], "%d/%m/%Y"),  # nothing shows the padding: with zeros
        (["kemarin", "", None, 7], None),
    ],
)
def test_the_lists_date_style_is_found_from_its_dates(texts, style):
    assert detect_style(texts) == style


def test_the_style_most_dates_are_written_in_wins():
    assert detect_style(["2023-12-05", "05/12/2023", "06/12/2023"]) == "%d/%m/%Y"


@pytest.mark.parametrize("name", sorted(NAMED_STYLES))
def test_named_styles_write_what_the_readers_read_back(name):
    from atribut_rules.table.parse import parse_date

    day = dt.date(2023, 1, 5)
    text = format_date(day, date_pattern(name))
    assert parse_date(text) == day
    assert excel_to_pattern(pattern_to_excel(NAMED_STYLES[name])) == NAMED_STYLES[name]


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.sampled_from(sorted(NAMED_STYLES)),
)
def test_every_named_style_round_trips_through_the_reader_and_detection(day, name):
    from atribut_rules.table.parse import parse_date

    text = format_date(day, NAMED_STYLES[name])
    assert parse_date(text) == day
    style = detect_style([text])
    assert format_date(day, style) == text  # the style found writes the date the same way


def test_date_formats_in_strftime_syntax_and_refused_ones():
    assert format_date(dt.date(2023, 12, 5), date_pattern("%d %b %Y")) == "05 Dec 2023"
    assert format_date(dt.date(2023, 1, 5), "%-d.%-m.%Y %%") == "5.1.2023 %"
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        date_pattern("tanggal")


@pytest.mark.parametrize(
    ("number_format", "pattern"),
    [
        ("dd/mm/yyyy", "%d/%m/%Y"),
        ("dd/mm/yyyy;@", "%d/%m/%Y"),
        ("[$-421]d/m/yyyy", "%-d/%-m/%Y"),
        ("yyyy\\-mm\\-dd", "%Y-%m-%d"),
        ("mm-dd-yy", None),  # Excel's short date: shown in the reader's locale
        ("d mmm yyyy", None),
        ("yyyy-mm-dd h:mm", None),
    ],
)
def test_excel_date_formats(number_format, pattern):
    assert excel_to_pattern(number_format) == pattern


@pytest.mark.parametrize("lang", LANGS)
def test_csv_dates_come_back_in_the_lists_style(tmp_path, rules, zones, lang):
    path = _list_with_dates(
        tmp_path, "%-d-%-m-%Y", extra={0: "2024-02-22", 1: "2024-01-22T08:30", 2: "kemarin"}
    )
    run = check(read_reports(path), zones, rules)
    header, rows = _sheet(run, lang)
    k = header.index("tanggal")
    assert rows[0][k] == "22-2-2024"  # the one ISO date, in the list's own style
    assert rows[1][k] == "2024-01-22T08:30"  # a date with a time is written as it came
    assert rows[2][k] == "kemarin"  # and so is a text that is no date
    original = [r[_example_rows()[0].index("tanggal")] for r in _example_rows()[1]]
    expected = [format_date(_iso_day(t), "%-d-%-m-%Y") if _iso_day(t) else t for t in original]
    assert [r[k] for r in rows[3:]] == expected[3:]
    assert "1-1-2024" in expected and "2024-02-30" in expected  # unpadded; a day that does not exist


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("spec", "expected"), [("iso", "2024-02-22"), ("dd/mm/yyyy", "22/02/2024"), ("%d %b %Y", "22 Feb 2024")]
)
def test_date_format_overrides_the_lists_style(tmp_path, rules, zones, lang, spec, expected):
    path = _list_with_dates(tmp_path, "%-d-%-m-%Y")
    run = check(read_reports(path), zones, rules)
    header, rows = _sheet(run, lang, date_format=spec)
    assert rows[0][header.index("tanggal")] == expected


def test_cli_date_format(tmp_path, capsys):
    out = tmp_path / "hasil.csv"
    layers = [a for p in sorted(FOLDER.glob("*.geojson")) for a in ("--zones", str(p))]
    code = main(
        [
            "check",
            str(FOLDER / "laporan.csv"),
            *layers,
            "--output",
            f"csv:{out}",
            "--date-format",
            "d/m/yyyy",
        ],
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert code in (0, 1)
    header, *rows = list(csv.reader(out.open(encoding="utf-8", newline=""), delimiter=";"))
    assert rows[0][header.index("tanggal")] == "22/2/2024"
    capsys.readouterr()
    code = main(["check", str(FOLDER / "laporan.csv"), "--date-format", "besok"], stdout=io.StringIO())
    assert code == EXIT_UNUSABLE  # argparse says why on stderr
    assert "--date-format: 'besok' is not a date format" in capsys.readouterr().err


# -- XLSX: numbers as numbers, dates as dates ------------------------------------------------


def _workbook(path: Path) -> list[list]:
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(path).worksheets[0]
    return [[c for c in row] for row in ws.iter_rows()]


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_from_a_csv_list_has_numbers_and_dates(tmp_path, rules, zones, lang):
    path = _list_with_dates(tmp_path, "%d/%m/%Y")
    run = check(read_reports(path), zones, rules)
    out = tmp_path / "hasil.xlsx"
    write_file(run, "xlsx", out, lang=lang)
    header, *rows = _workbook(out)
    names = [c.value for c in header]
    lat, day, reporter = rows[0][names.index("lintang")], rows[0][names.index("tanggal")], rows[0][0]
    assert lat.value == pytest.approx(-2.107578) and lat.number_format == "0.0000000"  # -2,1075780
    assert day.is_date and day.value.date() == dt.date(2024, 2, 22) and day.number_format == "dd/mm/yyyy"
    assert reporter.value == "R-0001" and reporter.data_type == "s"
    # a bad date stays the text it was
    bad = [r[names.index("tanggal")] for r in rows if r[names.index("tanggal")].value == "kemarin"]
    assert bad and bad[0].data_type == "s"
    # --date-format chooses how the date cells show their dates
    write_file(run, "xlsx", out, lang=lang, date_format="iso")
    assert _workbook(out)[1][names.index("tanggal")].number_format == "yyyy-mm-dd"


def _xlsx_list(tmp_path: Path) -> Path:
    """The example as a workbook an officer typed: numbers, dates shown as dd/mm/yyyy, a
    print date shown as ``d mmm yyyy``, a count, and a phone number typed as text."""
    openpyxl = pytest.importorskip("openpyxl")
    header, rows = _example_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([*header, "dicetak", "jumlah", "telp"])
    for n, row in enumerate(rows):
        cells = list(row)
        for k in (1, 2):
            with contextlib.suppress(ValueError):
                cells[k] = float(cells[k].replace(",", "."))
        k = header.index("tanggal")
        day = _iso_day(cells[k])
        cells[k] = dt.datetime(day.year, day.month, day.day) if day else cells[k]
        ws.append([*cells, dt.datetime(2023, 11, 1 + n % 28), n % 5 + 1, "0812345678"])
        r = ws.max_row
        ws.cell(r, k + 1).number_format = "dd/mm/yyyy"
        ws.cell(r, len(header) + 1).number_format = "d mmm yyyy"
    path = tmp_path / "laporan.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_list_comes_back_with_its_types_and_formats(tmp_path, rules, zones, lang):
    reports = read_reports(_xlsx_list(tmp_path))
    assert reports.column_formats["tanggal"] == "dd/mm/yyyy"
    assert reports.column_formats["dicetak"] == "d mmm yyyy"
    assert reports.column_formats["jumlah"] == "General" and "telp" not in reports.column_formats
    assert "tanggal" in reports.column_formats and "catatan" not in reports.column_formats
    run = check(reports, zones, rules)
    out = tmp_path / "hasil.xlsx"
    write_file(run, "xlsx", out, lang=lang)
    header, *rows = _workbook(out)
    names = [c.value for c in header]
    first = rows[0]
    cell = lambda name: first[names.index(name)]  # noqa: E731
    assert cell("tanggal").is_date and cell("tanggal").number_format == "dd/mm/yyyy"
    assert cell("tanggal").value.date() == dt.date(2024, 2, 22)
    assert cell("dicetak").is_date and cell("dicetak").number_format == "d mmm yyyy"
    assert cell("jumlah").value == 1 and cell("jumlah").data_type == "n"
    assert cell("lintang").value == pytest.approx(-2.107578) and cell("lintang").data_type == "n"
    assert cell("telp").value == "0812345678" and cell("telp").data_type == "s"
    # the CSV of the same list writes its dates as the workbook showed them
    header_csv, rows_csv = _sheet(run, lang, delimiter=";")
    assert rows_csv[0][header_csv.index("tanggal")] == "22/02/2024"
    assert rows_csv[0][header_csv.index("dicetak")] == "2023-11-01"  # d mmm yyyy: not a style we write back


# -- numbers people read, in the language of --lang -----------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "id_text", "en_text"),
    [
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (12.5, 2, "12,50", "12.50"),
        (-13.17, 2, "-13,17", "-13.17"),
        (100000, 0, "100.000", "100,000"),
        (-0.0, 2, "0,00", "0.00"),
        (999, 0, "999", "999"),
    ],
)
def test_number_text(value, digits, id_text, en_text):
    assert number_text(value, "id", digits) == id_text
    assert number_text(value, "en", digits) == en_text


@pytest.fixture(scope="module")
def big_run(tmp_path_factory, rules, zones):
    """The example's rows five times over (1,300 reports): counts above a thousand."""
    header, rows = _example_rows()
    path = tmp_path_factory.mktemp("big") / "laporan.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        for k in range(5):
            writer.writerows([[f"{r[0]}-{k}", *r[1:]] for r in rows])
    return check(read_reports(path), zones, rules)


@pytest.mark.parametrize(
    ("lang", "summary", "distance"),
    [("id", "Ringkasan: 1.300 laporan;", "-13,17"), ("en", "Summary: 1,300 reports;", "-13.17")],
)
def test_table_numbers_follow_the_language(big_run, lang, summary, distance):
    buf = io.StringIO()
    write(big_run, "table", buf, lang=lang)
    text = buf.getvalue()
    assert summary in text
    line = next(line for line in text.splitlines() if line.startswith("R-0003-0 "))
    assert f" {distance} " in line


@pytest.mark.parametrize("lang", LANGS)
def test_machine_formats_keep_plain_numbers(big_run, lang):
    buf = io.StringIO()
    write(big_run, "json", buf, lang=lang)
    doc = json.loads(buf.getvalue())
    assert doc["summary"]["reports"] == 1300
    distances = [
        f["distance_m"] for v in doc["verdicts"] for f in v["findings"] if f["distance_m"] is not None
    ]
    assert distances and all(isinstance(d, float) for d in distances)
    junit = io.StringIO()
    write(big_run, "junit", junit, lang=lang)
    assert 'tests="1300"' in junit.getvalue()
    geojson = io.StringIO()
    write(big_run, "geojson", geojson, lang=lang)
    coordinates = json.loads(geojson.getvalue())["features"][0]["geometry"]["coordinates"]
    assert all(isinstance(c, float) for c in coordinates)
