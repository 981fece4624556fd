"""What a condition kind is: the :class:`ConditionKind` each kind module defines, the
:class:`EvaluationContext` the engine gives it, and the registry that finds it.

A kind declares its YAML key(s) and JSON-schema fragment, compiles a mapping into a
small frozen node, evaluates a node on whole columns (three-valued: ``FALSE`` 0,
``UNKNOWN`` 1, ``TRUE`` 2, one ``int8`` per report), and says what the node needs
(zone categories, zone ids, report fields), what a finding reports for it (its
:class:`Evidence`) and how it reads in words (``id`` and ``en``). The loader, the
engine, the trust contract and ``explain`` ask the registry, never the node's type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np

from ...errors import Text
from ..patterns import ConditionError

__all__ = ["ConditionError"]  # raised by kinds and by patterns alike

FALSE, UNKNOWN, TRUE = np.int8(0), np.int8(1), np.int8(2)

ZONE_CATEGORY = "zone_category"
ZONE = "zone"
FIELD = "field"


@dataclass(frozen=True)
class Need:
    """One thing a rule needs: a zone category, a zone id or a report field."""

    kind: str
    name: str


@dataclass(frozen=True)
class Evidence:
    """What a finding reports about the condition that made it.

    ``zone_category``: the nearest zone of that category, the distance to it and the margin
    to ``threshold_m``, and ``gps_straddles`` when in doubt; ``period``: the period's name,
    and ``date_missing`` when in doubt for want of a date.
    """

    zone_category: str | None = None
    threshold_m: float | None = None
    period: str | None = None


class EvaluationContext(Protocol):
    """What the engine gives a kind to evaluate a node on every report at once."""

    n: int
    """How many reports."""
    acc: np.ndarray
    """The GPS error of each report in metres (reported or assumed)."""
    tolerance_m: float
    """Distances this close count as equal."""

    def leaf(self, cond: Any) -> np.ndarray:
        """Another condition's three-valued values (computed once per run)."""

    def column(self, name: str) -> tuple[str, np.ndarray, list[Any] | None]:
        """A report field: ``("number", floats, None)`` or ``("text", codes, distinct values)``."""

    def observed_days(self) -> np.ndarray:
        """Each report's ``observed_at`` as ``datetime64[D]`` (NaT when undated)."""

    def period(self, name: str) -> Any:
        """The rule set's period ``name`` (a :class:`~atribut_rules.rules.model.Period`)."""

    def in_period(self, period: Any, undated: bool) -> np.ndarray:
        """Whether each report's date lies in ``period`` (``undated`` for reports without one)."""

    def zone_signed(self, category: str) -> np.ndarray:
        """Each report's signed distance (m) to the nearest zone of ``category`` (negative inside)."""

    def inside_zone(self, zone_id: str) -> np.ndarray:
        """Three-valued: each report lies inside the one zone ``zone_id``."""


class Explain(Protocol):
    """What a kind's words may use (given by ``explain`` and the docs pages)."""

    lang: str

    def words(self, table: Mapping[str, Mapping[str, str]], key: str, **values: Any) -> str:
        """``table[key][lang]`` filled with ``values``."""

    def number(self, value: Any) -> str:
        """A number as the language writes it."""

    def field(self, name: str) -> str:
        """A report field's name in words."""

    def category(self, name: str) -> str:
        """A zone category in words."""

    def period_span(self, name: str) -> str:
        """The days of the set's period ``name``, in words."""

    def item(self, cond: Any, negate: bool) -> str:
        """Another condition in words (its opposite when ``negate``)."""


