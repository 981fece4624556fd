"""Parsing the cells of a report: numbers with a decimal point or comma, dates, texts.

A column is read at once where its cells are plain (``float`` over the whole column);
a cell that is not plain is read by :func:`read_number` and may become a problem.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from .. import i18n
from ..model import Problem
from .fields import FIELD

_DMS = re.compile(r"[°º'′\"″]|\d\s*[NSEWUTBLnsewutbl]\s*$|^\s*[NSEWUTBLnsewutbl]\s*\d")

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")


def parse_number(text: str) -> float:
    """Parse a decimal number written with a point or a comma (``-2,129`` or ``1.234,5``).

    Raises ValueError when ``text`` is not a number.
    """
    s = text.strip().replace("\u2212", "-").replace(" ", "")
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(nan|inf|infinity)", s, re.I):
        raise ValueError(text)
    return float(s)


def parse_date(text: str) -> _dt.date:
    """Parse the date of ``observed_at``: ISO date or date-time, or DD/MM/YYYY.

    The date is taken as written (local time); a time or zone is not converted.
    """
    s = text.strip()
    iso = re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$", s)
    if iso:
        return _dt.date.fromisoformat(iso.group(1))
    for fmt in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def make_problem(code: str, field_name: str | None, value: Any, **params: Any) -> Problem:
    known = FIELD.get(field_name or "")
    label = (known.label if known is not None else None) or field_name or ""
    params.setdefault("expected", (known.expected if known is not None else None) or "")
    text_value = None if value is None else str(value)
    message = i18n.render(code, field=label, value=text_value, **params)
    return Problem(code=code, field=field_name, value=text_value, message=message)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_number(
    value: Any, name: str, problems: list[Problem], problem: Callable[..., Problem] = make_problem
) -> float:
    if type(value) is str:  # fast path: a plain number, decimal point or comma
        f = plain_float(value)
        if not math.isnan(f):
            return f
    if is_blank(value):
        return math.nan
    if isinstance(value, bool):
        problems.append(problem("not_number", name, value))
        return math.nan
    if isinstance(value, (int, float)):
        f = float(value)
    else:
        text = str(value)
        if name in ("lat", "lon") and _DMS.search(text):
            problems.append(problem("dms", name, text, expected="-2.1291" if name == "lat" else "106.1133"))
            return math.nan
        try:
            f = parse_number(text)
        except ValueError:
            problems.append(problem("not_number", name, text))
            return math.nan
    if not math.isfinite(f):
        problems.append(problem("not_finite", name, value))
        return math.nan
    return f


def read_text(value: Any, fold: bool = False) -> str | None:
    if is_blank(value):
        return None
    s = str(value).strip()
    return s.casefold() if fold else s


def read_texts(column: Sequence[Any], fold: bool) -> list[str | None]:
    """``_text`` of every cell, computed once per distinct cell (equal texts share one object)."""
    distinct = {s: read_text(s, fold) for s in set(column)}
    return list(map(distinct.__getitem__, column))


def plain_float(text: str) -> float:
    """``text`` as a finite float when ``_number``'s fast path accepts it, else NaN."""
    if "_" in text:
        return math.nan
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def read_coordinates(column: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """A coordinate column as floats, and which cells need the per-row path (blank ones too).

    The values are ``plain_float``'s, read by the built-in ``float`` a column at a time:
    with every comma made a point, a cell ``plain_float`` refuses for its commas (two
    of them, or a comma and a point) has two points, which ``float`` refuses too.
    Underscores, which ``float`` accepts, send the column the cell-by-cell way.
    """
    n = len(column)
    if n and column[0] is None:
        return np.full(n, np.nan), np.ones(n, dtype=bool)
    text = "\0".join(column)
    cells = text.replace(",", ".").split("\0") if "_" not in text else []
    if n and len(cells) == n:  # (a NUL in a cell, which the readers refuse, would split it)
        values = np.array(_floats(cells), dtype=float)
        values[~np.isfinite(values)] = np.nan
    else:
        values = np.fromiter(map(plain_float, column), dtype=float, count=n)
    return values, np.isnan(values)


def _floats(cells: Iterable[str]) -> list[float]:
    """``float`` of each cell, NaN for a cell it cannot read (one exception per such cell)."""
    out: list[float] = []
    rest = iter(cells)
    while True:
        try:
            out.extend(map(float, rest))  # what is read before a failure stays in ``out``
            return out
        except ValueError:  # the cell that failed has been taken from ``rest``
            out.append(math.nan)


def read_measures(column: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """A measure column (blank allowed: NaN) as floats, and which cells need the per-row path."""
    n = len(column)
    if not n or column[0] is None:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    value_of: dict[Any, float] = {}
    bad_of: dict[Any, bool] = {}
    for s in set(column):
        if not s.strip():
            value_of[s], bad_of[s] = math.nan, False
        else:
            v = value_of[s] = plain_float(s)
            bad_of[s] = math.isnan(v) or v < 0
    values = np.fromiter(map(value_of.__getitem__, column), dtype=float, count=n)
    bad = np.fromiter(map(bad_of.__getitem__, column), dtype=bool, count=n)
    return values, bad
