"""JSON Lines reports: one JSON object per line, keys as in the CSV header aliases."""

from __future__ import annotations

import json
from typing import Any

from .. import i18n
from ..errors import InputError, Text
from ..model import Problem
from ..table.build import build_reports
from ..table.fields import canonical_field
from ..table.reports import DEFAULT_MAX_FIELD_CHARS, Reports
from . import json_text
from .text import decode


def read_jsonl(
    data: bytes | str,
    *,
    file: str = "<jsonl>",
    encoding: str | None = None,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    first_line: int = 1,
    seen_ids: Any = None,
) -> Reports:
    """Read JSON Lines: each non-blank line is one report; a bad line becomes an invalid row.

    Lines end at ``\\n`` only (``\\r\\n`` too): U+2028, U+2029, U+0085 and other characters
    that some tools count as line ends are valid inside a JSON string and stay there. An
    integer too long to be a number here is read as its digits (so a coordinate of 400
    digits is not finite, as it would be in a CSV cell); a field holding half of a
    surrogate pair (``"\\ud800"``) makes its row invalid (``not_text``).

    ``first_line`` is the line number of the text's first line (a block of a longer file:
    then no line is not an error, and ``seen_ids`` holds the ids of the blocks before it).
    """
    text = data if isinstance(data, str) else decode(data, file=file, encoding=encoding)
    text = text.lstrip("\ufeff")
    rows: list[tuple[int, dict]] = []
    row_problems: dict[int, list[Problem]] = {}
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip(" \t\r"):
            continue
        try:
            obj = json_text.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = f"not valid JSON ({getattr(exc, 'msg', 'too deeply nested')})"
            row_problems[len(rows)] = [Problem("bad_row", None, None, i18n.render("bad_row", detail=detail))]
            obj = {}
        if not isinstance(obj, dict):
            detail = f"a JSON {type(obj).__name__}, not an object"
            row_problems[len(rows)] = [Problem("bad_row", None, None, i18n.render("bad_row", detail=detail))]
            obj = {}
        record = {k: _scalar(v) for k, v in obj.items()}
        if json_text.may_hold_surrogates(line):
            record = text_record(record, row_problems, len(rows))
        rows.append((number, record))
    if not rows and first_line == 1:
        raise InputError(
            Text("jsonl.reports_file_no_json"), file=file, hint=Text("jsonl.write_one_json_object_hint")
        )
    return build_reports(
        rows, file=file, row_problems=row_problems, max_field_chars=max_field_chars, seen_ids=seen_ids
    )


def text_record(record: dict[str, Any], row_problems: dict[int, list[Problem]], index: int) -> dict[str, Any]:
    """``record`` with every key and text value that is not Unicode text (a lone surrogate)
    made writable (U+FFFD in its place), and a ``not_text`` problem naming each such field
    added to ``row_problems[index]``."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if json_text.is_text(key) and not (isinstance(value, str) and not json_text.is_text(value)):
            out[key] = value
            continue
        name = json_text.as_text(key)
        field = canonical_field(name) or name
        row_problems.setdefault(index, []).append(
            Problem("not_text", field, None, i18n.render("not_text", field=field))
        )
        out[name] = json_text.as_text(value) if isinstance(value, str) else value
    return out


def _scalar(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
