"""CSV reports: Indonesian or English headers, ``,`` ``;`` or tab separators, decimal commas."""

from __future__ import annotations

import csv
import io

from .. import i18n
from ..errors import InputError
from ..model import Problem
from ..reports import DEFAULT_MAX_FIELD_CHARS, Reports, build_table, canonical_field
from ._text import decode


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: 0 for d in (",", ";", "\t")}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv(
    data: bytes | str,
    *,
    file: str = "<csv>",
    encoding: str | None = None,
    delimiter: str | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> Reports:
    """Read CSV bytes or text into a :class:`Reports` table.

    The first non-empty line is the header. Each later record is one report; its
    ``row`` is the line the record starts on (the header being line 1 when the
    file starts with it). Blank lines are skipped; a record with more or fewer
    fields than the header becomes an invalid row, and so does a record with a
    field longer than ``max_field_chars``. A header with no record after it is
    a table of zero reports. An empty file, and a quote left open at the end
    of the file (which would swallow every later row), raise InputError.
    """
    text = data if isinstance(data, str) else decode(data, file=file, encoding=encoding)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(
            "file contains NUL bytes, so it is not a text CSV file",
            file=file,
            line=line,
            hint="export the sheet again as CSV (UTF-8)",
        )
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("reports file is empty", file=file, hint="the first line must be a header")
    first_line = next(line for line in text.splitlines() if line.strip())
    delim = delimiter or _sniff_delimiter(first_line)
    lines = _Lines(io.StringIO(text, newline=""))
    reader = csv.reader(lines, delimiter=delim, strict=False)
    # The whole text is in memory already, so a field may be as long as the file:
    # an over-long field makes its row invalid (build_reports) instead of the file.
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(len(text) + 1, old_limit))
    header: list[str] = []
    raw: list[list[str]] = []
    row_numbers: list[int] = []
    row_problems: dict[int, list[Problem]] = {}
    tail: dict[str, object] = {"lines": [], "start": 1}
    start = 1
    try:
        for record in reader:
            tail["lines"], lines.current, tail["start"] = lines.current, [], start
            if not record or not "".join(record).strip():
                start = reader.line_num + 1
                continue
            if not header:
                header.extend(cell.strip() for cell in record)
                _check_header(header, file, start)
                start = reader.line_num + 1
                continue
            if len(record) != len(header):
                msg = i18n.render("ragged", found=len(record), expected=len(header))
                row_problems[len(raw)] = [Problem("ragged", None, None, msg)]
            raw.append(record)
            row_numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            f"broken CSV: {exc}",
            file=file,
            line=reader.line_num,
            hint="check the quotes in this line",
        ) from None
    finally:
        csv.field_size_limit(old_limit)
    if not header:
        raise InputError("reports file has no header line", file=file, hint="the first line must be a header")
    last_lines = tail["lines"]
    if last_lines and _unclosed_quote(last_lines, delim):  # type: ignore[arg-type]
        raise InputError(
            "a quote opened in this record is never closed, so every later line would be read as one field",
            file=file,
            line=tail["start"],  # type: ignore[arg-type]
            hint='close the quote, or double a quote inside a quoted field ("")',
        )
    return build_table(
        header, raw, row_numbers, file=file, row_problems=row_problems, max_field_chars=max_field_chars
    )


class _Lines:
    """Iterator over the lines of a text that remembers the lines of the current record."""

    def __init__(self, lines: io.StringIO) -> None:
        self.lines = lines
        self.current: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.current.append(line)
        return line


def _unclosed_quote(record_lines: list[str], delimiter: str) -> bool:
    """True when the record's text ends inside a quoted field (the lenient parser accepts it)."""
    try:
        for _ in csv.reader(record_lines, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _check_header(header: list[str], file: str, line: int) -> None:
    seen: dict[str, str] = {}
    for column in header:
        name = canonical_field(column)
        if name is None:
            continue
        if name in seen:
            raise InputError(
                f"columns {seen[name]!r} and {column!r} both name the field {name!r}",
                file=file,
                line=line,
                field=column,
                hint="keep one of them or rename the other",
            )
        seen[name] = column
    for name, examples in (("lat", "lat, latitude, lintang"), ("lon", "lon, lng, longitude, bujur")):
        if name not in seen:
            raise InputError(
                f"no {name} column in the header",
                file=file,
                line=line,
                hint=f"name the column one of: {examples} (see the header alias table in the README)",
            )
