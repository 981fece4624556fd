"""JSON as data: long integers kept as their digits, text that is not Unicode found.

``json.loads`` turns every integer into a Python ``int``: one of 5,000 digits cannot be
made (Python refuses int <-> text conversions over 4,300 digits) and one of 400 cannot
become a float. And a JSON escape may name half of a surrogate pair (``"\\ud800"``),
which is valid JSON but no text: no UTF-8 writer can write it. These helpers let the
readers judge both per value, where they can name the row and field.
"""

from __future__ import annotations

import json
import re
from typing import Any

LONG_INT_DIGITS = 18
"""Integers with more characters than this are kept as their text (exact as an int up to here)."""

_LONE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _parse_int(text: str) -> int | str:
    return int(text) if len(text) <= LONG_INT_DIGITS else text


def _parse_int_text(text: str) -> int | str:
    return int(text) if len(text) <= LONG_INT_DIGITS else LongInt(text)


class LongInt(str):
    """The digits of a JSON integer too long to be read as a number here (a marker type)."""

    __slots__ = ()


def loads(text: str, *, mark_long: bool = False) -> Any:
    """``json.loads`` with integers over :data:`LONG_INT_DIGITS` characters kept as text
    (as :class:`LongInt` with ``mark_long``, so a caller can tell them from strings)."""
    return json.loads(text, parse_int=_parse_int_text if mark_long else _parse_int)


def may_hold_surrogates(text: str) -> bool:
    """Whether JSON ``text`` has an escape of a surrogate code point (the only way parsed
    JSON can hold one when the text was decoded strictly); cheap, to skip the per-value check."""
    return _LONE_ESCAPE.search(text) is not None


def is_text(value: str) -> bool:
    """Whether ``value`` is Unicode text (no lone surrogate), so any UTF-8 writer can write it."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_text(value: str) -> str:
    """``value`` with every surrogate code point replaced by U+FFFD, for naming it in messages."""
    return _SURROGATE.sub("\ufffd", value)


def quote(value: Any, limit: int = 200) -> str:
    """``repr`` of ``value`` cut to about ``limit`` characters, for error messages."""
    text = repr(as_text(value) if isinstance(value, str) else value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text)} characters)"


def first_non_text(value: Any, path: str = "") -> str | None:
    """The path (``a.b[2]``) of the first text in ``value`` (nested lists and objects, keys
    too) that is not Unicode text, or None; ``""`` when ``value`` itself is one."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:  # a loop, not recursion: JSON may nest as deep as the parser allowed
        item, where = stack.pop()
        if isinstance(item, str):
            if not is_text(item):
                return where
        elif isinstance(item, dict):
            for key, inner in reversed(list(item.items())):
                place = f"{where}.{as_text(key)}" if where else as_text(key)
                stack.append((inner, place))
                stack.append((key, place))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{k}]") for k, inner in reversed(list(enumerate(item))))
    return None
