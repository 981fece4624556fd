"""Dates of the officer's sheet written back in the sheet's own style, or in ``--date-format``.

A style is a strftime pattern; ``%-d`` and ``%-m`` (day and month without a leading
zero) work on every platform. :data:`NAMED_STYLES` are the styles the readers also
read back. The input's style is found from the dates it holds (:func:`detect_style`,
the style most of its dates are written in), or, for an XLSX list, from the number
format of its date cells (:func:`excel_to_pattern`).

Only cells that hold a date alone are rewritten; a date with a time, or a text that is
no date, is written as it came.
"""

from __future__ import annotations

import collections
import datetime as _dt
import functools
import re
from collections.abc import Iterable

from ..table.fields import canonical_field
from ..table.parse import parse_date

NAMED_STYLES: dict[str, str] = {
    "iso": "%Y-%m-%d",
    "dd/mm/yyyy": "%d/%m/%Y",
    "d/m/yyyy": "%-d/%-m/%Y",
    "dd-mm-yyyy": "%d-%m-%Y",
    "d-m-yyyy": "%-d-%-m-%Y",
    "yyyy/mm/dd": "%Y/%m/%d",
}
"""``--date-format`` names for the date styles the readers read back."""

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_FIRST = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_EXCEL_TOKEN = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|[/\-. ]")


def date_pattern(spec: str) -> str:
    """The strftime pattern ``spec`` names: a key of :data:`NAMED_STYLES`, or strftime
    syntax itself (``%d %b %Y``). Raises ValueError for anything else."""
    named = NAMED_STYLES.get(spec.strip().lower())
    if named:
        return named
    if "%" not in spec:
        raise ValueError(
            f"{spec!r} is not a date format: use one of {', '.join(NAMED_STYLES)} or strftime syntax such as %d/%m/%Y"
        )
    try:
        format_date(_dt.date(2023, 12, 5), spec)
    except ValueError as exc:
        raise ValueError(f"{spec!r} is not a date format ({exc})") from None
    return spec


def format_date(day: _dt.date, pattern: str) -> str:
    """``day`` written in ``pattern`` (strftime, with ``%-d`` and ``%-m`` on every platform)."""
    parts = re.split(r"(%%|%-d|%-m)", pattern)
    out = []
    for part in parts:
        if part == "%-d":
            out.append(str(day.day))
        elif part == "%-m":
            out.append(str(day.month))
        elif part == "%%":
            out.append("%")
        elif part:
            out.append(day.strftime(part))
    return "".join(out)


def _style_of(text: str) -> tuple[str, str | None] | None:
    """The pattern a date text is written in (with zeros: ``%d/%m/%Y``) and what it shows of
    its padding (``pad``: a day or month written ``05``; ``unpad``: one written ``5``; None:
    both above 9), or None when the text is not a date alone."""
    if _ISO.fullmatch(text):
        return "%Y-%m-%d", None
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, sep, month = match.group(1), match.group(2), match.group(3)
        return f"%d{sep}%m{sep}%Y", _padding(day, month)
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        return "%Y/%m/%d", None
    return None


def _padding(*parts: str) -> str | None:
    if any(len(p) == 1 for p in parts):
        return "unpad"
    if any(p.startswith("0") for p in parts):
        return "pad"
    return None


def detect_style(texts: Iterable[object], sample: int = 1000) -> str | None:
    """The style most of the first ``sample`` date texts are written in, or None when
    there are none. A day-first list is written without zeros (``5/12/2023``) when more
    of its dates show that than show zeros (``05/12/2023``)."""
    votes: collections.Counter[str] = collections.Counter()
    padding: collections.Counter[tuple[str, str]] = collections.Counter()
    for value in texts:
        if not isinstance(value, str) or not value.strip():
            continue
        found = _style_of(value.strip())
        if found is None or date_alone(value) is None:
            continue
        style, evidence = found
        votes[style] += 1
        if evidence:
            padding[style, evidence] += 1
        if sum(votes.values()) >= sample:
            break
    if not votes:
        return None
    best = max(votes.values())
    style = next(s for s, n in votes.items() if n == best)  # ties: the first seen
    if padding[style, "unpad"] > padding[style, "pad"]:
        return style.replace("%d", "%-d").replace("%m", "%-m")
    return style


