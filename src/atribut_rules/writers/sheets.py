"""The officer's sheet back, as CSV or XLSX: every input column as it came, then the verdict.

Cells are made safe for spreadsheets: a text starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return gets a leading ``'`` so it is not run as a formula.
Numbers (``-2.1291`` or ``-2,1291``) stay numbers.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import zipfile
from typing import IO, Any

from ..errors import MissingExtraError
from . import texts
from .records import sheet_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


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
        return repr(round(value, 3) + 0.0) if value == value else ""
    return str(value)


def write_csv(run: Any, out: IO[str], *, lang: str = "id", delimiter: str = ",", **_: Any) -> None:
    """Write the officer's sheet as CSV (RFC 4180 quoting, ``\\r\\n`` line ends)."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in sheet_rows(run, lang):
        writer.writerow([neutralise(_cell_text(v)) for v in row])


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

    Input texts that are plain numbers (``8``, ``2.5``) become numeric cells; every
    other text stays text, neutralised like CSV cells. The workbook carries no
    creation time, so the same run gives the same cells.
    """
    openpyxl = _openpyxl()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(texts.label(lang, "reports"))
    for n, row in enumerate(sheet_rows(run, lang)):
        cells = []
        for value in row:
            if n > 0 and isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
                number = float(value)
                value = int(number) if number.is_integer() and "." not in value else number
            if isinstance(value, float) and value != value:
                value = None
            cells.append(neutralise(value) if isinstance(value, str) else value)
        ws.append(cells)
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
