"""The verdicts a run hands to writers as plain values: named records and columnar blocks.

Writers that encode many verdicts (JSON, JSON Lines, GeoJSON) read these instead of
:class:`~atribut_rules.model.Verdict` objects: a verdict with status ``ok`` comes as a
column entry, every other verdict as a :class:`VerdictRecord` whose findings are places
in blocks of :class:`FindingColumns`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..model import Problem, RuleSetRef, Severity, Status, ZoneRef


class FindingValues(NamedTuple):
    """A finding's values, in the order of :class:`~atribut_rules.model.Finding`'s fields."""

    rule: str
    severity: Severity
    status: Status
    message: dict[str, str]
    legal_basis: Any
    title: Any
    zone: ZoneRef | None
    distance_m: float | None
    threshold_m: float | None
    margin_m: float | None
    accuracy_m: float | None
    accuracy_source: str | None
    reason: str | None
    permit: str | None
    details: dict[str, Any]


@dataclass
class FindingColumns:
    """Consecutive findings of one rule as columns: what the engine makes them from, and
    what the JSON writers encode a column at a time (:class:`VerdictBlock` refers to them).

    The rule's own values (``rule``, ``severity``, ``legal_basis``, ``title``) are shared by
    every finding; each list holds one value per finding. ``texts[k][j]`` is finding ``j``'s
    message in language ``langs[k]``.
    """

    rule: str
    severity: Severity
    legal_basis: Any  # the rule's own mapping ({lang: text}), not a copy
    title: Any  # the rule's own mapping, not a copy
    status: list[Status]
    langs: tuple[str, ...]
    texts: list[list[str]]
    zone: list[ZoneRef | None]
    distance: list[float | None]
    threshold: list[float | None]
    margin: list[float | None]
    accuracy: list[float | None]
    accuracy_source: list[str | None]
    reason: list[str | None]
    permit: list[str | None]
    details: list[dict[str, Any]]
    _rows: list[FindingValues] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.status)

    def fields(self, j: int) -> FindingValues:
        """Finding ``j`` as a tuple of :class:`Finding`'s fields, in their order."""
        if self._rows is None:
            langs = self.langs
            messages = (
                [{langs[0]: a, langs[1]: b} for a, b in zip(*self.texts)]
                if len(langs) == 2
                else [dict(zip(langs, row)) for row in zip(*self.texts)]
            )
            self._rows = list(
                itertools.starmap(
                    FindingValues,
                    zip(
                        itertools.repeat(self.rule),
                        itertools.repeat(self.severity),
                        self.status,
                        messages,
                        itertools.repeat(self.legal_basis),
                        itertools.repeat(self.title),
                        self.zone,
                        self.distance,
                        self.threshold,
                        self.margin,
                        self.accuracy,
                        self.accuracy_source,
                        self.reason,
                        self.permit,
                        self.details,
                    ),
                )
            )
        return self._rows[j]


FindingRef = tuple[FindingColumns, int]
"""A finding as its block of columns and its place in it."""


class VerdictRecord(NamedTuple):
    """One verdict as plain values, each finding a place in its block of columns."""

    report: str
    status: Status
    findings: list[FindingRef]
    file: str | None
    row: int
    problems: tuple[Problem, ...]
    ruleset: RuleSetRef | None
    group: str | None
    unchecked: tuple[str, ...]


class VerdictValues(NamedTuple):
    """One verdict as plain values, each finding as its :class:`FindingValues`."""

    report: str
    status: Status
    findings: list[FindingValues]
    file: str | None
    row: int
    problems: tuple[Problem, ...]
    ruleset: RuleSetRef | None
    group: str | None
    unchecked: tuple[str, ...]


@dataclass(frozen=True)
class VerdictBlock:
    """Consecutive verdicts as plain values (see :meth:`VerdictList.field_blocks`).

    A verdict with status ok has no finding and no problem, so it differs from another
    only in its report id, row and group: those come as columns. Every other verdict
    comes whole, as a :class:`VerdictRecord`: its findings are places in blocks of
    :class:`FindingColumns`, which are shared by the verdicts of many blocks.
    """

    ok: list[bool]  # per verdict of the block, in order: is its status ok
    ok_ids: list[str]  # report id of each ok verdict
    ok_rows: list[int]  # row of each ok verdict
    ok_groups: list[str] | None  # duplicate group of each ok verdict; None when nothing is grouped
    file: str | None  # source file of every verdict
    ruleset: RuleSetRef | None  # rule set reference of every verdict
    others: list[VerdictRecord]  # the verdicts that are not ok, in order
