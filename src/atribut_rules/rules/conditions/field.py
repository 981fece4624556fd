"""``field``: a test of one report field (``equals``, ``in``, ``gt``, ``between``, ``matches``...).

Numbers are compared as numbers, text case-insensitively after trimming; a text column
is tested once per distinct value, then spread to its reports. ``observed_at`` is
compared as a date with ``gt``/``gte``/``lt``/``lte``/``between``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import Text, quote
from ...table.parse import parse_number
from .base import FIELD, ConditionError, ConditionKind, EvaluationContext, Explain, Need, register, true_where

FIELD_OPERATORS = ("equals", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists", "matches")
ORDER_OPERATORS = ("gt", "gte", "lt", "lte", "between")
DERIVED_FIELDS: Mapping[str, tuple[str, ...]] = {"area_m2": ("width_m", "height_m")}
"""Fields the engine derives from others: a rule naming one needs those."""
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COMPARE = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}
_NEGATE = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}
_VALUES = {"type": "array", "maxItems": 1000, "items": {"type": ["string", "number"]}}
_ORDERED = {"type": ["number", "string"]}

WORDS = {
    "equals": {"id": "{f} adalah {v}", "en": "{f} is {v}"},
    "not_equals": {"id": "{f} bukan {v}", "en": "{f} is not {v}"},
    "in": {"id": "{f} salah satu dari {v}", "en": "{f} is one of {v}"},
    "not_in": {"id": "{f} bukan salah satu dari {v}", "en": "{f} is none of {v}"},
    "exists": {"id": "{f} diisi", "en": "{f} is given"},
    "missing": {"id": "{f} kosong", "en": "{f} is missing"},
    "matches": {"id": "{f} cocok dengan pola {v}", "en": "{f} matches the pattern {v}"},
    "not_matches": {"id": "{f} tidak cocok dengan pola {v}", "en": "{f} does not match the pattern {v}"},
    "between": {"id": "{f} antara {a} dan {b}", "en": "{f} is between {a} and {b}"},
    "not_between": {"id": "{f} di luar {a} sampai {b}", "en": "{f} is outside {a} to {b}"},
}


@dataclass(frozen=True)
class FieldTest:
    """A comparison of one report field with a value (see ``FIELD_OPERATORS``)."""

    field: str
    op: str
    value: Any


class FieldKind(ConditionKind):
    order = 40
    keys = ("field",)
    node = FieldTest
    schema = {
        "field": {"type": "string", "minLength": 1, "maxLength": 100},
        "equals": {"type": ["string", "number", "boolean"]},
        "in": _VALUES,
        "not_in": _VALUES,
        "gt": _ORDERED,
        "gte": _ORDERED,
        "lt": _ORDERED,
        "lte": _ORDERED,
        "between": {"type": "array", "minItems": 2, "maxItems": 2, "items": _ORDERED},
        "exists": {"type": "boolean"},
        "matches": {"type": "string", "maxLength": 500},
    }
    depends = {op: ["field"] for op in FIELD_OPERATORS}
    without_geometry = True

    def compile(self, data: Mapping[str, Any], path: tuple[Any, ...], item: Callable[..., Any]) -> FieldTest:
        ops = [op for op in FIELD_OPERATORS if op in data]
        if len(ops) != 1:
            found = ", ".join(ops) if ops else "none"
            raise ConditionError(
                Text("rules.field_test_needs_exactly", names=", ".join(FIELD_OPERATORS), found=found),
                path,
            )
        op = ops[0]
        value = data[op]
        for one in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(one, float) and not math.isfinite(one):
                raise ConditionError(Text("rules.needs_finite_numbers_found", op=op, one=one), path + (op,))
        if data["field"] == "observed_at" and op in ORDER_OPERATORS:
            for one in value if op == "between" else (value,):
                if not _is_date(one):
                    raise ConditionError(
                        Text("rules.on_observed_needs_calendar", op=op, one=quote(one)),
                        path + (op,),
                    )
        if op == "between" and not _ordered(value):
            raise ConditionError(Text("rules.between_needs_low_high", value=quote(value)), path + (op,))
        if op == "matches":
            from ..patterns import Pattern

            value = Pattern(value, path + (op,))
        if op in ("in", "not_in"):
            value = tuple(value)
        return FieldTest(field=data["field"], op=op, value=value)

    def evaluate(self, node: FieldTest, ctx: EvaluationContext) -> np.ndarray:
        if node.field == "observed_at" and node.op in ORDER_OPERATORS:
            return true_where(_compare_dates(ctx.observed_days(), node))
        kind, data, uniques = ctx.column(node.field)
        if kind == "number":
            return true_where(_number_test(data, node))
        ok = np.array([_text_test(u, node) for u in uniques or ()], dtype=bool)  # once per distinct value
        return true_where(ok[data] if len(data) else np.zeros(0, dtype=bool))

    def needs(self, node: FieldTest) -> tuple[Need, ...]:
        return tuple(Need(FIELD, name) for name in DERIVED_FIELDS.get(node.field, (node.field,)))

    def fields(self, node: FieldTest) -> tuple[str, ...]:
        return (node.field,)

    def problems(
        self, node: FieldTest, categories: frozenset[str] | None, periods: Mapping[str, Any] | None
    ) -> Iterator[tuple[Text, Text | None]]:
        if node.op in ORDER_OPERATORS and node.field != "observed_at":
            values = node.value if node.op == "between" else [node.value]
            if any(isinstance(v, str) for v in values):
                yield Text("rules.needs_a_number", op=node.op, field=node.field), None

    def describe(self, node: FieldTest, say: Explain, negate: bool) -> str:
        f = say.field(node.field)
        op, v = node.op, node.value
        if op == "equals":
            return say.words(WORDS, "not_equals" if negate else "equals", f=f, v=say.number(v))
        if op in ("in", "not_in"):
            positive = (op == "in") != negate
            return say.words(
                WORDS, "in" if positive else "not_in", f=f, v=", ".join(say.number(x) for x in v)
            )
        if op in _COMPARE:
            op = _NEGATE[op] if negate else op
            return f"{f} {_COMPARE[op]} {say.number(v)}"
        if op == "between":
            key = "not_between" if negate else "between"
            return say.words(WORDS, key, f=f, a=say.number(v[0]), b=say.number(v[1]))
        if op == "exists":
            return say.words(WORDS, "exists" if bool(v) != negate else "missing", f=f)
        return say.words(WORDS, "not_matches" if negate else "matches", f=f, v=f"`{v.pattern}`")


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _ordered(pair: list[Any]) -> bool:
    try:
        return pair[0] <= pair[1]
    except TypeError:
        return False


def _number_test(data: np.ndarray, test: FieldTest) -> np.ndarray:
    op, v = test.op, test.value
    with np.errstate(invalid="ignore"):
        if op == "exists":
            return ~np.isnan(data) if v else np.isnan(data)
        if op == "equals":
            return data == _as_float(v)
        if op == "in":
            return np.isin(data, [_as_float(x) for x in v])
        if op == "not_in":
            return ~np.isin(data, [_as_float(x) for x in v]) & ~np.isnan(data)
        if op == "gt":
            return data > v
        if op == "gte":
            return data >= v
        if op == "lt":
            return data < v
        if op == "lte":
            return data <= v
        if op == "between":
            return (data >= v[0]) & (data <= v[1])
        if op == "matches":
            return np.array([not math.isnan(x) and bool(v.search(_plain(float(x)))) for x in data])
    raise ValueError(op)  # pragma: no cover


def _plain(value: float) -> str:
    """A number as a pattern sees it: two decimals at most, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _fold(value: Any) -> str:
    return str(value).strip().casefold()