def excel_to_pattern(number_format: str) -> str | None:
    """The strftime pattern of an Excel date format such as ``dd/mm/yyyy``, or None when the
    format shows more than a day, month and year (or depends on the reader's locale, as the
    built-in short date ``mm-dd-yy`` does)."""
    code = re.sub(r"\[[^\]]*\]|\\|\"|@", "", number_format.split(";")[0]).strip().lower()
    if not code or code == "mm-dd-yy":
        return None
    tokens = _EXCEL_TOKEN.findall(code)
    if "".join(tokens) != code:
        return None
    mapping = {"yyyy": "%Y", "yy": "%y", "mm": "%m", "m": "%-m", "dd": "%d", "d": "%-d"}
    out = []
    for token in tokens:
        if token in ("mmm", "mmmm", "ddd", "dddd"):
            return None
        out.append(mapping.get(token, token))
    pattern = "".join(out)
    return pattern if "%Y" in pattern or "%y" in pattern else None


def pattern_to_excel(pattern: str) -> str:
    """The Excel number format that shows a date as ``pattern`` does (``yyyy-mm-dd`` when it
    has parts a number format cannot show the same way)."""
    mapping = {"%Y": "yyyy", "%y": "yy", "%m": "mm", "%-m": "m", "%d": "dd", "%-d": "d"}
    parts = re.split(r"(%-?[a-zA-Z%])", pattern)
    out = []
    for part in parts:
        if part.startswith("%"):
            if part not in mapping:
                return "yyyy-mm-dd"
            out.append(mapping[part])
        elif part:
            if not re.fullmatch(r"[/\-. ]*", part):
                return "yyyy-mm-dd"
            out.append(part)
    return "".join(out)


def date_alone(text: object) -> _dt.date | None:
    """The day a cell holds when it holds a date alone (no time), else None."""
    if not isinstance(text, str):
        return None
    return _day_of(text.strip())


@functools.lru_cache(maxsize=4096)
def _day_of(text: str) -> _dt.date | None:
    if _style_of(text) is None:
        return None
    try:
        return parse_date(text)
    except ValueError:
        return None


class SheetDates:
    """Which columns of the officer's sheet hold dates, and the pattern to write them in.

    The date columns are the report date (``observed_at``, under any of its header
    aliases) and, for an XLSX list, every column whose cells were all dates. The
    pattern is ``date_format`` when given, else the input's own style.
    """

    def __init__(self, reports: object, header: list[str], date_format: str | None = None) -> None:
        formats = getattr(reports, "column_formats", None) or {}
        self.excel: dict[int, str] = {}
        columns = []
        for k, name in enumerate(header):
            number_format = formats.get(name)
            if number_format is not None and number_format != "General":
                self.excel[k] = number_format
                columns.append(k)
            elif canonical_field(str(name)) == "observed_at":
                columns.append(k)
        self.columns = columns
        self.explicit = date_pattern(date_format) if date_format else None
        self._reports = reports
        self._patterns: dict[int, str | None] = {}

    def pattern(self, k: int) -> str | None:
        """The pattern column ``k``'s dates are written in (None: as they came)."""
        if self.explicit:
            return self.explicit
        if k not in self._patterns:
            from_excel = excel_to_pattern(self.excel[k]) if k in self.excel else None
            self._patterns[k] = from_excel or detect_style(_column(self._reports, k))
        return self._patterns[k]

    def rewrite(self, row: list[object]) -> list[object]:
        """``row`` with the dates of the date columns written in their pattern."""
        for k in self.columns:
            if k >= len(row):
                continue
            pattern = self.pattern(k)
            day = date_alone(row[k]) if pattern else None
            if day is not None and pattern:
                text = format_date(day, pattern)
                if text != str(row[k]).strip():
                    row[k] = text
        return row


def _column(reports: object, k: int) -> Iterable[object]:
    raw = getattr(reports, "raw", None)
    if getattr(reports, "columns", None) and raw is not None:
        return (row[k] if k < len(row) else None for row in raw)
    return getattr(reports, "observed_at", [])
