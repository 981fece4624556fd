"""Run :func:`~atribut_rules.check` beyond one machine with Dask (optional extra ``dask``).

The list is read once into a :class:`~atribut_rules.Reports` table (a Dask
DataFrame's partitions are turned into records on the workers), cut into slices,
and every slice is checked against the per-report rules on a worker; the zones
and the compiled rule set are sent to the workers once. Rules over the whole list
(quotas, spacing, duplicate groups) then run where the whole list is, on the
compact columns, and their findings are merged into the slices' verdicts. The
result is the same :class:`~atribut_rules.Run` as a single-process ``check``,
verdict for verdict and in the same order.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

from ..errors import MissingExtraError, Text
from ..evaluate.check import check
from ..evaluate.permits import Permit
from ..model import Verdict
from ..results.run import Run
from ..rules import coverage
from ..rules.ruleset import RuleSet
from ..spatial.zones import Zones
from ..table.reports import Reports
from .chunks import merged_run, split_rules

DEFAULT_SLICE = 100_000


def _dask() -> Any:
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            Text("scale.running_on_dask_needs"), hint=Text("scale.install_pip_install_atribut_hint")
        ) from None
    import dask

    return dask


def records_from_frame(frame: Any) -> list[dict[str, Any]]:
    """A pandas DataFrame's rows as records, missing values (NaN, None, NaT) as None."""
    out = []
    for record in frame.to_dict("records"):
        out.append({k: (None if _missing(v) else v) for k, v in record.items()})
    return out


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NaTType", "NAType")


def read_partitions(data: Any, *, file: str = "<dask>") -> Reports:
    """A Dask DataFrame (or Bag of records, or a list of record lists) as one Reports table.

    Partitions are turned into records in parallel; rows are numbered in partition order.
    """
    dask = _dask()
    if hasattr(data, "map_partitions") and hasattr(data, "columns"):  # dask DataFrame
        parts = dask.compute(*[dask.delayed(records_from_frame)(p) for p in data.to_delayed()])
    elif hasattr(data, "to_delayed"):  # dask Bag
        parts = dask.compute(*[dask.delayed(list)(p) for p in data.to_delayed()])
    else:
        parts = data
    return Reports.from_records((r for part in parts for r in part), file=file)


def _check_slice(
    reports: Reports, zones: Zones, rules: RuleSet, permits: tuple[Permit, ...], partial: bool = False
) -> tuple[list[Verdict], dict[str, dict[str, int]]]:
    run = check(reports, zones, rules, permits=permits, threads=1, partial=partial)
    return list(run.verdicts), {k: dict(v) for k, v in run.summary.coverage.items()}


def check_dask(
    data: Any,
    zones: Zones,
    rules: RuleSet,
    *,
    permits: Sequence[Permit] = (),
    client: Any = None,
    slice_size: int = DEFAULT_SLICE,
    file: str = "<dask>",
    partial: bool = False,
) -> Run:
    """Check a Dask DataFrame or Bag of reports (or a :class:`Reports` table) on a Dask cluster.

    ``client`` is a ``distributed.Client``; without one, Dask's default scheduler runs
    the slices. The returned run equals ``check(reports, zones, rules, permits=permits)``.
    """
    dask = _dask()
    reports = data if isinstance(data, Reports) else read_partitions(data, file=file)
    gaps = coverage.find_gaps(rules, coverage.loaded(zones, reports))
    if gaps and not partial:  # refused here, before any worker starts
        raise coverage.CoverageError(gaps)
    per_report, whole = split_rules(rules)
    if whole is None:  # still run once centrally: provenance, and the same Run shape
        whole = dataclasses.replace(rules, rules=(), duplicates=None)
    permits = tuple(permits)
    bounds = [(s, min(s + slice_size, len(reports))) for s in range(0, len(reports), slice_size)]
    if client is not None:
        # zones and rules go to every worker once, not with every task
        zones_f, rules_f, permits_f = client.scatter([zones, per_report, permits], broadcast=True)
        futures = [
            client.submit(_check_slice, reports.slice(a, b), zones_f, rules_f, permits_f, partial)
            for a, b in bounds
        ]
        parts = client.gather(futures)
    else:
        tasks = [
            dask.delayed(_check_slice)(reports.slice(a, b), zones, per_report, permits, partial)
            for a, b in bounds
        ]
        parts = dask.compute(*tasks)
    verdicts = [v for part, _ in parts for v in part]
    rule_coverage: dict[str, dict[str, int]] = {}
    for _, part_coverage in parts:
        for rule_id, counts in part_coverage.items():
            total = rule_coverage.setdefault(rule_id, dict.fromkeys(counts, 0))
            for key, value in counts.items():
                total[key] += value
    central = check(reports, zones, whole, permits=permits, partial=partial)
    return merged_run(
        verdicts,
        central.verdicts,
        reports,
        zones,
        rules,
        central.provenance,
        central.summary.attributes,
        coverage={**rule_coverage, **central.summary.coverage},
        gaps=gaps,
    )