def _text_test(value: Any, test: FieldTest) -> bool:
    op, v = test.op, test.value
    if op == "exists":
        return (value is not None and str(value).strip() != "") == v
    if value is None:
        return False
    if op == "equals":
        return _fold(value) == _fold(v)
    if op == "in":
        return _fold(value) in {_fold(x) for x in v}
    if op == "not_in":
        return _fold(value) not in {_fold(x) for x in v}
    if op == "matches":
        return bool(v.search(str(value)))
    return _number_of_text(value, op, v)


def _number_of_text(value: Any, op: str, v: Any) -> bool:
    try:
        number = value if isinstance(value, (int, float)) else parse_number(str(value))
    except ValueError:
        return False
    if op == "gt":
        return number > v
    if op == "gte":
        return number >= v
    if op == "lt":
        return number < v
    if op == "lte":
        return number <= v
    if op == "between":
        return v[0] <= number <= v[1]
    raise ValueError(op)  # pragma: no cover


def _compare_dates(day: np.ndarray, test: FieldTest) -> np.ndarray:
    def d(x: Any) -> np.datetime64:
        return np.datetime64(_dt.date.fromisoformat(str(x)), "D")

    op, v = test.op, test.value
    if op == "between":
        return (day >= d(v[0])) & (day <= d(v[1]))
    target = d(v)
    return {"gt": day > target, "gte": day >= target, "lt": day < target, "lte": day <= target}[op]


register(FieldKind())
