"""JSON Lines reports: one JSON object per line, keys as in the CSV header aliases."""

from __future__ import annotations

import json

from .. import i18n
from ..errors import InputError
from ..model import Problem
from ..reports import DEFAULT_MAX_FIELD_CHARS, Reports, build_reports
from ._text import decode


def read_jsonl(
    data: bytes | str,
    *,
    file: str = "<jsonl>",
    encoding: str | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> Reports:
    """Read JSON Lines: each non-blank line is one report; a bad line becomes an invalid row."""
    text = data if isinstance(data, str) else decode(data, file=file, encoding=encoding)
    text = text.lstrip("\ufeff")
    rows: list[tuple[int, dict]] = []
    row_problems: dict[int, list[Problem]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = f"not valid JSON ({getattr(exc, 'msg', 'too deeply nested')})"
            row_problems[len(rows)] = [Problem("bad_row", None, None, i18n.render("bad_row", detail=detail))]
            obj = {}
        if not isinstance(obj, dict):
            detail = f"a JSON {type(obj).__name__}, not an object"
            row_problems[len(rows)] = [Problem("bad_row", None, None, i18n.render("bad_row", detail=detail))]
            obj = {}
        rows.append((number, {k: _scalar(v) for k, v in obj.items()}))
    if not rows:
        raise InputError("reports file has no JSON lines", file=file, hint="write one JSON object per line")
    return build_reports(rows, file=file, row_problems=row_problems, max_field_chars=max_field_chars)


def _scalar(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
