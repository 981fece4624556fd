"""XLSX reports (an officer's spreadsheet), read through the optional ``xlsx`` extra (openpyxl).

The first worksheet is read; its first non-empty row is the header, as in a CSV
file, and each later non-empty row is one report whose ``row`` is the sheet's row
number. Numbers stay numbers, dates become ISO dates, and the header aliases,
decimal commas and invalid-row rules of the CSV reader apply unchanged. The table's
``column_formats`` names the columns that held only numbers (``General``) or only dates
(the number format of their first date cell, such as ``dd/mm/yyyy``), so that the sheet
written back as XLSX or CSV keeps them typed and in their style.

A workbook is a zip of XML parts that anyone can write by hand, so nothing it says
about itself is trusted: its declared size (``<dimension ref="A1:XFD1048576">``) is
ignored and only the cells present are read, one row at a time, through openpyxl's
worksheet parser; its parts may unzip to at most ``max_unzipped_bytes`` in all; a row
beyond 1,048,576 or a header beyond :data:`MAX_COLUMNS` columns is refused. A cell
that cannot be read (a shared string that does not exist, text in a number cell, a bad
boolean or date, a reference such as ``ZZZZZ2``, ``NaN``) makes its row invalid
(``bad_cell``, naming the cell); XML that is not well-formed is an error naming the
last row read.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from .. import i18n
from ..errors import InputError, MissingExtraError, Text
from ..model import Problem
from ..table.build import build_reports
from ..table.fields import canonical_field
from ..table.reports import DEFAULT_MAX_FIELD_CHARS, Reports
from .csv_reader import _check_header

MAX_ROWS = 1_048_576
"""The last row a worksheet can have (the format's own limit)."""
MAX_COLUMNS = 1024
"""Columns a header may have (a reports sheet has a dozen or two)."""
DEFAULT_MAX_UNZIPPED_BYTES = 2 * 1024**3
"""What the parts of a workbook may unzip to, in all (zip bombs)."""


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError(
            Text("xlsx.reading_xlsx_files_needs"), hint=Text("xlsx.install_pip_install_atribut_hint")
        ) from None
    return openpyxl


class BadCell:
    """A cell that could not be read: where it is and why (the value of that cell)."""

    __slots__ = ("ref", "reason")

    def __init__(self, ref: str, reason: Text | str) -> None:
        self.ref, self.reason = ref, reason


class _CellError(ValueError):
    """Why a cell's text cannot be read, as a catalogue text (``str()`` is the English one)."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


def _in_languages(reason: Text | str) -> dict[str, str]:
    """A cell's reason in every language (a library's own words stay as they are)."""
    return {lang: reason.render(lang) if isinstance(reason, Text) else reason for lang in i18n.LANGUAGES}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time(0) else value.isoformat()
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def read_xlsx(
    data: bytes,
    *,
    file: str = "<xlsx>",
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
) -> Reports:
    """Read the first worksheet of an XLSX workbook into a :class:`Reports` table."""
    openpyxl = _openpyxl()
    _check_archive(data, file, max_unzipped_bytes)
    with warnings.catch_warnings():  # openpyxl warns about styles and extensions it skips
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
        except Exception as exc:  # openpyxl raises zipfile, XML, Key- and IndexError variants
            raise InputError(
                Text("xlsx.not_readable_xlsx_workbook_2", kind=type(exc).__name__, exc=str(exc)[:200]),
                file=file,
                hint=Text("xlsx.save_sheet_again_as_hint"),
            ) from None
        try:
            return _read_sheet(sheet, workbook, file, max_field_chars)
        finally:
            workbook.close()


def _check_archive(data: bytes, file: str, max_unzipped_bytes: int) -> None:
    """Refuse a workbook whose parts would unzip to more than ``max_unzipped_bytes``.

    zipfile never gives more bytes of a part than its declared size, so the sum of the
    declared sizes bounds what the reader can be made to unzip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise InputError(
            Text("xlsx.not_readable_xlsx_workbook", exc=str(exc)[:200]),
            file=file,
            hint=Text("xlsx.save_sheet_again_as_hint"),
        ) from None
    if total > max_unzipped_bytes:
        raise InputError(
            Text("xlsx.workbook_parts_unzip_bytes", total=total, max_unzipped_bytes=max_unzipped_bytes),
            file=file,
            hint=Text("xlsx.split_sheet_export_as_hint"),
        )