class ConditionKind:
    """One kind of condition. A kind module subclasses this and registers an instance.

    Class attributes: ``keys`` (the YAML keys it owns in a condition mapping; the first is
    the one that selects it), ``node`` (its frozen dataclass), ``schema`` (JSON-schema of
    each key), ``depends`` (JSON-schema ``dependentRequired`` entries), ``without_geometry``
    (evaluated while the spatial work runs: it reads no zone), ``uncertain`` (GPS or a
    missing date can leave it unknown, which ``explain`` mentions).
    """

    keys: ClassVar[tuple[str, ...]] = ()
    node: ClassVar[type] = object
    schema: ClassVar[Mapping[str, Any]] = {}
    depends: ClassVar[Mapping[str, list[str]]] = {}
    without_geometry: ClassVar[bool] = False
    uncertain: ClassVar[bool] = False
    order: ClassVar[int] = 100
    """Where the kind is matched and listed among the others (the built-in kinds: 10 to 50)."""

    def compile(self, data: Mapping[str, Any], path: tuple[Any, ...], item: Callable[..., Any]) -> Any:
        """The node for a schema-valid mapping; ``item(data, path)`` compiles a nested condition.
        Raises :class:`ConditionError` at a path for what the schema cannot say."""
        raise NotImplementedError

    def children(self, node: Any) -> tuple[Any, ...]:
        """The conditions a combinator holds (none for a leaf)."""
        return ()

    negates: ClassVar[bool] = False
    """A combinator that turns its items' polarity (``not``)."""

    def combine(self, node: Any, values: list[np.ndarray]) -> np.ndarray:
        """A combinator's value from its items' values."""
        raise NotImplementedError

    def evaluate(self, node: Any, ctx: EvaluationContext) -> np.ndarray:
        """Three-valued ``int8`` per report, on whole arrays (no loop per report)."""
        return self.combine(node, [ctx.leaf(c) for c in self.children(node)])

    def needs(self, node: Any) -> tuple[Need, ...]:
        """What the node itself needs from the run (not its items')."""
        return ()

    def fields(self, node: Any) -> tuple[str, ...]:
        """Report fields the node reads by name, as written."""
        return ()

    def zone_reach(self, node: Any) -> Iterable[tuple[str, float]]:
        """(zone category, metres) the spatial search must reach for the node."""
        return ()

    def evidence(self, node: Any) -> Evidence | None:
        """What a finding made by the node reports, or None when it cannot be the evidence."""
        return None

    def problems(
        self, node: Any, categories: frozenset[str] | None, periods: Mapping[str, Any] | None
    ) -> Iterator[tuple[Text, Text | None]]:
        """(message, hint) for each name the node uses that the set does not define
        (``None``: that vocabulary is not checked)."""
        return iter(())

    def describe(self, node: Any, say: Explain, negate: bool) -> str:
        """The node in words in ``say.lang`` (its opposite when ``negate``)."""
        raise NotImplementedError


_KINDS: dict[str, ConditionKind] = {}
_BY_NODE: dict[type, ConditionKind] = {}
_VERSION = [0]


def register(kind: ConditionKind) -> ConditionKind:
    """Add a kind (after those registered before it); returns it. A kind without keys is
    built by the loader itself (a rule's ``area``), never from a condition mapping."""
    for key in kind.schema:
        if any(key in other.schema for other in _KINDS.values()):
            raise ValueError(f"the condition key {key!r} is taken")
    if kind.node in _BY_NODE:
        raise ValueError(f"{kind.node.__name__} has a kind already")
    _KINDS[_name(kind)] = kind
    _BY_NODE[kind.node] = kind
    changed()
    return kind


def unregister(kind: ConditionKind) -> None:
    """Remove a kind that :func:`register` added."""
    _KINDS.pop(_name(kind), None)
    _BY_NODE.pop(kind.node, None)
    changed()


def _name(kind: ConditionKind) -> str:
    return kind.keys[0] if kind.keys else kind.node.__name__


def kinds() -> tuple[ConditionKind, ...]:
    """Every registered kind, in the order a condition mapping is matched against them."""
    return tuple(sorted(_KINDS.values(), key=lambda kind: kind.order))


def changed() -> None:
    """Say that a kind was added or removed (the schema and other caches are made anew)."""
    _VERSION[0] += 1


def registry_version() -> int:
    """A number that changes whenever a kind is added or removed (for caches)."""
    return _VERSION[0]


def kind_of(node: Any) -> ConditionKind:
    """The kind of a compiled node."""
    return _BY_NODE[type(node)]


def kind_for(data: Mapping[str, Any]) -> ConditionKind | None:
    """The kind a condition mapping selects by its key, or None."""
    for kind in kinds():
        if any(key in data for key in kind.keys):
            return kind
    return None


def true_where(mask: np.ndarray) -> np.ndarray:
    """Three-valued TRUE where ``mask`` holds, else FALSE (a bool array viewed as 0/1 bytes and
    doubled: about 50 times faster than ``np.where``)."""
    return np.asarray(mask, dtype=bool).view(np.int8) * TRUE
