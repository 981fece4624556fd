"""The summary of a run, built and added up by the same code everywhere.

:func:`summarise` counts a run's statuses per status, rule and party from arrays; a
whole run (:func:`~atribut_rules.check`) calls it with the engine's arrays, and a run
joined from per-report and whole-list parts (:mod:`atribut_rules.scale.chunks`) with
the arrays of its joined verdicts (:func:`summary_of_verdicts`). Chunks, worker
processes and Dask add their summaries up with :func:`merge_summaries` (and the writers
their summary records with :func:`add_counts` and :func:`add_rows`), so a list checked
in parts has the summary of one run over the whole list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..model import STATUS_CODES, Gap, Status, Summary, Verdict
from .status import CODE

FINDING_COUNTS = ("violation", "review", "exempt")
"""What ``Summary.by_rule`` counts per rule: its findings by status."""


def rule_counts(value: np.ndarray, exempt: np.ndarray | None) -> dict[str, int]:
    """A rule's finding counts from its findings' values (1 review, 2 violation) and, per
    finding, the permit that exempts it (-1 none; None when no permit was applied)."""
    exempted = exempt >= 0 if exempt is not None else np.zeros(len(value), dtype=bool)
    return {
        "violation": int(((value == 2) & ~exempted).sum()),
        "review": int(((value == 1) & ~exempted).sum()),
        "exempt": int(exempted.sum()),
    }


def summarise(
    status: np.ndarray,
    by_rule: Mapping[str, Mapping[str, int]],
    party_codes: np.ndarray,
    party_labels: Sequence[Any],
    first: np.ndarray | None,
    coverage: Mapping[str, Mapping[str, int]],
    gaps: tuple[Gap, ...],
) -> Summary:
    """The summary of ``len(status)`` reports.

    ``status`` holds indexes into ``STATUS_CODES``; ``party_codes`` each report's party as
    an index into ``party_labels`` (None for no party); ``first`` marks each distinct
    physical attribute's first valid report when the rule set groups duplicates (None
    when it does not).
    """
    n, k = len(status), len(STATUS_CODES)
    counts = np.bincount(status, minlength=k)
    by_status = {s.value: int(counts[i]) for i, s in enumerate(STATUS_CODES)}
    by_party: dict[str, dict[str, int]] = {}
    if n:
        table = np.zeros((len(party_labels), k), dtype=np.int64)
        np.add.at(table, (party_codes, status), 1)
        attributes = (
            np.bincount(party_codes[first], minlength=len(party_labels)) if first is not None else None
        )
        for u, label in enumerate(party_labels):
            row = {
                "reports": int(table[u].sum()),
                **{s.value: int(table[u, i]) for i, s in enumerate(STATUS_CODES)},
            }
            if attributes is not None:
                row["attributes"] = int(attributes[u])
            key = label if label is not None else ""
            by_party[key] = add_counts([by_party[key], row]) if key in by_party else row
    total = int(first.sum()) if first is not None else None
    return Summary(
        n,
        by_status,
        {rule: dict(c) for rule, c in by_rule.items()},
        dict(sorted(by_party.items())),
        total,
        dict(coverage),
        gaps,
    )


def summary_of_verdicts(
    verdicts: Sequence[Verdict],
    parties: Sequence[Any],
    rule_ids: Iterable[str],
    *,
    grouped: bool,
    attributes: int | None,
    coverage: Mapping[str, Mapping[str, int]],
    gaps: tuple[Gap, ...],
) -> Summary:
    """The summary of verdicts joined from parts: what :func:`summarise` gives for their arrays.

    ``parties`` is each report's party; ``attributes`` the list's count of distinct
    attributes when ``grouped`` (a chunk alone cannot count them).
    """
    status = np.fromiter((CODE[v.status] for v in verdicts), dtype=np.int8, count=len(verdicts))
    by_rule = {rule: dict.fromkeys(FINDING_COUNTS, 0) for rule in rule_ids}
    for v in verdicts:
        for f in v.findings:
            by_rule[f.rule][f.status.value] += 1
    labels: dict[Any, int] = {}
    party_codes = np.fromiter(
        (labels.setdefault(p, len(labels)) for p in parties), dtype=np.int64, count=len(verdicts)
    )
    first = (
        np.fromiter(
            (v.status is not Status.INVALID and v.group == v.report for v in verdicts),
            dtype=bool,
            count=len(verdicts),
        )
        if grouped
        else None
    )
    summary = summarise(status, by_rule, party_codes, list(labels), first, coverage, gaps)
    return dataclasses.replace(summary, attributes=attributes) if grouped else summary


def merge_summaries(parts: Sequence[Summary], attributes: int | None = None) -> Summary:
    """The summary of a list from the summaries of its consecutive parts (counts added up)."""
    first = parts[0]
    return Summary(
        sum(p.reports for p in parts),
        add_counts([p.by_status for p in parts]),
        {rule: add_counts([p.by_rule[rule] for p in parts]) for rule in first.by_rule},
        add_rows([p.by_party for p in parts], key=lambda kv: kv[0]),
        attributes,
        {rule: add_counts([p.coverage[rule] for p in parts]) for rule in first.coverage},
        first.gaps,
    )


def add_counts(counts: Sequence[Mapping[str, int]]) -> dict[str, int]:
    """Counts added up key by key, in the first's key order (then any new key's)."""
    total = dict(counts[0])
    for c in counts[1:]:
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    return total


def add_rows(
    tables: Sequence[Mapping[str, Mapping[str, int]]], key: Callable[[tuple[str, Any]], Any]
) -> dict[str, dict[str, int]]:
    """Tables of rows of counts (per party, per area) added up row by row, sorted by ``key``."""
    rows: dict[str, list[Mapping[str, int]]] = {}
    for table in tables:
        for label, row in table.items():
            rows.setdefault(label, []).append(row)
    return dict(sorted(((label, add_counts(parts)) for label, parts in rows.items()), key=key))
