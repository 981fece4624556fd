"""XLSX reports (an officer's spreadsheet), read through the optional ``xlsx`` extra (openpyxl).

The first worksheet is read; its first non-empty row is the header, as in a CSV
file, and each later non-empty row is one report whose ``row`` is the sheet's row
number. Numbers stay numbers, dates become ISO dates, and the header aliases,
decimal commas and invalid-row rules of the CSV reader apply unchanged.
"""

from __future__ import annotations

import datetime as _dt
import io
from typing import Any

from .. import i18n
from ..errors import InputError, MissingExtraError
from ..model import Problem
from ..reports import DEFAULT_MAX_FIELD_CHARS, Reports, build_reports
from .csv_reader import _check_header


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError(
            "reading .xlsx files needs openpyxl", hint='install it with: pip install "atribut-rules[xlsx]"'
        ) from None
    return openpyxl


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time(0) else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_xlsx(
    data: bytes, *, file: str = "<xlsx>", max_field_chars: int = DEFAULT_MAX_FIELD_CHARS
) -> Reports:
    """Read the first worksheet of an XLSX workbook into a :class:`Reports` table."""
    openpyxl = _openpyxl()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, XML and KeyError variants for broken files
        raise InputError(
            f"not a readable XLSX workbook ({type(exc).__name__})",
            file=file,
            hint="save the sheet again as .xlsx, or export it as CSV",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] = []
        rows: list[tuple[int, dict[str, Any]]] = []
        raw: list[list[Any]] = []
        problems: dict[int, list[Problem]] = {}
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if not any(str(c).strip() for c in cells):
                continue
            if not header:
                while cells and not str(cells[-1]).strip():
                    cells.pop()
                header = [str(c).strip() for c in cells]
                _check_header(header, file, number)
                continue
            extra_cells = cells[len(header) :]
            if any(str(c).strip() for c in extra_cells):
                msg = i18n.render("ragged", found=len(cells), expected=len(header))
                problems[len(rows)] = [Problem("ragged", None, None, msg)]
            cells = cells[: len(header)] + [""] * (len(header) - len(cells))
            raw.append([str(c) for c in cells])
            rows.append((number, dict(zip(header, cells))))
    finally:
        workbook.close()
    if not header:
        raise InputError("the first worksheet is empty", file=file, hint="the first row must be a header")
    return build_reports(
        rows, file=file, columns=header, raw=raw, row_problems=problems, max_field_chars=max_field_chars
    )
