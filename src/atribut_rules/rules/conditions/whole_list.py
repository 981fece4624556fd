"""Kinds of rules over the whole list (``quota``, ``spacing``) and the set's ``duplicates``.

A condition (:mod:`.base`) looks at one report; these look at the whole list at once.
Each lives in one module, as a condition kind does, that declares its YAML key and
JSON-schema fragment, compiles the mapping into a small frozen node, evaluates it on whole
arrays (through the pair and group searches of :mod:`atribut_rules.evaluate.wholelist`),
says what its findings report, how it reads in words (``id`` and ``en``) and what it
needs. The loader, the engine, the trust contract, the chunked runs and ``explain`` ask
:func:`rule_kind_of` and :func:`rule_kinds`, never a rule's attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np

from ...errors import Text
from .base import Explain, Need, changed


@dataclass
class GroupFindings:
    """What a whole-list rule found, one entry per finding: the reports, their values (1
    review, 2 violation), and per-finding arrays its :meth:`RuleKind.evidence` reads."""

    index: np.ndarray
    value: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    labels: Sequence[Callable[[int], str]] = ()


@dataclass
class GroupEvidence:
    """What findings of a whole-list rule report, one entry per finding: ``details`` (the
    finding's ``details``), ``values`` (what its message may name), and, when the rule
    measures a distance, ``distance``, ``threshold``, ``margin`` and ``reason``."""

    details: list[dict[str, Any]]
    values: dict[str, list[Any]]
    distance: list[float | None] | None = None
    threshold: list[float | None] | None = None
    margin: list[float | None] | None = None
    reason: list[str | None] | None = None


class WholeListContext(Protocol):
    """What the engine gives a whole-list kind: the projected reports and their groups."""

    n: int
    acc: np.ndarray
    """Each report's GPS error in metres."""
    px: np.ndarray
    py: np.ndarray
    """The reports projected, in metres (NaN where not located)."""
    assignment: np.ndarray
    """Each report's projection area (-1: none)."""
    rep: np.ndarray
    """Each report's duplicate group, as the index of its first report."""
    rank: np.ndarray
    """The fixed decision order (observed_at, then id, then row)."""

    def group_codes(self, fields: Sequence[Any]) -> tuple[np.ndarray, list[Callable[[int], str]]]:
        """One code per report for its values of ``fields`` (names, or ``("zone", CATEGORY)``
        for the zone of that category it lies in), and a label per field."""


@dataclass(frozen=True)
class Split:
    """How a whole-list rule can be checked a part of the list at a time (on a cluster).

    ``by="group"``: a report's findings depend only on the reports of its group (the
    group of its duplicate group's first counted report): the list is shuffled on it.
    ``by="near"``: only on reports of its group within ``reach_m`` metres plus the two
    reports' GPS errors: the list is cut into grid cells with a halo that wide.
    """

    by: str
    reach_m: float = 0.0


class RuleKind:
    """One kind of rule over the whole list; a module subclasses it and registers an instance.

    ``key`` is the rule's YAML key that selects it, ``node`` its frozen dataclass, ``schema``
    the key's JSON-schema (assembled into ``schemas/ruleset-1.json``), ``order`` where it is
    listed among the others. ``report_extras`` names the arrays of its
    :attr:`GroupFindings.extra` that hold the index of another report.
    """

    key: ClassVar[str] = ""
    node: ClassVar[type] = object
    schema: ClassVar[Mapping[str, Any]] = {}
    order: ClassVar[int] = 100
    report_extras: ClassVar[frozenset[str]] = frozenset()

    def groups(self, node: Any) -> tuple[Any, ...]:
        """What it passes to ``ctx.group_codes`` (fields and ``("zone", CATEGORY)`` items)."""
        return self.fields(node)

    def split(self, node: Any) -> Split | None:
        """How the list can be cut for it (None: it needs every counted report in one place)."""
        return None

    def compile(
        self, data: Mapping[str, Any], categories: frozenset[str] | None
    ) -> tuple[Any, list[tuple[tuple[Any, ...], Text | str]]]:
        """The node for a schema-valid mapping, and (path below the key, message) of each
        problem the schema cannot see (``categories`` None: not checked)."""
        raise NotImplementedError

    def needs(self, node: Any) -> tuple[Need, ...]:
        """Zone categories and report fields the rule's groups need."""
        return ()

    def fields(self, node: Any) -> tuple[str, ...]:
        """Report fields it reads by name."""
        return ()

    def zone_reach(self, node: Any) -> Iterable[tuple[str, float]]:
        """(zone category, metres) the spatial search must reach for it."""
        return ()

    def evaluate(self, node: Any, ctx: WholeListContext, counted: np.ndarray) -> GroupFindings:
        """The findings among the reports ``counted`` (the rule's conditions hold), on arrays."""
        raise NotImplementedError

    def labels(self, node: Any, ctx: WholeListContext) -> Sequence[Callable[[int], str]]:
        """What :meth:`evaluate` returns as :attr:`GroupFindings.labels`, for findings
        found elsewhere (a list checked in chunks or parts); by default, what it returns
        when it counts no report."""
        return self.evaluate(node, ctx, np.zeros(ctx.n, dtype=bool)).labels

    def evidence(
        self,
        node: Any,
        found: Mapping[str, list[Any]],
        index: list[int],
        review: list[bool],
        labels: Sequence[Callable[[int], str]],
        ids: Sequence[str],
    ) -> GroupEvidence:
        """What findings ``index`` (reports) report; ``found`` holds their entries of
        :attr:`GroupFindings.extra`, ``review`` whether each is in doubt, ``ids`` the report ids."""
        raise NotImplementedError

    def describe(self, node: Any, say: Explain, comply: bool) -> str:
        """The rule in words (with ``comply``: what meeting it takes)."""
        raise NotImplementedError


_RULE_KINDS: dict[str, RuleKind] = {}


def register_rule_kind(kind: RuleKind) -> RuleKind:
    """Add a whole-list rule kind; returns it."""
    if kind.key in _RULE_KINDS:
        raise ValueError(f"the rule key {kind.key!r} is taken")
    _RULE_KINDS[kind.key] = kind
    changed()
    return kind


def unregister_rule_kind(kind: RuleKind) -> None:
    """Remove a kind that :func:`register_rule_kind` added."""
    _RULE_KINDS.pop(kind.key, None)
    changed()


def rule_kinds() -> tuple[RuleKind, ...]:
    """Every registered whole-list rule kind, in order."""
    return tuple(sorted(_RULE_KINDS.values(), key=lambda kind: kind.order))


def rule_kind_of(rule: Any) -> tuple[RuleKind, Any] | None:
    """A rule's whole-list kind and node, or None for a rule about one report at a time."""
    if rule.whole_list is None:
        return None
    key, node = rule.whole_list
    return _RULE_KINDS[key], node
