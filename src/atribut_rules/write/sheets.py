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

from ..errors import MissingExtraError
from ..table.fields import canonical_field
from . import texts
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
    **_: Any,
) -> None:
    """Write the officer's sheet as CSV (RFC 4180 quoting, ``\\r\\n`` line ends).

    Input cells are written as they came (only a formula-looking text gets its ``'``);
    numbers from typed input (GeoJSON, JSON Lines) are written in full, the verdict's
    distance to the millimetre. The sheet comes back in its own style: ``delimiter`` and
    ``decimal`` (the decimal mark of the distance the tool writes) default to the input
    list's, else ``,`` and ``.``.
    """
    delimiter = delimiter or getattr(run.reports, "delimiter", None) or ","
    decimal = decimal or input_decimal(run.reports)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    rows = sheet_rows(run, lang)
    writer.writerow([neutralise(_cell_text(v)) for v in next(rows)])
    for row in rows:
        row = _rounded_distance(row)
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
            "writing XLSX needs openpyxl, which is not installed",
            hint='install it with: pip install "atribut-rules[xlsx]"',
        ) from None
    return openpyxl


def write_xlsx(run: Any, out: IO[bytes], *, lang: str = "id", **_: Any) -> None:
    """Write the officer's sheet as an XLSX workbook (needs the ``xlsx`` extra, openpyxl).

    Numbers of typed input (GeoJSON, JSON Lines) and the verdict's distance become
    numeric cells, and so do the texts of the columns the tool reads as numbers
    (coordinates, accuracy, size) when a number cell shows them exactly; every other
    text stays text (:func:`xlsx_value`). The workbook carries no creation time, so
    the same run gives the same cells.
    """
    openpyxl = _openpyxl()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(texts.label(lang, "reports"))
    rows = sheet_rows(run, lang)
    header = next(rows)
    ws.append([xlsx_value(name) for name in header])
    typed = not run.reports.columns  # CSV input gives texts; other input its values
    numeric = [not typed and canonical_field(str(name)) in NUMERIC_FIELDS for name in header]
    numeric[-_VERDICT_CELLS:] = [
        False
    ] * _VERDICT_CELLS  # the verdict columns: only the distance is a number, as a float
    for row in rows:
        ws.append([xlsx_value(value, flag) for value, flag in zip(row, numeric)])
    fixed = _dt.datetime(2000, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    out.write(_stable_zip(buffer.getvalue()))


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