def _read_sheet(sheet: Any, workbook: Any, file: str, max_field_chars: int) -> Reports:
    header: list[str] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    raw: list[list[Any]] = []
    problems: dict[int, list[Problem]] = {}
    kinds = _ColumnKinds()
    for number, cells in _sheet_rows(sheet, workbook, file):
        values: dict[int, Any] = {}
        bad: list[BadCell] = []
        if header:
            kinds.add(cells)
        for column, value, _ in cells:
            if column is not None and column in values:
                value = BadCell(_ref(column, number), Text("xlsx.cell_twice"))
            if isinstance(value, BadCell):
                bad.append(value)
                if column is not None:
                    values[column] = ""
            elif column is not None:
                values[column] = _cell(value)
        if not bad and not any(str(v).strip() for v in values.values()):
            continue
        if not header:
            header = _header(values, bad, number, file)
            continue
        width = len(header)
        row_problems: list[Problem] = []
        extra = sum(1 for c, v in values.items() if c > width and str(v).strip())
        if extra:
            found = width + extra
            msg = i18n.render("ragged", found=found, expected=width)
            row_problems.append(Problem("ragged", None, None, msg))
        for cell in bad:
            column = _column_of(cell.ref)
            name = header[column - 1] if column is not None and column <= width else None
            field = (canonical_field(name) or name) if name else None
            msg = i18n.render("bad_cell", cell=cell.ref, detail=_in_languages(cell.reason))
            row_problems.append(Problem("bad_cell", field, None, msg))
        if row_problems:
            problems[len(rows)] = row_problems
        line = [values.get(c, "") for c in range(1, width + 1)]
        raw.append([str(c) for c in line])
        rows.append((number, dict(zip(header, line))))
    if not header:
        raise InputError(
            Text("xlsx.first_worksheet_empty"), file=file, hint=Text("xlsx.first_row_must_header_hint")
        )
    reports = build_reports(
        rows, file=file, columns=header, raw=raw, row_problems=problems, max_field_chars=max_field_chars
    )
    reports.column_formats = kinds.formats(header)
    return reports


class _ColumnKinds:
    """Which columns hold numbers, or dates, and the number format of their first date cell:
    what lets a workbook written back keep its numbers and dates typed. Texts among them
    (a date that could not be typed, ``n/a``) do not count; a column of both numbers and
    dates is neither."""

    def __init__(self) -> None:
        self.kinds: dict[int, set[str]] = {}
        self.date_formats: dict[int, str] = {}

    def add(self, cells: list[tuple[int | None, Any, str | None]]) -> None:
        for column, value, number_format in cells:
            if column is None:
                continue
            if isinstance(value, (_dt.date, _dt.datetime)):
                kind = "date"
                if number_format and column not in self.date_formats:
                    self.date_formats[column] = number_format
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                kind = "number"
            else:
                continue
            self.kinds.setdefault(column, set()).add(kind)

    def formats(self, header: list[str]) -> dict[str, str]:
        """``{column name: number format}`` for columns of numbers (``General``) or of dates
        (the format of their first date cell, ``yyyy-mm-dd`` when it has none)."""
        out: dict[str, str] = {}
        for column, kinds in sorted(self.kinds.items()):
            if column > len(header) or len(kinds) != 1 or header[column - 1] in out:
                continue
            if kinds == {"number"}:
                out[header[column - 1]] = "General"
            else:
                out[header[column - 1]] = self.date_formats.get(column, "yyyy-mm-dd")
        return out


