"""The officer's sheet back, as CSV or XLSX: every input column as it came, then the verdict.

Cells are made safe for spreadsheets: a text starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return gets a leading ``'`` so it is not run as a formula.
Numbers (``-2.1291`` or ``-2,1291``) stay numbers. Texts stay texts: a phone
number ``0812345678``, a code ``007`` or a 19-digit NIK is never turned into a
number (see :func:`xlsx_value`).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
import re
import zipfile
from typing import IO, Any

from ..errors import MissingExtraError, Text
from ..table.fields import canonical_field
from . import texts
from .dates import SheetDates, date_alone, pattern_to_excel
from .escape import cell_text, text_output
from .records import sheet_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
NUMERIC_FIELDS = frozenset({"lon", "lat", "accuracy_m", "width_m", "height_m"})
"""Canonical report fields the tool reads as numbers: their input texts may become numeric cells."""
EXACT_DIGITS = 15
"""Significant digits a spreadsheet number (an IEEE double) keeps exactly."""


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell; numbers and non-text values pass unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _NUMBER.fullmatch(value.strip()):
        return value
    return "'" + value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value + 0.0) if value == value else ""
    return str(value)


_VERDICT_CELLS = 6  # status, rules, distance, zone, message, unchecked rules
_DISTANCE = 2 - _VERDICT_CELLS


def _rounded_distance(row: list[Any]) -> list[Any]:
    """``row`` with its verdict distance (third of the six verdict cells) rounded to the millimetre."""
    distance = row[_DISTANCE]
    if isinstance(distance, float):
        row[_DISTANCE] = round(distance, 3)
    return row


@text_output
def write_csv(
    run: Any,
    out: IO[str],
    *,
    lang: str = "id",
    delimiter: str | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
    **_: Any,
) -> None:
    """Write the officer's sheet as CSV (RFC 4180 quoting, ``\\r\\n`` line ends).

    Input cells are written as they came (only a formula-looking text gets its ``'``);
    numbers from typed input (GeoJSON, JSON Lines) are written in full, the verdict's
    distance to the millimetre. The sheet comes back in its own style: ``delimiter`` and
    ``decimal`` (the decimal mark of the distance the tool writes) default to the input
    list's, else ``,`` and ``.``; the dates of its date columns are written in
    ``date_format`` (:func:`~.dates.date_pattern`), else in the list's own style
    (:class:`~.dates.SheetDates`).
    """
    delimiter = delimiter or getattr(run.reports, "delimiter", None) or ","
    decimal = decimal or input_decimal(run.reports)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    rows = sheet_rows(run, lang)
    header = next(rows)
    writer.writerow([neutralise(_cell_text(v)) for v in header])
    dates = SheetDates(run.reports, header[:-_VERDICT_CELLS], date_format)
    for row in rows:
        row = dates.rewrite(_rounded_distance(row))
        if decimal != "." and isinstance(row[_DISTANCE], float):
            row[_DISTANCE] = _cell_text(row[_DISTANCE]).replace(".", decimal)
        writer.writerow([neutralise(_cell_text(v)) for v in row])


_DECIMAL_COMMA = re.compile(r"\s*[+-]?\d+,\d+\s*")


def input_decimal(reports: Any, sample: int = 200) -> str:
    """The decimal mark of the list's own numbers: ``,`` when its coordinate cells are
    written with decimal commas (``-2,1291``), else ``.``."""
    if not reports.columns:
        return "."
    numeric = [k for k, name in enumerate(reports.columns) if canonical_field(str(name)) in ("lat", "lon")]
    for row in reports.raw[:sample]:
        for k in numeric:
            cell = row[k] if k < len(row) else None
            if isinstance(cell, str) and cell.strip():
                return "," if _DECIMAL_COMMA.fullmatch(cell) else "."
    return "."


def exact_number(text: str) -> int | float | None:
    """The number ``text`` spells when a numeric cell shows it without loss, else None.

    Plain decimal notation only, finite, no leading zero before other digits
    (``007`` is a code), at most :data:`EXACT_DIGITS` significant digits (a 19-digit
    NIK is not a quantity).
    """
    t = text.strip()
    if not _PLAIN_NUMBER.fullmatch(t):
        return None
    mantissa = re.split("[eE]", t.lstrip("+-"))[0]
    whole = mantissa.split(".")[0]
    if len(whole) > 1 and whole.startswith("0"):
        return None
    if len(mantissa.replace(".", "").lstrip("0")) > EXACT_DIGITS:
        return None
    number = float(t)
    if not math.isfinite(number):
        return None
    if "." not in t and "e" not in t.lower():
        return int(t)
    return number + 0.0


def xlsx_value(value: Any, numeric: bool = False) -> Any:
    """What a workbook cell holds for ``value``.

    Texts stay texts (neutralised like CSV cells, with what XML cannot hold written
    visibly) unless ``numeric`` says the column is one the tool reads as numbers and
    the text is :func:`exact_number`. Numbers stay numbers when the cell can hold them
    exactly; a larger integer or an infinity becomes its text; NaN an empty cell.
    """
    if value is None or isinstance(value, (bool, _dt.date)):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return None if value != value else repr(value)
    if isinstance(value, str):
        if numeric:
            number = exact_number(value)
            if number is not None:
                return number
        return neutralise(cell_text(value))
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return neutralise(cell_text(str(value)))


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError(
            Text("output.writing_xlsx_needs_openpyxl"),
            hint=Text("output.install_pip_install_atribut_hint"),
        ) from None
    return openpyxl


def write_xlsx(
    run: Any, out: IO[bytes], *, lang: str = "id", date_format: str | None = None, **_: Any
) -> None:
    """Write the officer's sheet as an XLSX workbook (needs the ``xlsx`` extra, openpyxl).

    Numbers are numbers and dates are dates: numbers of typed input (GeoJSON, JSON Lines)
    and the verdict's distance become numeric cells, and so do the texts of the columns
    the tool reads as numbers (coordinates, accuracy, size; written with the list's
    decimal mark, ``-2,1291`` too) and of the columns an XLSX list held only numbers in,
    when a number cell shows them exactly, with as many decimals as they were written
    with. The dates of the date columns (:class:`~.dates.SheetDates`) become date cells
    shown in the input's own number format when it was an XLSX list, else in
    ``date_format`` or the list's own date style. Every other text stays text
    (:func:`xlsx_value`). The workbook carries no creation time, so the same run gives
    the same cells.
    """
    openpyxl = _openpyxl()
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(texts.label(lang, "reports"))
    rows = sheet_rows(run, lang)
    header = next(rows)
    ws.append([xlsx_value(name) for name in header])
    typed = not run.reports.columns  # CSV input gives texts; other input its values
    formats = getattr(run.reports, "column_formats", None) or {}
    numeric = [
        not typed and (canonical_field(str(name)) in NUMERIC_FIELDS or formats.get(name) == "General")
        for name in header
    ]
    numeric[-_VERDICT_CELLS:] = [False] * _VERDICT_CELLS  # of the verdict, only the distance is a number
    comma = not typed and input_decimal(run.reports) == ","
    dates = SheetDates(run.reports, header[:-_VERDICT_CELLS], date_format)
    date_formats = {k: _date_number_format(dates, k) for k in dates.columns}

    def cell(value: Any, number_format: str | None) -> Any:
        if number_format is None:
            return value
        typed_cell = WriteOnlyCell(ws, value=value)
        typed_cell.number_format = number_format
        return typed_cell

    for row in rows:
        cells = []
        for k, value in enumerate(row):
            if k in date_formats:
                when = _date_value(value, k in dates.excel)
                if when is not None:
                    cells.append(cell(when, date_formats[k]))
                    continue
            if numeric[k] and isinstance(value, str):
                number, shown = _sheet_number(value, comma)
                if number is not None:
                    cells.append(cell(number, shown))
                    continue
            cells.append(xlsx_value(value, numeric[k]))
        ws.append(cells)
    fixed = _dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    out.write(_stable_zip(buffer.getvalue()))


def _date_number_format(dates: SheetDates, k: int) -> str:
    """How date column ``k`` shows its dates: the XLSX list's own number format, else the
    date style it is written in, else ISO."""
    if k in dates.excel and not dates.explicit:
        return dates.excel[k]
    pattern = dates.pattern(k)
    return pattern_to_excel(pattern) if pattern else "yyyy-mm-dd"


def _date_value(value: Any, was_date: bool) -> _dt.date | _dt.datetime | None:
    """The date (or, in a column an XLSX list held dates in, date and time) a cell holds."""
    day = date_alone(value)
    if day is not None:
        return day
    if was_date and isinstance(value, str) and "T" in value:
        try:
            return _dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _sheet_number(text: str, comma: bool) -> tuple[int | float | None, str | None]:
    """The number a numeric column's text spells (with a decimal comma when the list writes
    them so) and the number format that shows its decimals as written (None: General)."""
    plain = text.strip()
    if comma and "," in plain and "." not in plain:
        plain = plain.replace(",", ".")
    number = exact_number(plain)
    if number is None:
        return None, None
    mantissa = re.split("[eE]", plain)[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return number, ("0." + "0" * decimals if decimals and "e" not in plain.lower() else None)


def _stable_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp fixed, so equal workbooks are equal bytes.

    openpyxl stamps each zip entry, and the workbook's "modified" property, with the time
    of writing.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" to the time of saving
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                    content,
                )
            zf.writestr(entry, content)
    return target.getvalue()
