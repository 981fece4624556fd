"""``all``, ``any`` and ``not``: conditions made of conditions, in three-valued (Kleene) logic."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .base import TRUE, ConditionKind, Explain, kind_of, register

WORDS = {"and": {"id": "dan", "en": "and"}, "or": {"id": "atau", "en": "or"}}
_ITEMS = {"type": "array", "minItems": 1, "maxItems": 100, "items": {"$ref": "#/$defs/condition"}}


@dataclass(frozen=True)
class All:
    """True when every item is true (Kleene AND)."""

    items: tuple[Any, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when some item is true (Kleene OR)."""

    items: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    """Negation; unknown stays unknown."""

    item: Any


class _Junction(ConditionKind):
    """``all`` or ``any``: the minimum or the maximum of the items' values."""

    conjunction: bool = True

    def compile(self, data: Mapping[str, Any], path: tuple[Any, ...], item: Callable[..., Any]) -> Any:
        key = self.keys[0]
        return self.node(tuple(item(c, path + (key, i)) for i, c in enumerate(data[key])))

    def children(self, node: Any) -> tuple[Any, ...]:
        return node.items

    def combine(self, node: Any, values: list[np.ndarray]) -> np.ndarray:
        return (np.minimum if self.conjunction else np.maximum).reduce(values)

    def describe(self, node: Any, say: Explain, negate: bool) -> str:
        parts = []
        for item in node.items:
            text = say.item(item, negate)
            inner = item.item if isinstance(kind_of(item), NotKind) else item
            if isinstance(kind_of(inner), _Junction):
                text = f"({text})"
            parts.append(text)
        conj = self.conjunction != negate
        return f" {say.words(WORDS, 'and' if conj else 'or')} ".join(parts)


class AllKind(_Junction):
    order = 10
    keys = ("all",)
    node = All
    schema = {"all": _ITEMS}
    conjunction = True


class AnyKind(_Junction):
    order = 11
    keys = ("any",)
    node = AnyOf
    schema = {"any": _ITEMS}
    conjunction = False


class NotKind(ConditionKind):
    order = 12
    keys = ("not",)
    node = Not
    schema = {"not": {"$ref": "#/$defs/condition"}}
    negates = True

    def compile(self, data: Mapping[str, Any], path: tuple[Any, ...], item: Callable[..., Any]) -> Any:
        return Not(item(data["not"], path + ("not",)))

    def children(self, node: Any) -> tuple[Any, ...]:
        return (node.item,)

    def combine(self, node: Any, values: list[np.ndarray]) -> np.ndarray:
        return (TRUE - values[0]).astype(np.int8)

    def describe(self, node: Any, say: Explain, negate: bool) -> str:
        return say.item(node.item, not negate)


for _kind in (AllKind(), AnyKind(), NotKind()):
    register(_kind)