def _header(values: dict[int, Any], bad: list[BadCell], number: int, file: str) -> list[str]:
    if bad:
        raise InputError(
            Text("xlsx.header_cell", ref=bad[0].ref, reason=bad[0].reason),
            file=file,
            line=number,
            hint=Text("xlsx.write_header_again_hint"),
        )
    last = max(c for c, v in values.items() if str(v).strip())
    if last > MAX_COLUMNS:
        raise InputError(
            Text("xlsx.header_cell_column_beyond", last=last, max_columns=MAX_COLUMNS),
            file=file,
            line=number,
            hint=Text("xlsx.delete_cells_far_right_hint"),
        )
    header = [str(values.get(c, "")).strip() for c in range(1, last + 1)]
    _check_header(header, file, number)
    return header


def _ref(column: int, row: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return f"{get_column_letter(column)}{row}"


def _column_of(ref: str) -> int | None:
    from openpyxl.utils.cell import coordinate_to_tuple

    try:
        return coordinate_to_tuple(ref)[1]
    except (ValueError, TypeError):
        return None


def _sheet_rows(
    sheet: Any, workbook: Any, file: str
) -> Iterator[tuple[int, list[tuple[int | None, Any, str | None]]]]:
    """``(row number, [(column, value or BadCell, number format of a date)])`` for each row the
    worksheet's XML holds, in order; rows out of order or beyond the last row, and broken
    XML, raise InputError."""
    parser = _parser_class()(
        sheet._get_source(),  # the worksheet part, opened from the archive (openpyxl's own)
        sheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    parser.date_codes = _date_codes(workbook)
    last = 0
    rows = parser.parse()
    try:
        while True:
            try:
                item = next(rows, None)
            except Exception as exc:  # ParseError from the XML parser, errors from openpyxl's parts
                raise InputError(
                    Text(
                        "xlsx.worksheet_xml_broken_after",
                        last=last,
                        kind=type(exc).__name__,
                        exc=str(exc)[:200],
                    ),
                    file=file,
                    line=last + 1,
                    hint=Text("xlsx.save_sheet_again_as_hint"),
                ) from None
            if item is None:
                return
            number, cells = item
            if number <= last or number > MAX_ROWS:
                if number < 1:
                    why = Text("xlsx.row_not_a_row")
                elif number <= last:
                    why = Text("xlsx.row_out_of_order", last=last)
                else:
                    why = Text("xlsx.row_beyond_limit", max_rows=MAX_ROWS)
                raise InputError(
                    Text("xlsx.worksheet_row_number", number=number, why=why),
                    file=file,
                    line=number if 1 <= number <= MAX_ROWS else None,
                    hint=Text("xlsx.save_sheet_again_as_hint"),
                )
            last = number
            yield number, [(c["column"], c["value"], c.get("format")) for c in cells]
    finally:
        parser.source.close()


def _parser_class() -> Any:
    """openpyxl's worksheet parser, with a cell reader that turns a broken cell into a
    :class:`BadCell` instead of stopping the sheet (made per read: openpyxl is optional)."""
    from openpyxl.cell.text import Text
    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.worksheet._reader import INLINE_STRING, VALUE_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):
        date_codes: dict[int, str] = {}  # set per read by _sheet_rows

        def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
            text = row.get("r")
            if text is None:
                self.row_counter += 1
            elif text.isascii() and text.isdigit() and len(text) <= 8:
                self.row_counter = int(text)
            else:
                raise ValueError(f"row number {text[:50]!r} is not a whole number")
            self.col_counter = 0
            return self.row_counter, [self.parse_cell(el) for el in row]

        def parse_cell(self, element: Any) -> dict[str, Any]:
            ref = element.get("r")
            if ref:
                try:
                    column: int | None = coordinate_to_tuple(ref)[1]
                except (ValueError, TypeError):
                    column = None
                if column is None or column > _LAST_COLUMN:
                    return self._bad(None, ref, Text("xlsx.cell_not_a_reference"))
                self.col_counter = column
            else:
                self.col_counter += 1
                column = self.col_counter
                if column > _LAST_COLUMN:
                    return self._bad(None, f"row {self.row_counter}", Text("xlsx.cell_beyond_xfd"))
                ref = f"{get_column_letter(column)}{self.row_counter}"
            try:
                value = self._value(element)
            except (ValueError, TypeError, IndexError, OverflowError, KeyError, AttributeError) as exc:
                return self._bad(column, ref, exc.text if isinstance(exc, _CellError) else str(exc)[:200])
            style = element.get("s")
            if isinstance(value, _dt.date) and style and style.isascii() and style.isdigit():
                return {"column": column, "value": value, "format": self.date_codes.get(int(style))}
            return {"column": column, "value": value}

        def _value(self, element: Any) -> Any:
            kind = element.get("t", "n")
            if kind == "inlineStr":
                child = element.find(INLINE_STRING)
                return None if child is None else Text.from_tree(child).content
            text = element.findtext(VALUE_TAG, None) or None
            if text is None:
                return None
            if kind == "n":
                number = _number(text)
                style = element.get("s")
                if style and int(style) in self.date_formats:
                    try:
                        return from_excel(number, self.epoch, timedelta=int(style) in self.timedelta_formats)
                    except (OverflowError, ValueError):
                        raise _CellError(Text("xlsx.cell_not_date_serial", value=repr(text[:50]))) from None
                return number
            if kind == "s":
                if not (text.isascii() and text.isdigit()) or int(text) >= len(self.shared_strings):
                    raise _CellError(Text("xlsx.cell_no_shared_string", value=repr(text[:50])))
                return self.shared_strings[int(text)]
            if kind == "b":
                if text not in ("0", "1", "true", "false"):
                    raise _CellError(Text("xlsx.cell_not_boolean", value=repr(text[:50])))
                return text in ("1", "true")
            if kind in ("str", "e"):
                return text
            if kind == "d":
                try:
                    return from_ISO8601(text)
                except (ValueError, TypeError, AttributeError):
                    raise _CellError(Text("xlsx.cell_not_iso_date", value=repr(text[:50]))) from None
            raise _CellError(Text("xlsx.cell_unknown_type", kind=repr(kind[:20])))

        def _bad(self, column: int | None, ref: str, reason: Text | str) -> dict[str, Any]:
            return {"column": column, "value": BadCell(ref[:20], reason)}

    return CellParser


def _date_codes(workbook: Any) -> dict[int, str]:
    """The number format code of each cell style that shows a date (``dd/mm/yyyy``)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, builtin_format_code

    codes: dict[int, str] = {}
    for index in workbook._date_formats:
        try:
            number_format = workbook._cell_styles[index].numFmtId
            if number_format >= BUILTIN_FORMATS_MAX_SIZE:
                code = workbook._number_formats[number_format - BUILTIN_FORMATS_MAX_SIZE]
            else:
                code = builtin_format_code(number_format)
        except (IndexError, KeyError, AttributeError, TypeError):
            continue
        if isinstance(code, str) and code:
            codes[index] = code
    return codes


_LAST_COLUMN = 16384
"""Column XFD, the last a worksheet can have."""


def _number(text: str) -> int | float:
    """A number cell's text as Excel writes it; anything else is a ValueError."""
    digits = text[1:] if text.startswith("-") else text
    if digits.isascii() and digits.isdigit() and len(text) <= 18:
        return int(text)
    try:
        value = float(text)
    except ValueError:
        raise _CellError(Text("xlsx.cell_not_number", value=repr(text[:50]))) from None
    if not math.isfinite(value):
        raise _CellError(Text("xlsx.cell_not_finite", value=repr(text[:50])))
    return value
