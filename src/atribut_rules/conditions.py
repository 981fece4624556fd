"""Conditions of a rule, compiled from the rule file into small frozen objects.

A condition is data, never code: ``all``, ``any``, ``not``, ``inside``, ``near``,
``during`` and ``field`` tests. The engine evaluates them on whole columns
with three-valued logic (false, unknown, true), so a GPS error or a missing
date can leave a rule in ``review`` instead of forcing a yes or no.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

try:  # Python 3.11+
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

FIELD_OPERATORS = ("equals", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists", "matches")
MAX_PATTERN_LENGTH = 500


@dataclass(frozen=True)
class All:
    """True when every item is true (Kleene AND)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when some item is true (Kleene OR)."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """Negation; unknown stays unknown."""

    item: Condition


@dataclass(frozen=True)
class Near:
    """The report is within ``within_m`` metres of a zone of ``zone`` (inclusive).

    ``inside`` is ``Near`` with ``within_m`` 0 and ``inside=True``: the report lies
    in the zone's area (a polygon, or a point or line grown by its radius).
    """

    zone: str
    within_m: float
    inside: bool = False


@dataclass(frozen=True)
class InZone:
    """The report lies inside the one zone with id ``zone_id`` (used by a rule's ``area``)."""

    zone_id: str


@dataclass(frozen=True)
class During:
    """The report's observed_at date falls in the named period (first and last day included)."""

    period: str


@dataclass(frozen=True)
class FieldTest:
    """A comparison of one report field with a value (see ``FIELD_OPERATORS``)."""

    field: str
    op: str
    value: Any


Condition = All | AnyOf | Not | Near | InZone | During | FieldTest


class ConditionError(ValueError):
    """A condition that passed the schema but cannot be used; ``path`` says where."""

    def __init__(self, message: str, path: tuple[Any, ...]):
        super().__init__(message)
        self.path = path


def compile_condition(
    data: dict[str, Any], path: tuple[Any, ...], max_depth: int, depth: int = 0
) -> Condition:
    """Turn one schema-valid condition mapping into a :data:`Condition`."""
    if depth > max_depth:
        raise ConditionError(f"conditions are nested deeper than {max_depth} levels", path)
    if "all" in data:
        return All(
            tuple(
                compile_condition(c, path + ("all", i), max_depth, depth + 1)
                for i, c in enumerate(data["all"])
            )
        )
    if "any" in data:
        return AnyOf(
            tuple(
                compile_condition(c, path + ("any", i), max_depth, depth + 1)
                for i, c in enumerate(data["any"])
            )
        )
    if "not" in data:
        return Not(compile_condition(data["not"], path + ("not",), max_depth, depth + 1))
    if "inside" in data:
        return Near(zone=data["inside"]["zone"], within_m=0.0, inside=True)
    if "near" in data:
        within = float(data["near"]["within_m"])
        if not math.isfinite(within):
            raise ConditionError(f"within_m must be a finite number, found {within!r}", path + ("near",))
        return Near(zone=data["near"]["zone"], within_m=within)
    if "during" in data:
        return During(data["during"])
    ops = [op for op in FIELD_OPERATORS if op in data]
    if len(ops) != 1:
        found = ", ".join(ops) if ops else "none"
        raise ConditionError(
            f"a field test needs exactly one operator of {', '.join(FIELD_OPERATORS)} (found {found})", path
        )
    op = ops[0]
    value = data[op]
    for item in value if isinstance(value, (list, tuple)) else (value,):
        if isinstance(item, float) and not math.isfinite(item):
            raise ConditionError(f"{op} needs finite numbers, found {item!r}", path + (op,))
    if op == "between" and not _ordered(value):
        raise ConditionError(f"between needs [low, high] with low <= high, found {value!r}", path + (op,))
    if op == "matches":
        check_pattern(value, path + (op,))
        value = re.compile(value)
    if op in ("in", "not_in"):
        value = tuple(value)
    return FieldTest(field=data["field"], op=op, value=value)


def _ordered(pair: list[Any]) -> bool:
    try:
        return pair[0] <= pair[1]
    except TypeError:
        return False


def check_pattern(pattern: str, path: tuple[Any, ...]) -> None:
    """Accept only regular expressions that cannot backtrack catastrophically.

    The safe subset forbids back-references, look-arounds, and a repeat inside
    a repeat (``(a+)+``, ``(a|aa)*``): with them gone, Python's engine works in
    time polynomial in the text, and texts are bounded by the maximum field size.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ConditionError(f"pattern is longer than {MAX_PATTERN_LENGTH} characters", path)
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error as exc:
        raise ConditionError(f"not a valid regular expression: {exc}", path) from None
    problem = _unsafe(parsed, inside_repeat=False)
    if problem:
        raise ConditionError(f"pattern {pattern!r} is outside the safe subset: {problem}", path)


_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
_FORBIDDEN = {
    "GROUPREF": "back-references",
    "GROUPREF_EXISTS": "conditional groups",
    "ASSERT": "look-arounds",
    "ASSERT_NOT": "look-arounds",
}


def _unsafe(items: Any, inside_repeat: bool) -> str | None:
    for op, arg in items:
        name = str(op)
        if name in _FORBIDDEN:
            return f"{_FORBIDDEN[name]} are not allowed"
        if name in _REPEATS:
            low, high, sub = arg
            if inside_repeat and high != 1:
                return "a repeat inside a repeat is not allowed"
            found = _unsafe(sub, inside_repeat or high != 1)
            if found:
                return found
        elif name == "SUBPATTERN":
            found = _unsafe(arg[-1], inside_repeat)
            if found:
                return found
        elif name == "BRANCH":
            for branch in arg[1]:
                found = _unsafe(branch, inside_repeat)
                if found:
                    return found
            if inside_repeat and len(arg[1]) > 1:
                return "an alternation inside a repeat is not allowed"
        elif name == "ATOMIC_GROUP":
            found = _unsafe(arg, inside_repeat)
            if found:
                return found
    return None


def walk(condition: Condition):
    """Yield every condition in ``condition``, depth first, in document order."""
    yield condition
    if isinstance(condition, (All, AnyOf)):
        for item in condition.items:
            yield from walk(item)
    elif isinstance(condition, Not):
        yield from walk(condition.item)


def leaves(condition: Condition | None, positive: bool = True) -> Iterator[tuple[Condition, bool]]:
    """Every leaf test in document order, with its polarity (False under an odd number of ``not``)."""
    if condition is None:
        return
    if isinstance(condition, (All, AnyOf)):
        for item in condition.items:
            yield from leaves(item, positive)
    elif isinstance(condition, Not):
        yield from leaves(condition.item, not positive)
    else:
        yield condition, positive
