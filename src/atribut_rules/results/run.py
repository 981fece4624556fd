"""What :func:`~atribut_rules.check` returns: the run, its verdicts in input order, provenance."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

import numpy as np

from ..model import STATUS_CODES, Provenance, Severity, Status, Summary, Verdict
from ..rules.ruleset import RuleSet
from ..spatial.zones import Zones
from ..table.reports import Reports
from .blocks import VerdictBlock

if TYPE_CHECKING:
    from ..evaluate.check import Evaluation
    from .findings import VerdictBuilder

FIELD_BLOCK = 4096
"""Verdicts per :class:`~.blocks.VerdictBlock`."""
ENGINE = "atribut-rules"


def engine_version() -> str:
    """The installed version of atribut-rules."""
    try:
        from importlib.metadata import version

        return version("atribut-rules")
    except Exception:  # pragma: no cover - running from a bare source tree
        return "0+unknown"


@dataclass(frozen=True)
class Run:
    """The result of :func:`check`: verdicts in input order, a summary, and provenance.

    ``verdicts`` is a sequence: ``run.verdicts[i]`` is the verdict of input row ``i``.
    ``status_codes`` gives all statuses as one array (index into ``STATUS_CODES``).
    """

    verdicts: VerdictList
    summary: Summary
    provenance: Provenance
    reports: Reports = field(repr=False)
    ruleset: RuleSet = field(repr=False)
    zones: Zones = field(repr=False)

    @property
    def status_codes(self) -> np.ndarray:
        """Every verdict's status as an index into ``STATUS_CODES``, in input order."""
        return self.verdicts.status_codes

    def exit_code(self, fail_on: Severity | None = Severity.ERROR) -> int:
        """1 when some violation finding is at least as severe as ``fail_on``, else 0."""
        if fail_on is None:
            return 0
        return 1 if self.verdicts.worst_rank() >= fail_on.rank else 0


class FindingIndex:
    """Which (rule, finding) pairs belong to each report, as sorted arrays (no per-finding Python).

    The per-report lists are built on the first :meth:`entries` call, so that ``check``
    itself makes no Python object per finding (they would only feed the garbage collector).
    """

    def __init__(self, per_rule: list[np.ndarray], n: int):
        self._per_rule, self._n = per_rule, n
        self._starts: list[int] | None = None
        self.pairs_within: list[tuple[int, int]] = []

    def _build(self) -> list[int]:
        per_rule, n = self._per_rule, self._n
        empty = np.zeros(0, dtype=np.int64)
        reports = np.concatenate(per_rule) if per_rule else empty
        rules = (
            np.concatenate([np.full(len(ix), r, dtype=np.int64) for r, ix in enumerate(per_rule)])
            if per_rule
            else empty
        )
        ks = np.concatenate([np.arange(len(ix)) for ix in per_rule]) if per_rule else empty
        order = np.argsort(reports, kind="stable")
        self.pairs_within = list(zip(rules[order].tolist(), ks[order].tolist()))
        self._starts = np.searchsorted(reports[order], np.arange(n + 1)).tolist()
        return self._starts

    def entries(self, i: int) -> list[tuple[int, int]]:
        starts = self._starts if self._starts is not None else self._build()
        return self.pairs_within[starts[i] : starts[i + 1]]


class VerdictList(Sequence[Verdict]):
    """Verdicts in input order, built on access from the engine's arrays."""

    def __init__(self, builder: VerdictBuilder, status: np.ndarray, by_report: FindingIndex):
        self._builder = builder
        self._status = status
        self._by_report = by_report

    def __len__(self) -> int:
        return len(self._status)

    @property
    def evaluation(self) -> Evaluation:
        """The evaluation the verdicts are made from (its arrays, for a chunk's check)."""
        return self._builder.evaluation

    @property
    def status_codes(self) -> np.ndarray:
        """Every verdict's status as an index into ``STATUS_CODES``, in input order."""
        return self._status

    @overload
    def __getitem__(self, i: int) -> Verdict: ...

    @overload
    def __getitem__(self, i: slice) -> list[Verdict]: ...

    def __getitem__(self, i: int | slice) -> Verdict | list[Verdict]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._builder.verdict(i, STATUS_CODES[self._status[i]], self._by_report.entries(i))

    def __iter__(self) -> Iterator[Verdict]:
        verdict, entries = self._builder.verdict, self._by_report.entries
        for i, code in enumerate(self._status.tolist()):
            yield verdict(i, STATUS_CODES[code], entries(i))

    def field_blocks(self, size: int = FIELD_BLOCK) -> Iterator[VerdictBlock]:
        """Every verdict in input order as plain values, ``size`` at a time, without
        building its objects.

        What the JSON writers read. Verdicts with status ok come as columns; each other
        verdict as ``(report, status, findings, file, row, problems, ruleset, group)``,
        each finding a place in a block of :class:`FindingColumns` (see :data:`VerdictRefs`).
        """
        evaluation = self._builder.evaluation
        fields, entries = self._builder.verdict_refs, self._by_report.entries
        ids, rows = evaluation.reports.ids, evaluation.row_numbers
        grouped = evaluation.rules.duplicates is not None
        ok_code = STATUS_CODES.index(Status.OK)
        for start in range(0, len(self._status), size):
            codes = self._status[start : start + size]
            is_ok = codes == ok_code
            ok = (np.flatnonzero(is_ok) + start).tolist()
            other = (np.flatnonzero(~is_ok) + start).tolist()
            yield VerdictBlock(
                ok=is_ok.tolist(),
                ok_ids=[ids[i] for i in ok],
                ok_rows=[rows[i] for i in ok],
                ok_groups=[evaluation.group_ids[j] for j in evaluation.rep[ok].tolist()] if grouped else None,
                file=evaluation.reports.file,
                ruleset=evaluation.ruleset_ref,
                others=[
                    fields(i, STATUS_CODES[code], entries(i))
                    for i, code in zip(other, codes[~is_ok].tolist())
                ],
            )

    def worst_rank(self) -> int:
        """The highest severity rank among violation findings (-1 when none)."""
        return self._builder.evaluation.worst_rank()

    def coverage(self, start: int = 0, stop: int | None = None) -> dict[str, dict[str, int]]:
        """Per enabled rule, over verdicts ``start:stop``: ``applicable``, ``checked`` and
        ``unchecked`` report counts (see :class:`~atribut_rules.model.Summary`)."""
        return self._builder.evaluation.coverage(start, len(self) if stop is None else stop)
