"""Check a list too long to hold at once, one chunk of rows at a time.

Rules about one report at a time (places, sizes, dates) need nothing but the
chunk: :func:`check_chunks` checks each chunk and hands back its verdicts, and
the chunk can then be written and dropped. Rules over the whole list (quotas,
spacing, duplicate groups) need every report: :func:`whole_list_run` runs them
once over compact columns of all chunks (only the fields those rules read; no
input cells, no unused columns), and :func:`check_chunks` merges their findings
into each chunk's verdicts. The verdicts are the same, in the same order, as
one :func:`~atribut_rules.check` over the whole list. :mod:`atribut_rules.scale.dask`
uses the same split to spread the chunks over a cluster.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ..evaluate.check import check
from ..evaluate.permits import Permit
from ..model import STATUS_CODES, Gap, ProjectionArea, Provenance, Status, Verdict
from ..results.run import Run
from ..results.status import status_of
from ..results.summary import summary_of_verdicts
from ..rules.conditions import kind_of, walk
from ..rules.conditions.duplicates import fields as duplicate_fields
from ..rules.conditions.whole_list import rule_kind_of
from ..rules.ruleset import RuleSet
from ..spatial.zones import Zones
from ..table.fields import CORE_FIELDS
from ..table.reports import Reports

__all__ = [
    "check_chunk",
    "check_chunks",
    "concat_reports",
    "merge_provenance",
    "merged_run",
    "split_rules",
    "whole_list_run",
]


def split_rules(rules: RuleSet) -> tuple[RuleSet, RuleSet | None]:
    """The rule set cut in two: rules about one report, and rules over the whole list (or None)."""
    per_report = tuple(r for r in rules.rules if rule_kind_of(r) is None)
    whole = tuple(r for r in rules.rules if rule_kind_of(r) is not None)
    if not any(r.enabled for r in whole) and rules.duplicates is None:
        return rules, None
    return (
        dataclasses.replace(rules, rules=per_report, duplicates=None),
        dataclasses.replace(rules, rules=whole),
    )


def fields_read(rules: RuleSet) -> set[str]:
    """Report fields the rules read: in conditions, groups, duplicate keys and message placeholders."""
    from ..results.messages import PLACEHOLDER_NAMES as _PLACEHOLDER_NAMES

    names: set[str] = set()
    for rule in rules.rules:
        for cond in (rule.when, rule.applies_to, rule.area):
            if cond is not None:
                names.update(name for c in walk(cond) for name in kind_of(c).fields(c))
        found = rule_kind_of(rule)
        if found is not None:
            names.update(found[0].fields(found[1]))
        for template in rule.message.values():
            names.update(_PLACEHOLDER_NAMES.findall(template))
    if rules.duplicates is not None:
        names.update(duplicate_fields(rules.duplicates))
    return names


def compact(reports: Reports, keep: set[str]) -> Reports:
    """``reports`` without its input cells and without the extra columns not in ``keep``."""
    return dataclasses.replace(reports, extra={k: v for k, v in reports.extra.items() if k in keep}, raw=[])


def concat_reports(parts: Sequence[Reports]) -> Reports:
    """One table from consecutive chunks of the same list (problems re-indexed)."""
    return Reports.concat(parts)


def whole_list_run(
    chunks: Iterable[Reports],
    zones: Zones,
    rules: RuleSet,
    *,
    permits: Sequence[Permit] = (),
    partial: bool = False,
) -> Run | None:
    """The whole-list rules over every chunk (first pass), or None when the rule set has none.

    Only the columns those rules read are kept from each chunk while the list is read.
    """
    _, whole = split_rules(rules)
    if whole is None:
        return None
    keep = fields_read(whole) - set(CORE_FIELDS)
    table = concat_reports([compact(c, keep) for c in chunks])
    return check(table, zones, whole, permits=permits, partial=partial)


def check_chunks(
    chunks: Iterable[Reports],
    zones: Zones,
    rules: RuleSet,
    *,
    permits: Sequence[Permit] = (),
    whole: Run | None = None,
    threads: int | None = None,
    partial: bool = False,
) -> Iterator[Run]:
    """Check consecutive chunks of one list; yield one run per chunk, with final verdicts.

    ``whole`` is :func:`whole_list_run` over the same chunks (needed when the rule
    set has whole-list rules). A chunk's run has the chunk's reports and verdicts;
    its summary counts the chunk (see :func:`merge_provenance` and the writers'
    summary merging for the whole list).
    """
    _, whole_rules = split_rules(rules)
    if whole_rules is not None and whole is None:
        raise ValueError("this rule set has whole-list rules: pass whole=whole_list_run(...)")
    offset = 0
    for chunk in chunks:
        yield check_chunk(
            chunk, offset, zones, rules, permits=permits, whole=whole, threads=threads, partial=partial
        )
        offset += len(chunk)


def check_chunk(
    chunk: Reports,
    offset: int,
    zones: Zones,
    rules: RuleSet,
    *,
    permits: Sequence[Permit] = (),
    whole: Run | None = None,
    threads: int | None = None,
    partial: bool = False,
) -> Run:
    """One chunk's run: ``chunk`` holds rows ``offset:offset + len(chunk)`` of the list.

    With ``whole``, the chunk is checked with every rule in one go, the whole-list results
    of its rows given (:meth:`~atribut_rules.evaluate.check.Evaluation.whole_list_given`):
    its verdicts come from arrays, as in one check of the whole list.
    """
    if whole is None:
        per_report, _ = split_rules(rules)
        return check(chunk, zones, per_report, permits=permits, threads=threads, partial=partial)
    given = whole.verdicts.evaluation.whole_list_given(offset, offset + len(chunk))
    return check(chunk, zones, rules, permits=permits, threads=threads, partial=partial, given=given)


def merge_provenance(parts: Sequence[Provenance]) -> Provenance:
    """The provenance of a list checked in chunks: projection areas with their reports summed."""
    areas: dict[tuple[str, str, float, float], int] = {}
    inputs: dict[str, str] = {}
    for p in parts:
        inputs.update(p.inputs)
        for a in p.crs:
            key = (a.name, a.crs, a.lon_min, a.lon_max)
            areas[key] = areas.get(key, 0) + a.reports
    ordered = sorted(areas.items(), key=lambda kv: (kv[0][0] != "data", kv[0][2], kv[0][0]))
    return dataclasses.replace(
        parts[0], crs=tuple(ProjectionArea(*key, count) for key, count in ordered), inputs=inputs
    )


# -- merging per-report and whole-list findings ----------------------------------------


def merged_run(
    per_report: Iterable[Verdict],
    whole_list: Iterable[Verdict],
    reports: Reports,
    zones: Zones,
    rules: RuleSet,
    provenance: Provenance,
    attributes: int | None = None,
    *,
    coverage: Mapping[str, Mapping[str, int]] | None = None,
    gaps: tuple[Gap, ...] = (),
) -> Run:
    """The run of ``reports`` whose verdicts join their per-report and whole-list findings.

    ``attributes`` is the list's count of distinct attributes (see :class:`Summary`);
    ``coverage`` and ``gaps`` are the summary's (per-report and whole-list rules together).
    """
    order = {r.id: k for k, r in enumerate(rules.rules)}
    merged = [_merge_verdicts(a, b, order) for a, b in zip(per_report, whole_list)]
    status = np.array([STATUS_CODES.index(v.status) for v in merged], dtype=np.int8)
    known = {r.id: k for k, r in enumerate(rules.active_rules)}
    summary = summary_of_verdicts(
        merged,
        reports.party,
        known,
        grouped=rules.duplicates is not None,
        attributes=attributes,
        coverage=dict(sorted((coverage or {}).items(), key=lambda kv: known.get(kv[0], len(known)))),
        gaps=tuple(sorted(set(gaps), key=lambda g: (g.kind != "zone_category", g.kind, g.name))),
    )
    return Run(MergedVerdicts(merged, status), summary, provenance, reports, rules, zones)


def _merge_verdicts(a: Verdict, b: Verdict, order: dict[str, int]) -> Verdict:
    """One report's verdict from its per-report findings ``a`` and whole-list findings ``b``."""
    if a.status is Status.INVALID:
        return dataclasses.replace(a, group=b.group)
    findings = tuple(sorted(a.findings + b.findings, key=lambda f: order.get(f.rule, len(order))))
    unchecked = tuple(sorted(a.unchecked + b.unchecked, key=lambda r: order.get(r, len(order))))
    return dataclasses.replace(
        a,
        status=status_of((f.status for f in findings), unchecked=bool(unchecked)),
        findings=findings,
        group=b.group,
        unchecked=unchecked,
    )


class MergedVerdicts(Sequence[Verdict]):
    """Merged verdicts in input order, with the status array and worst severity a Run needs."""

    def __init__(self, verdicts: list[Verdict], status: np.ndarray):
        self._verdicts, self._status = verdicts, status

    def __len__(self) -> int:
        return len(self._verdicts)

    @property
    def status_codes(self) -> np.ndarray:
        """Every verdict's status as an index into ``STATUS_CODES``, in input order."""
        return self._status

    def __getitem__(self, i: Any) -> Any:
        return self._verdicts[i]

    def __iter__(self) -> Iterator[Verdict]:
        return iter(self._verdicts)

    def worst_rank(self) -> int:
        ranks = [f.severity.rank for v in self._verdicts for f in v.findings if f.status is Status.VIOLATION]
        return max(ranks, default=-1)
