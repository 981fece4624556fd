"""The engine: evaluate a rule set against zones for a whole list of reports at once.

Data flow: reports (columns) -> projection areas -> one STRtree per area over
zone envelopes grown by the largest distance any rule asks of their category
-> one bulk query -> ``shapely.distance`` on candidate pairs -> per report and
category the signed distance to the nearest zone -> rules evaluated on whole
columns in three-valued logic -> findings for the few reports a rule touches.
Verdicts are built lazily when read, so a million ``ok`` reports cost no objects.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np
import pyproj
import shapely

from .. import i18n
from ..model import (
    Finding,
    Gap,
    Problem,
    ProjectionArea,
    Provenance,
    RuleSetRef,
    Severity,
    Source,
    Status,
    Summary,
    Verdict,
    ZoneRef,
    fast_constructor,
)
from ..rules import coverage
from ..rules.conditions import Condition, kind_of, leaves, walk
from ..rules.ruleset import Rule, RuleSet, clip_message
from ..spatial.candidates import BoxCells, envelopes
from ..spatial.projection import Area, plan_areas, project
from ..spatial.zones import Zones
from ..table.reports import Reports
from . import wholelist
from .permits import Permit

ENGINE = "atribut-rules"
CHUNK = 125_000
"""Reports per bulk query: bounds the memory of candidate pairs, paces progress, and is
the unit of work handed to threads."""

PREPARE_SPLIT = 20_000
"""Zones in reach from which their projection and envelopes are shared among the threads."""

LINE_PIECE = 16
"""Vertices per piece a longer line zone (a road) is indexed and measured in: a report is a
candidate of the pieces near it, not of a whole line whose envelope may span the city."""

TOLERANCE_M = 0.001
"""Distances within 1 mm of a threshold count as equal to it (thresholds are inclusive)."""

FALSE, UNKNOWN, TRUE = np.int8(0), np.int8(1), np.int8(2)
STATUS_CODES = (Status.VIOLATION, Status.REVIEW, Status.UNCHECKED, Status.EXEMPT, Status.OK, Status.INVALID)
_CODE = {s: i for i, s in enumerate(STATUS_CODES)}
_new_source = fast_constructor(Source)
_FINDING_BLOCK = 1024
"""Findings of one rule made at a time while verdicts are read in order."""
FindingFields = tuple[Any, ...]
"""A Finding's fields in declaration order (see :meth:`VerdictList.field_blocks`)."""
VerdictFields = tuple[
    str,
    Status,
    list[FindingFields],
    str,
    int,
    tuple[Problem, ...],
    RuleSetRef | None,
    str | None,
    tuple[str, ...],
]
"""(report, status, findings, file, row, problems, ruleset, group, unchecked) of one verdict."""
_FIELD_BLOCK = 4096
"""Verdicts per :class:`VerdictBlock`."""


@dataclass(frozen=True)
class VerdictBlock:
    """Consecutive verdicts as plain values (see :meth:`VerdictList.field_blocks`).

    A verdict with status ok has no finding and no problem, so it differs from another
    only in its report id, row and group: those come as columns. Every other verdict
    comes whole, as :data:`VerdictRefs`: its findings are places in blocks of
    :class:`FindingColumns`, which are shared by the verdicts of many blocks.
    """

    ok: list[bool]  # per verdict of the block, in order: is its status ok
    ok_ids: list[str]  # report id of each ok verdict
    ok_rows: list[int]  # row of each ok verdict
    ok_groups: list[str] | None  # duplicate group of each ok verdict; None when nothing is grouped
    file: str | None  # source file of every verdict
    ruleset: RuleSetRef | None  # rule set reference of every verdict
    others: list[VerdictRefs]  # the verdicts that are not ok, in order


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
    _rows: list[FindingFields] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.status)

    def fields(self, j: int) -> FindingFields:
        """Finding ``j`` as a tuple of :class:`Finding`'s fields, in their order."""
        if self._rows is None:
            langs = self.langs
            messages = (
                [{langs[0]: a, langs[1]: b} for a, b in zip(*self.texts)]
                if len(langs) == 2
                else [dict(zip(langs, row)) for row in zip(*self.texts)]
            )
            self._rows = list(
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
                )
            )
        return self._rows[j]


FindingRef = tuple[FindingColumns, int]
"""A finding as its block of columns and its place in it."""
VerdictRefs = tuple[
    str,
    Status,
    list[FindingRef],
    str,
    int,
    tuple[Problem, ...],
    RuleSetRef | None,
    str | None,
    tuple[str, ...],
]
"""(report, status, findings, file, row, problems, ruleset, group, unchecked), the findings as
references."""


_new_verdict = fast_constructor(Verdict)
_new_finding = fast_constructor(Finding)


def engine_version() -> str:
    """The installed version of atribut-rules."""
    try:
        from importlib.metadata import version

        return version("atribut-rules")
    except Exception:  # pragma: no cover - running from a bare source tree
        return "0+unknown"


@dataclass
class _Spatial:
    """Per category: signed distance from each report to the nearest zone, and that zone."""

    categories: list[str]
    signed: np.ndarray  # (n_categories, n_reports), +inf where no zone is in reach
    zone: np.ndarray  # (n_categories, n_reports), -1 where none


@dataclass
class _RuleResult:
    index: np.ndarray  # report indices with a finding
    value: np.ndarray  # 1 (review) or 2 (violation) per finding
    leaf: np.ndarray  # index into the rule's evidence leaves, -1 when none
    extra: dict[str, np.ndarray] = field(default_factory=dict)  # per finding: quota/spacing evidence
    exempt: np.ndarray | None = None  # per finding: index of the permit that exempts it, -1 none
    permit_note: np.ndarray | None = None  # per finding: a permit whose scope matched but not its dates

    def effective(self) -> np.ndarray:
        """Values with exempted findings set to 0."""
        return self.value if self.exempt is None else np.where(self.exempt >= 0, 0, self.value)


@dataclass
class _FindingFacts:
    """Per finding of one rule, as plain Python values (numpy scalars are slow one by one)."""

    rule: Rule
    index: list[int]  # the report of each finding
    value: list[int]
    leaf: list[int]
    leaves: list[Condition]
    exempt: list[int] | None
    permit_note: list[int] | None
    acc: list[float]
    acc_reported: list[bool]
    undated: list[bool]
    zone: list[int]
    signed: list[float]
    extra: dict[str, list[Any]]
    templates: tuple[tuple[str, str, tuple[str, ...]], ...]
    report: dict[str, list[Any]]  # per message placeholder: the report's own value (None if none)


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
        return self.verdicts._status

    def exit_code(self, fail_on: Severity | None = Severity.ERROR) -> int:
        """1 when some violation finding is at least as severe as ``fail_on``, else 0."""
        if fail_on is None:
            return 0
        return 1 if self.verdicts.worst_rank() >= fail_on.rank else 0


class _FindingIndex:
    """Which (rule, finding) pairs belong to each report, as sorted arrays (no per-finding Python).

    The per-report lists are built on the first :meth:`entries` call, so that ``check``
    itself makes no Python object per finding (they would only feed the garbage collector).
    """

    def __init__(self, per_rule: list[np.ndarray], n: int):
        self._per_rule, self._n = per_rule, n
        self._starts: list[int] | None = None
        self._pairs: list[tuple[int, int]] = []

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
        self._pairs = list(zip(rules[order].tolist(), ks[order].tolist()))
        self._starts = np.searchsorted(reports[order], np.arange(n + 1)).tolist()
        return self._starts

    def entries(self, i: int) -> list[tuple[int, int]]:
        starts = self._starts if self._starts is not None else self._build()
        return self._pairs[starts[i] : starts[i + 1]]


class VerdictList(Sequence[Verdict]):
    """Verdicts in input order, built on access from the engine's arrays."""

    def __init__(self, engine: _Evaluation, status: np.ndarray, by_report: _FindingIndex):
        self._engine = engine
        self._status = status
        self._by_report = by_report

    def __len__(self) -> int:
        return len(self._status)

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
        return self._engine.verdict(i, STATUS_CODES[self._status[i]], self._by_report.entries(i))

    def __iter__(self) -> Iterator[Verdict]:
        verdict, entries = self._engine.verdict, self._by_report.entries
        for i, code in enumerate(self._status.tolist()):
            yield verdict(i, STATUS_CODES[code], entries(i))

    def field_blocks(self, size: int = _FIELD_BLOCK) -> Iterator[VerdictBlock]:
        """Every verdict in input order as plain values, ``size`` at a time, without
        building its objects.

        What the JSON writers read. Verdicts with status ok come as columns; each other
        verdict as ``(report, status, findings, file, row, problems, ruleset, group)``,
        each finding a place in a block of :class:`FindingColumns` (see :data:`VerdictRefs`).
        """
        engine = self._engine
        fields, entries = engine.verdict_refs, self._by_report.entries
        ids, rows = engine.reports.ids, engine._rows
        grouped = engine.rules.duplicates is not None
        ok_code = _CODE[Status.OK]
        for start in range(0, len(self._status), size):
            codes = self._status[start : start + size]
            is_ok = codes == ok_code
            ok = (np.flatnonzero(is_ok) + start).tolist()
            other = (np.flatnonzero(~is_ok) + start).tolist()
            yield VerdictBlock(
                ok=is_ok.tolist(),
                ok_ids=[ids[i] for i in ok],
                ok_rows=[rows[i] for i in ok],
                ok_groups=[ids[j] for j in engine.rep[ok].tolist()] if grouped else None,
                file=engine.reports.file,
                ruleset=engine._ref,
                others=[
                    fields(i, STATUS_CODES[code], entries(i))
                    for i, code in zip(other, codes[~is_ok].tolist())
                ],
            )

    def worst_rank(self) -> int:
        """The highest severity rank among violation findings (-1 when none)."""
        return self._engine.worst_rank()

    def coverage(self, start: int = 0, stop: int | None = None) -> dict[str, dict[str, int]]:
        """Per enabled rule, over verdicts ``start:stop``: ``applicable``, ``checked`` and
        ``unchecked`` report counts (see :class:`~atribut_rules.model.Summary`)."""
        return self._engine.coverage(start, len(self) if stop is None else stop)


def check(
    reports: Reports,
    zones: Zones,
    rules: RuleSet,
    *,
    permits: Sequence[Permit] = (),
    progress: Callable[[int, int], None] | None = None,
    threads: int | None = None,
    partial: bool = False,
) -> Run:
    """Check every report against every enabled rule; one verdict per report, in order.

    Before anything is evaluated, what the enabled rules need (zone categories, zone
    ids, report columns, derived from their conditions) is compared with what was
    loaded: a gap raises :class:`~atribut_rules.rules.coverage.CoverageError`, naming each
    missing thing and the rules that need it. With ``partial=True`` the check runs
    anyway: each verdict lists in ``unchecked`` the rules that apply to the report but
    could not be evaluated, and a report that no checked rule flags is ``unchecked``,
    never ``ok``.

    ``permits`` (see :func:`~atribut_rules.evaluate.permits.load_permits`) are applied
    together with the rule set's own ``exemptions``. ``progress``, when given, is
    called as ``progress(reports_done, reports_total)`` while the spatial work runs.
    ``threads`` is how many threads run the spatial work (default: the CPU count, at
    most 8); results are the same for any number.
    """
    have = coverage.loaded(zones, reports)
    gaps = coverage.find_gaps(rules, have)
    if gaps and not partial:
        raise coverage.CoverageError(gaps)
    evaluation = _Evaluation(
        reports, zones, rules, tuple(rules.exemptions) + tuple(permits), progress, threads, (have, gaps)
    )
    return evaluation.run()


class _Evaluation:
    def __init__(
        self,
        reports: Reports,
        zones: Zones,
        rules: RuleSet,
        permits: tuple[Permit, ...] = (),
        progress: Callable[[int, int], None] | None = None,
        threads: int | None = None,
        have_and_gaps: tuple[coverage.Loaded, tuple[Gap, ...]] | None = None,
    ):
        if have_and_gaps is None:
            have = coverage.loaded(zones, reports)
            have_and_gaps = (have, coverage.find_gaps(rules, have))
        self.have, self.gaps = have_and_gaps
        # what each rule lacks (only in a partial run); rules not listed lack nothing
        self.lacking = {
            r.id: lack for r in rules.active_rules if (lack := coverage.missing_needs(r, self.have))
        }
        self.unchecked: dict[str, np.ndarray] = {}  # rule id -> reports it applies to but could not check
        self.applicable: dict[str, np.ndarray] = {}  # rule id -> the reports it applies to
        self.permits = permits
        self.progress = progress
        self.threads = threads if threads is not None else min(os.cpu_count() or 1, 8)
        self.reports = reports
        self.zones = zones
        self.rules = rules
        self.n = len(reports)
        self.active = rules.active_rules
        self.problems: dict[int, list[Problem]] = {k: list(v) for k, v in reports.problems.items()}
        self._columns: dict[str, Any] = {}
        self._leaf_values: dict[int, np.ndarray] = {}
        self.results: dict[str, _RuleResult] = {}
        self._group_labels: dict[str, list[Callable[[int], str]]] = {}
        self._templates: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
        self.evidence_leaves: dict[str, list[tuple[Condition, bool]]] = {}
        self._rows: list[int] = reports.rows.tolist()  # plain ints: numpy scalars are slow one by one
        self._ref = RuleSetRef(rules.id, rules.version, rules.sha256)
        self._zone_refs: dict[int, ZoneRef] = {}
        self._finding_facts: dict[int, _FindingFacts] = {}
        self._finding_blocks: dict[int, tuple[int, FindingColumns]] = {}
        self._reason_texts: dict[tuple[str, str, str], dict[str, str]] = {}
        self._reason_suffixes: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._near_by_rule: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._tidy_templates: dict[str, bool] = {}
        self._clean_values: dict[Any, bool] = {}
        self._filled: dict[tuple[Any, ...], str] = {}

    # -- spatial -----------------------------------------------------------------
    def _thresholds(self) -> dict[str, float]:
        needs: dict[str, float] = {}
        for rule in self.active:
            if rule.quota is not None:
                for item in rule.quota.per:
                    if isinstance(item, tuple):
                        needs.setdefault(item[1], 0.0)
            for cond in (rule.applies_to, rule.when, rule.area):
                if cond is None:
                    continue
                for node in walk(cond):
                    for category, reach in kind_of(node).zone_reach(node):
                        needs[category] = max(needs.get(category, 0.0), reach)
        return needs

    def accuracy(self) -> tuple[np.ndarray, np.ndarray]:
        """GPS error per report: reported, else the rule set's default for its source, else the default."""
        acc = self.reports.accuracy_m
        reported = np.isfinite(acc)
        assumed = np.full(self.n, self.rules.default_accuracy_m)
        if self.rules.accuracy_by is not None:
            field_name, values = self.rules.accuracy_by
            _, codes, uniques = self.column(field_name)
            default = self.rules.default_accuracy_m
            per_value = np.array(
                [default if u is None else values.get(str(u).strip().casefold(), default) for u in uniques]
                or [default]
            )
            assumed = per_value[codes] if len(codes) else assumed
        return np.where(reported, acc, assumed), reported

    def _spatial(
        self, valid: np.ndarray, meanwhile: Callable[[], None] | None = None
    ) -> tuple[_Spatial, list[Area], np.ndarray]:
        """Project the reports and find, per category, each report's nearest zone in reach.

        With more than one chunk and thread, the zones' preparation and the chunks run in a
        thread pool (shapely and pyproj release the GIL) while ``meanwhile``, work that needs
        no geometry, runs in this thread; otherwise ``meanwhile`` runs after them.
        """
        needs = self._thresholds()
        categories = sorted(needs)
        signed = np.full((len(categories), self.n), np.inf)
        nearest = np.full((len(categories), self.n), -1, dtype=np.int64)
        lon = np.where(valid, self.reports.lon, np.nan)
        lat = np.where(valid, self.reports.lat, np.nan)
        bounds = self.zones.bounds
        areas, assignment = plan_areas(
            bounds[0] if bounds else None, bounds[1] if bounds else None, lon, lat, self.rules.crs
        )
        self.px = np.full(self.n, np.nan)
        self.py = np.full(self.n, np.nan)
        zone_cat = np.zeros(0, dtype=np.int64)
        prepare: Callable[[Area], Any] | None = None
        if categories and len(self.zones):
            cat_code = {c: i for i, c in enumerate(categories)}
            zone_cat = np.array([cat_code.get(c, -1) for c in self.zones.categories], dtype=np.int64)
            radius = self.zone_radius()
            # grown by the tolerance too, so a report at the threshold is always a candidate
            reach = np.array([needs.get(c, 0.0) for c in self.zones.categories]) + radius + TOLERANCE_M
            max_acc = float(np.nanmax(self.acc[valid])) if valid.any() else 0.0
            margin = float(reach.max(initial=0.0)) + max_acc + 1.0
            key = (
                "spatial",
                tuple(sorted(needs.items())),
                tuple(sorted(self.rules.zone_radius_m.items())),
                margin,
            )

            def prepare(area: Area) -> Any:
                return self.zones.prepared(
                    area, key, lambda: self._prepare(area, zone_cat, radius, reach, margin)
                )

        # per area with reports: its chunks (every report is projected, even where no zone is)
        work = []
        for a, area in enumerate(areas):
            members = np.nonzero(assignment == a)[0]
            if len(members):
                work.append((area, [members[c : c + CHUNK] for c in range(0, len(members), CHUNK)]))
        done, total = 0, int((assignment >= 0).sum())
        args = (zone_cat, signed, nearest)
        if self.threads > 1 and sum(len(chunks) for _, chunks in work) > 1:
            # each chunk writes only its own reports' entries of px/py/signed/nearest; a chunk
            # waits for its area's zones only after making its points
            pool = ThreadPoolExecutor(max_workers=self.threads)
            try:
                futures = []
                for area, chunks in work:
                    ready = pool.submit(prepare, area) if prepare is not None else None
                    futures += [(pool.submit(self._spatial_chunk, area, c, ready, *args), c) for c in chunks]
                if meanwhile is not None:
                    meanwhile()
                for future, chunk in futures:
                    future.result()
                    done += len(chunk)
                    if self.progress is not None:
                        self.progress(done, total)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        else:
            for area, chunks in work:
                prepared = prepare(area) if prepare is not None else None
                for chunk in chunks:
                    self._spatial_chunk(area, chunk, prepared, *args)
                    done += len(chunk)
                    if self.progress is not None:
                        self.progress(done, total)
            if meanwhile is not None:
                meanwhile()
        return _Spatial(categories, signed, nearest), areas, assignment

    def _spatial_chunk(self, area, members, prepared, zone_cat, signed, nearest) -> None:
        """Project one chunk of reports; then candidates, signed distances and the nearest zone
        per category. ``prepared`` is the area's prepared zones, None, or a future of them."""
        x, y = project(area, self.reports.lon[members], self.reports.lat[members])
        self.px[members], self.py[members] = x, y
        if prepared is None:
            return
        # a report's query box: its point, grown by its GPS error where it has one
        r_acc = self.acc[members]
        r = np.where(r_acc > 0, r_acc, 0.0)
        cells = BoxCells.group(x - r, y - r, x + r, y + r)
        if isinstance(prepared, Future):
            prepared = prepared.result()
            if prepared is None:
                return
        zidx, geoms, boundaries, zradius, areal, tree, item_bounds = prepared
        found = cells.touching(tree, item_bounds)
        pr, pz = found if found is not None else _query_each(tree, cells.bounds)
        if not len(pr):
            return
        touched, at = np.unique(pr, return_inverse=True)
        points = shapely.points(x[touched], y[touched])[at]  # one per pair
        d = shapely.distance(points, geoms[pz])
        s = d - zradius[pz]
        inside = (d == 0) & areal[pz]
        if inside.any():
            bd = shapely.distance(points[inside], boundaries[pz[inside]])
            s[inside] = -(zradius[pz[inside]] + bd)
        if not np.isfinite(s).all():  # an invariant: a NaN would compare false and read as "ok"
            bad = int(zidx[pz[~np.isfinite(s)][0]])
            raise FloatingPointError(
                f"the distance to zone {self.zones.ids[bad]!r} is not a finite number; "
                "no verdict is given rather than a wrong one"
            )
        zone_global = zidx[pz]
        cat = zone_cat[zone_global]
        # nearest per (category, report): the smallest signed distance, ties to the first zone;
        # one slot per (category, report of the chunk), so no sort is needed
        slot = cat * len(members) + pr
        best = np.full(signed.shape[0] * len(members), np.inf)
        np.minimum.at(best, slot, s)
        tie = s == best[slot]
        first = np.full(len(best), np.iinfo(np.int64).max)
        np.minimum.at(first, slot[tie], zone_global[tie])
        pick = tie & (zone_global == first[slot])
        report_global = members[pr[pick]]
        signed[cat[pick], report_global] = s[pick]
        nearest[cat[pick], report_global] = zone_global[pick]

    def zone_radius(self) -> np.ndarray:
        """Each zone's radius: its own ``radius_m``, else the rule set's default for a point or
        line of its category; polygons without ``radius_m`` have none."""
        default_r = np.array(
            [self.rules.zone_radius_m.get(c, 0.0) for c in self.zones.categories], dtype=float
        )
        default_r[self.zones.kinds == "polygon"] = 0.0
        return np.where(np.isnan(self.zones.radius_m), default_r, self.zones.radius_m)

    def _prepare(
        self, area: Area, zone_cat: np.ndarray, radius: np.ndarray, reach: np.ndarray, margin: float
    ):
        near = self.zones.select_near(area, margin)
        zidx = near[zone_cat[near] >= 0]
        if not len(zidx):
            return None
        areal = (self.zones.kinds[zidx] == "polygon").astype(bool)
        parts = np.array_split(np.arange(len(zidx)), self.threads if len(zidx) >= PREPARE_SPLIT else 1)

        def part(rows: np.ndarray) -> tuple[np.ndarray, ...]:
            """Projected zones (long lines in pieces), which zone each is, their boundaries
            (polygons) and envelopes grown by their reach."""
            geoms = self.zones.project(area, zidx[rows])
            geoms, owner = _line_pieces(geoms, LINE_PIECE)
            rows = rows[owner]
            boundaries = np.empty(len(rows), dtype=object)
            boundaries[areal[rows]] = shapely.boundary(geoms[areal[rows]])
            xmin, ymin, xmax, ymax = shapely.bounds(geoms).T
            g = reach[zidx[rows]]
            grown = np.stack([xmin - g, ymin - g, xmax + g, ymax + g])
            return rows, geoms, boundaries, grown, envelopes(*grown)

        # the chunks wait for the zones: share the work among the threads (shapely and pyproj free the GIL)
        if len(parts) > 1:
            with ThreadPoolExecutor(max_workers=len(parts)) as pool:
                done = list(pool.map(part, parts))
        else:
            done = [part(parts[0])]
        rows, geoms, boundaries, grown, boxes = (np.concatenate(column, axis=-1) for column in zip(*done))
        tree = shapely.STRtree(boxes)
        return zidx[rows], geoms, boundaries, radius[zidx[rows]], areal[rows], tree, grown

    # -- conditions -------------------------------------------------------------
    def column(self, name: str) -> Any:
        if name not in self._columns:
            values = self.reports.field_values(name)
            if values.dtype == object:
                self._columns[name] = ("text", *_factorise(values))
            else:
                self._columns[name] = ("number", values, None)
        return self._columns[name]

    def leaf(self, cond: Condition) -> np.ndarray:
        key = id(cond)
        if key not in self._leaf_values:
            self._leaf_values[key] = self._evaluate(cond)
        return self._leaf_values[key]

    def _evaluate(self, cond: Condition) -> np.ndarray:
        return kind_of(cond).evaluate(cond, self)

    # what a condition kind reads (rules.conditions.EvaluationContext)
    tolerance_m = TOLERANCE_M

    def observed_days(self) -> np.ndarray:
        return self.reports.observed_day

    def period(self, name: str) -> Any:
        return self.rules.periods[name]

    def in_period(self, period: Any, undated: bool) -> np.ndarray:
        return self._in_period(period, undated)

    def zone_signed(self, category: str) -> np.ndarray:
        return self.spatial.signed[self.spatial.categories.index(category)]

    def inside_zone(self, zone_id: str) -> np.ndarray:
        return self._in_zone(zone_id)

    def _in_period(self, period, undated: bool) -> np.ndarray:
        day = self.reports.observed_day
        inside = np.ones(self.n, dtype=bool)
        if period.start:
            inside &= day >= np.datetime64(period.start, "D")
        if period.end:
            inside &= day <= np.datetime64(period.end, "D")
        return inside | (np.isnat(day) & undated)

    def _in_zone(self, zone_id: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Three-valued: the report is inside zone ``zone_id`` (GPS accuracy considered).

        With ``rows``, only those reports are tested (the others are FALSE). Reports are
        taken as ``_spatial`` projected them.
        """
        out = np.zeros(self.n, dtype=np.int8)
        try:
            z = self.zones.ids.index(zone_id)
        except ValueError:
            return out
        radius = self.zone_radius()[z]
        areal = self.zones.kinds[z] == "polygon"
        for a, area in enumerate(self._areas):
            in_area = self._assignment == a
            members = np.nonzero(in_area)[0] if rows is None else rows[in_area[rows]]
            if not len(members):
                continue
            geom = self.zones.project(area, np.array([z]))[0]
            pts = shapely.points(self.px[members], self.py[members])
            d = shapely.distance(pts, geom)
            s = d - radius
            if areal:
                ins = d == 0
                s[ins] = -(radius + shapely.distance(pts[ins], shapely.boundary(geom)))
            depth = -s + TOLERANCE_M
            acc = self.acc[members]
            out[members] = np.where(depth >= acc, TRUE, np.where(depth >= -acc, UNKNOWN, FALSE))
        return out

    # -- run ----------------------------------------------------------------------
    def run(self) -> Run:
        valid = self.reports.valid & np.isfinite(self.reports.lon) & np.isfinite(self.reports.lat)
        self._flag_far_swaps(valid)
        valid = self.reports.valid & np.isfinite(self.reports.lon) & np.isfinite(self.reports.lat)
        for i in self.problems:
            valid[i] = False
        self.valid = valid
        self.acc, self.acc_reported = self.accuracy()
        self.spatial, areas, assignment = self._spatial(valid, meanwhile=self._without_geometry)
        self._category_row = {c: k for k, c in enumerate(self.spatial.categories)}
        self._areas, self._assignment = areas, assignment
        self.rep = self._duplicates(valid)
        for rule in self.active:
            value = self._rule_value(rule, valid)
            self.applicable[rule.id] = self._applies(rule, valid) != FALSE
            if rule.id in self.lacking:
                value = self._partial_value(rule, valid, value)
            if rule.quota is not None or rule.spacing is not None:
                self.results[rule.id] = self._whole_list(rule, value == TRUE)
            else:
                self.results[rule.id] = self._findings(rule, value)
        self._apply_permits()
        best = np.zeros(self.n, dtype=np.int8)
        exempted = np.zeros(self.n, dtype=bool)
        for rule in self.active:
            res = self.results[rule.id]
            np.maximum.at(best, res.index, res.effective().astype(np.int8))
            if res.exempt is not None:
                exempted[res.index[res.exempt >= 0]] = True
        status = np.full(self.n, _CODE[Status.OK], dtype=np.int8)
        status[exempted] = _CODE[Status.EXEMPT]
        for mask in self.unchecked.values():
            status[mask] = _CODE[Status.UNCHECKED]
        status[best == UNKNOWN] = _CODE[Status.REVIEW]
        status[best == TRUE] = _CODE[Status.VIOLATION]
        status[~valid] = _CODE[Status.INVALID]
        by_report = _FindingIndex([self.results[rule.id].index for rule in self.active], self.n)
        self.status = status
        verdicts = VerdictList(self, status, by_report)
        counts = np.bincount(assignment[assignment >= 0], minlength=len(areas)) if len(areas) else []
        provenance = Provenance(
            engine=ENGINE,
            engine_version=engine_version(),
            ruleset_id=self.rules.id,
            ruleset_version=self.rules.version,
            ruleset_sha256=self.rules.sha256,
            crs=tuple(
                ProjectionArea(a.name, a.crs, a.lon_min, a.lon_max, int(counts[i]))
                for i, a in enumerate(areas)
                if counts[i]
            ),
            inputs={
                **({self.reports.file: self.reports.sha256} if self.reports.sha256 else {}),
                **self.zones.files,
                **{p.source_file: p.source_sha256 for p in self.permits if p.source_file and p.source_sha256},
            },
        )
        return Run(verdicts, self._summary(status), provenance, self.reports, self.rules, self.zones)

    def _without_geometry(self) -> None:
        """What needs no geometry, done while threads do the spatial work: the whole-list
        decision order, the text columns the rules and the summary read (factorised), and the
        conditions that name no zone. Results land in caches the rules then read."""
        whole_list = self.rules.duplicates is not None or any(
            r.quota is not None or r.spacing is not None for r in self.active
        )
        self.rank = (
            wholelist.decision_order(self.reports.observed_day, self.reports.ids, self.reports.rows)
            if whole_list
            else np.arange(self.n)
        )
        for rule in self.active:
            for cond in (rule.applies_to, rule.when, rule.area):
                for node in walk(cond) if cond is not None else ():
                    if kind_of(node).without_geometry:
                        self.leaf(node)
        self.column("party")

    def _rule_value(self, rule: Rule, valid: np.ndarray) -> np.ndarray:
        """The rule's three-valued result per report (for quota/spacing: whether it counts)."""
        value = self.leaf(rule.when) if rule.when is not None else np.full(self.n, TRUE, dtype=np.int8)
        if rule.applies_to is not None:
            value = np.minimum(value, self.leaf(rule.applies_to))
        if rule.area is not None:
            value = np.minimum(value, self.leaf(rule.area))
        if rule.effective is not None:
            value = np.where(self._in_period(rule.effective, undated=True), value, FALSE)
        return value * valid.view(np.int8)  # FALSE (0) where not valid

    def _applies(self, rule: Rule, valid: np.ndarray) -> np.ndarray:
        """Three-valued: the rule applies to the report (``applies_to``, ``area`` and its
        ``effective`` dates; what a partial run lacks taken as unknown)."""
        value = np.where(valid, TRUE, FALSE).astype(np.int8)
        for cond in (rule.applies_to, rule.area):
            if cond is not None:
                value = np.minimum(value, self._value_with(cond, UNKNOWN))
        if rule.effective is not None:
            value = np.where(self._in_period(rule.effective, undated=True), value, FALSE)
        return value

    def _value_with(self, cond: Condition, lacking: np.int8) -> np.ndarray:
        """``cond`` evaluated with every leaf that needs what the run lacks set to ``lacking``."""
        kind = kind_of(cond)
        children = kind.children(cond)
        if children:
            return kind.combine(cond, [self._value_with(c, lacking) for c in children])
        if coverage.leaf_is_missing(cond, self.have):
            return np.full(self.n, lacking, dtype=np.int8)
        return self.leaf(cond)

    def _partial_value(self, rule: Rule, valid: np.ndarray, value: np.ndarray) -> np.ndarray:
        """The value of a rule that lacks a layer or column, in a partial run.

        Where the rule's result does not depend on what is missing (taking it as false
        and as true gives the same), that result stands; elsewhere the rule is
        unchecked for the report and makes no finding. A quota or spacing rule whose
        groups need what is missing is unchecked wherever it applies.
        """
        lacking = self.lacking[rule.id]
        leaf_needs = {
            n
            for cond in (rule.applies_to, rule.when, rule.area)
            if cond is not None
            for node in walk(cond)
            for n in coverage.leaf_needs(node)
        }

        def evaluate(substitute: np.int8) -> np.ndarray:
            v = self._value_with(rule.when, substitute) if rule.when is not None else np.full(self.n, TRUE)
            for cond in (rule.applies_to, rule.area):
                if cond is not None:
                    v = np.minimum(v, self._value_with(cond, substitute))
            if rule.effective is not None:
                v = np.where(self._in_period(rule.effective, undated=True), v, FALSE)
            return (v * valid.view(np.int8)).astype(np.int8)

        kleene = evaluate(UNKNOWN)
        if lacking - leaf_needs:  # the groups of a quota or spacing rule
            self.unchecked[rule.id] = kleene != FALSE
            return np.zeros(self.n, dtype=np.int8)
        depends = (kleene == UNKNOWN) & (evaluate(FALSE) != evaluate(TRUE))
        self.unchecked[rule.id] = depends
        return np.where(depends, FALSE, kleene).astype(np.int8)

    def _findings(self, rule: Rule, value: np.ndarray) -> _RuleResult:
        idx = np.nonzero(value)[0]
        tests = list(leaves(rule.when)) + list(leaves(rule.applies_to))
        self.evidence_leaves[rule.id] = tests
        chosen = np.full(len(idx), -1, dtype=np.int64)
        if len(idx) and tests:
            v = value[idx]
            hits = np.stack(
                [
                    ((self.leaf(c)[idx] if pos else TRUE - self.leaf(c)[idx]) >= v)
                    & (kind_of(c).evidence(c) is not None and not coverage.leaf_is_missing(c, self.have))
                    for c, pos in tests
                ]
            )
            chosen = np.where(hits.any(axis=0), hits.argmax(axis=0), -1)
        return _RuleResult(idx, value[idx], chosen)

    def _group_codes(self, fields: Sequence[Any]) -> tuple[np.ndarray, list[Callable[[int], str]]]:
        """One code per report for the combination of field values and containing zones."""
        columns: list[np.ndarray] = []
        labels: list[Callable[[int], str]] = []
        for item in fields:
            if isinstance(item, tuple):
                c = self.spatial.categories.index(item[1])
                inside = self.spatial.signed[c] <= TOLERANCE_M
                zone = np.where(inside, self.spatial.zone[c], -1)
                columns.append(zone)
                labels.append(lambda i, zone=zone, cat=item[1]: self._zone_label(cat, int(zone[i])))
            else:
                _, codes, uniques = self.column(item)
                folded = np.array([_fold(u) if u is not None else "" for u in uniques] or [""], dtype=object)
                columns.append(np.unique(folded.astype(str), return_inverse=True)[1].reshape(-1)[codes])
                labels.append(
                    lambda i, codes=codes, uniques=uniques, name=item: f"{name}={uniques[codes[i]] or '-'}"
                )
        return wholelist.combine_codes(columns, self.n), labels

    def _zone_label(self, category: str, z: int) -> str:
        if z < 0:
            return f"{category}=-"
        return f"{category}={self.zones.names[z] or self.zones.ids[z]}"

    def _duplicates(self, valid: np.ndarray) -> np.ndarray:
        spec = self.rules.duplicates
        if spec is None:
            return np.arange(self.n)
        key, _ = self._group_codes(spec.same)
        return wholelist.duplicate_groups(
            self.px,
            self.py,
            self._assignment,
            valid,
            key,
            self.reports.observed_day,
            spec.within_m,
            spec.within_days,
            self.rank,
        )

    def _whole_list(self, rule: Rule, counted: np.ndarray) -> _RuleResult:
        self.evidence_leaves[rule.id] = []
        if rule.quota is not None:
            group, labels = self._group_codes(rule.quota.per)
            over, place, count = wholelist.over_quota(counted, group, self.rep, self.rank, rule.quota.max)
            idx = np.nonzero(over)[0]
            extra = {"place": place[idx], "count": count[idx], "group": group[idx]}
            self._group_labels[rule.id] = labels
            return _RuleResult(idx, np.full(len(idx), TRUE, dtype=np.int8), np.full(len(idx), -1), extra)
        assert rule.spacing is not None
        group, _ = self._group_codes(rule.spacing.among)
        value, other, distance = wholelist.too_close(
            self.px,
            self.py,
            self._assignment,
            counted,
            group,
            self.rep,
            self.acc,
            self.rank,
            rule.spacing.min_m,
        )
        idx = np.nonzero(value)[0]
        extra = {"other": other[idx], "distance": distance[idx]}
        return _RuleResult(idx, value[idx], np.full(len(idx), -1), extra)

    def _apply_permits(self) -> None:
        if not self.permits:
            return
        ids = np.array(self.reports.ids, dtype=object)
        day = self.reports.observed_day
        party = np.asarray(self.reports.party, dtype=object)
        geod = pyproj.Geod(ellps="WGS84")
        for rule in self.active:
            res = self.results[rule.id]
            res.exempt = np.full(len(res.index), -1, dtype=np.int64)
            res.permit_note = np.full(len(res.index), -1, dtype=np.int64)
            if not len(res.index):
                continue
            idx = res.index
            folded: np.ndarray | None = None  # the findings' parties, case-folded once per rule
            evidence_zones: np.ndarray | None = None  # the zone ids the findings name, once per rule
            for p, permit in enumerate(self.permits):
                if not permit.covers_rule(rule.id):
                    continue
                scope = np.ones(len(idx), dtype=bool)
                if permit.reports is not None:
                    scope &= np.isin(ids[idx], list(permit.reports))
                if permit.party is not None:
                    if folded is None:
                        folded = np.array(
                            [_fold(v) if v is not None else None for v in party[idx]], dtype=object
                        )
                    scope &= folded == _fold(permit.party)
                if permit.radius_m is not None:
                    _, _, dist = geod.inv(
                        np.full(len(idx), permit.lon),
                        np.full(len(idx), permit.lat),
                        self.reports.lon[idx],
                        self.reports.lat[idx],
                    )
                    scope &= dist <= permit.radius_m + TOLERANCE_M
                if permit.zone is not None:
                    in_zone = self._in_zone(permit.zone, idx)[idx] == TRUE
                    if evidence_zones is None:
                        evidence_zones = self._evidence_zone_ids(rule, res)
                    scope &= in_zone | (evidence_zones == permit.zone)
                dated = ~np.isnat(day[idx])
                inside = dated.copy()
                if permit.valid_from is not None:
                    inside &= day[idx] >= np.datetime64(permit.valid_from, "D")
                if permit.valid_to is not None:
                    inside &= day[idx] <= np.datetime64(permit.valid_to, "D")
                res.exempt[scope & inside & (res.exempt < 0)] = p
                res.permit_note[scope & ~inside & (res.permit_note < 0)] = p

    def _evidence_zone_ids(self, rule: Rule, res: _RuleResult) -> np.ndarray:
        zone, _ = self._near_evidence(rule, res)
        out = np.full(len(res.index), None, dtype=object)
        found = zone >= 0
        out[found] = np.asarray(self.zones.ids, dtype=object)[zone[found]]
        return out

    def _near_evidence(self, rule: Rule, res: _RuleResult) -> tuple[np.ndarray, np.ndarray]:
        """Per finding of ``rule``: the zone its ``near`` evidence names (-1 when none) and the
        signed distance to it (NaN when none), gathered for all findings at once; computed once
        per rule (permits and Finding objects both read it)."""
        cached = self._near_by_rule.get(rule.id)
        if cached is None:
            cached = self._near_by_rule[rule.id] = self._gather_near_evidence(rule, res)
        return cached

    def _gather_near_evidence(self, rule: Rule, res: _RuleResult) -> tuple[np.ndarray, np.ndarray]:
        rows = []
        for cond, _ in self.evidence_leaves.get(rule.id, []):
            evidence = kind_of(cond).evidence(cond)
            category = evidence.zone_category if evidence is not None else None
            rows.append(self._category_row[category] if category is not None else -1)
        category = np.asarray([*rows, -1], dtype=np.int64)[res.leaf]  # leaf -1 picks the last: none
        near = np.nonzero(category >= 0)[0]
        zone = np.full(len(res.index), -1, dtype=np.int64)
        signed = np.full(len(res.index), np.nan)
        zone[near] = self.spatial.zone[category[near], res.index[near]]
        signed[near] = self.spatial.signed[category[near], res.index[near]]
        return zone, signed

    def _flag_far_swaps(self, valid: np.ndarray) -> None:
        bounds = self.zones.bounds
        if bounds is None or not valid.any():
            return
        (x0, x1), (y0, y1) = bounds
        pad = 1.0
        lon, lat = self.reports.lon, self.reports.lat
        within = (lon >= x0 - pad) & (lon <= x1 + pad) & (lat >= y0 - pad) & (lat <= y1 + pad)
        swapped_within = (lat >= x0 - pad) & (lat <= x1 + pad) & (lon >= y0 - pad) & (lon <= y1 + pad)
        for i in np.nonzero(valid & ~within & swapped_within)[0].tolist():
            message = i18n.render("far_swapped", lat=float(lat[i]), lon=float(lon[i]))
            self.problems.setdefault(i, []).append(Problem("swapped", "lat", str(float(lat[i])), message))

    def _summary(self, status: np.ndarray) -> Summary:
        k = len(STATUS_CODES)
        counts = np.bincount(status, minlength=k)
        by_status = {s.value: int(counts[i]) for i, s in enumerate(STATUS_CODES)}
        by_rule = {}
        for rule in self.active:
            res = self.results[rule.id]
            exempt = res.exempt >= 0 if res.exempt is not None else np.zeros(len(res.index), dtype=bool)
            by_rule[rule.id] = {
                "violation": int(((res.value == TRUE) & ~exempt).sum()),
                "review": int(((res.value == UNKNOWN) & ~exempt).sum()),
                "exempt": int(exempt.sum()),
            }
        # a physical attribute reported several times counts once (its first report)
        first = self.valid & (self.rep == np.arange(self.n))
        _, codes, uniques = self.column("party")
        by_party: dict[str, dict[str, int]] = {}
        if self.n:
            table = np.zeros((len(uniques), k), dtype=np.int64)
            np.add.at(table, (codes, status), 1)
            attributes = np.bincount(codes[first], minlength=len(uniques))
            for u, label in enumerate(uniques):
                row = {s.value: int(table[u, i]) for i, s in enumerate(STATUS_CODES)}
                entry = {"reports": int(table[u].sum()), **row}
                if self.rules.duplicates is not None:
                    entry["attributes"] = int(attributes[u])
                by_party[label if label is not None else ""] = entry
        by_party = dict(sorted(by_party.items()))
        attributes_total = int(first.sum()) if self.rules.duplicates is not None else None
        rule_coverage = self.coverage(0, self.n)
        return Summary(self.n, by_status, by_rule, by_party, attributes_total, rule_coverage, self.gaps)

    def coverage(self, start: int, stop: int) -> dict[str, dict[str, int]]:
        """Per enabled rule, over reports ``start:stop``: how many it applies to, how many of
        those were checked and how many left unchecked."""
        out = {}
        for rule in self.active:
            mask = self.unchecked.get(rule.id)
            unchecked = int(mask[start:stop].sum()) if mask is not None else 0
            applicable = int(self.applicable[rule.id][start:stop].sum())
            out[rule.id] = {
                "applicable": applicable,
                "checked": applicable - unchecked,
                "unchecked": unchecked,
            }
        return out

    # -- verdicts -----------------------------------------------------------------
    def worst_rank(self) -> int:
        worst = -1
        for rule in self.active:
            if (self.results[rule.id].effective() == TRUE).any():
                worst = max(worst, rule.severity.rank)
        return worst

    def verdict(self, i: int, status: Status, entries: Sequence[tuple[int, int]]) -> Verdict:
        rid, status, findings, file, row, problems, ref, group, unchecked = self.verdict_fields(
            i, status, entries
        )
        return _new_verdict(
            rid,
            status,
            tuple([_new_finding(*f[:5], dict(f[5]), *f[6:]) for f in findings]),
            _new_source(file, row),
            problems,
            ref,
            group,
            unchecked,
        )

    def verdict_fields(self, i: int, status: Status, entries: Sequence[tuple[int, int]]) -> VerdictFields:
        """Report ``i``'s verdict as plain values, each finding a tuple of its fields."""
        rid, status, places, file, row, problems, ref, group, unchecked = self.verdict_refs(
            i, status, entries
        )
        findings = [columns.fields(j) for columns, j in places]
        return rid, status, findings, file, row, problems, ref, group, unchecked

    def verdict_refs(self, i: int, status: Status, entries: Sequence[tuple[int, int]]) -> VerdictRefs:
        """Report ``i``'s verdict as plain values, each finding a place in its block of columns."""
        rid = self.reports.ids[i]
        if status is Status.INVALID:
            problems = tuple(self.problems.get(i, ()))
            return rid, status, [], self.reports.file, self._rows[i], problems, self._ref, None, ()
        findings = []
        for r, k in entries:
            start, columns = self._finding_place(r, k)
            findings.append((columns, k - start))
        group = self.reports.ids[int(self.rep[i])] if self.rules.duplicates is not None else None
        unchecked = tuple([r for r, mask in self.unchecked.items() if mask[i]]) if self.unchecked else ()
        return rid, status, findings, self.reports.file, self._rows[i], (), self._ref, group, unchecked

    def _facts(self, r: int) -> _FindingFacts:
        """Everything per finding of active rule ``r`` that its Finding objects read, as lists."""
        facts = self._finding_facts.get(r)
        if facts is None:
            facts = self._finding_facts[r] = self._new_facts(self.active[r])
        return facts

    def _new_facts(self, rule: Rule) -> _FindingFacts:
        res = self.results[rule.id]
        index = res.index
        zone, signed = self._near_evidence(rule, res)
        templates = tuple((lang, *self._template(rule, lang)) for lang in i18n.LANGUAGES)
        return _FindingFacts(
            rule=rule,
            index=index.tolist(),
            value=res.value.tolist(),
            leaf=res.leaf.tolist(),
            leaves=[cond for cond, _ in self.evidence_leaves.get(rule.id, [])],
            exempt=None if res.exempt is None else res.exempt.tolist(),
            permit_note=None if res.permit_note is None else res.permit_note.tolist(),
            acc=self.acc[index].tolist(),
            acc_reported=self.acc_reported[index].tolist(),
            undated=np.isnat(self.reports.observed_day[index]).tolist(),
            zone=zone.tolist(),
            signed=signed.tolist(),
            extra={name: column.tolist() for name, column in res.extra.items()},
            templates=templates,
            report={name: self._report_values(name, index) for _, _, names in templates for name in names},
        )

    def _report_values(self, name: str, index: np.ndarray) -> list[Any]:
        """Field ``name`` (canonical, else an extra column; else None) of the reports at ``index``."""
        r = self.reports
        if name == "id":
            return [r.ids[j] for j in index.tolist()]
        if name in ("type", "party", "candidate", "mounted_on", "width_m", "height_m", "accuracy_m"):
            return getattr(r, name)[index].tolist()
        if name == "observed_at":
            return [r.observed_at[j] for j in index.tolist()]
        if name == "area_m2":
            return (r.width_m[index] * r.height_m[index]).tolist()
        if name in r.extra:
            column = r.extra[name]
            return [column[j] for j in index.tolist()]
        return [None] * len(index)

    def _finding_place(self, r: int, k: int) -> tuple[int, FindingColumns]:
        """The block of columns holding finding ``k`` of active rule ``r``, and the block's first finding.

        Made a block at a time while a rule's findings are read in order (as verdicts are
        iterated), one at a time otherwise.
        """
        block = self._finding_blocks.get(r)
        if block is None or not block[0] <= k < block[0] + len(block[1]):
            on = block is not None and k == block[0] + len(block[1])
            stop = min(k + _FINDING_BLOCK, len(self._facts(r).value)) if on else k + 1
            block = self._finding_blocks[r] = (k, self._finding_block(r, k, stop))
        return block

    def _finding_block(self, r: int, start: int, stop: int) -> FindingColumns:
        """Findings ``start:stop`` of active rule ``r``, as columns.

        Made a field at a time over the block (list comprehensions over the facts'
        lists), not a finding at a time.
        """
        facts = self._facts(r)
        rule = facts.rule
        m = stop - start
        index = facts.index[start:stop]
        status = [Status.VIOLATION if v == TRUE else Status.REVIEW for v in facts.value[start:stop]]
        acc = facts.acc[start:stop]
        acc_source = ["reported" if a else "assumed" for a in facts.acc_reported[start:stop]]
        undated = facts.undated[start:stop]
        zone: list[ZoneRef | None] = [None] * m
        distance: list[float | None] = [None] * m
        threshold: list[float | None] = [None] * m
        margin: list[float | None] = [None] * m
        reason: list[str | None] = [None] * m
        period: list[Any] = [None] * m
        evidence: dict[str, list[Any]] = {}  # values the message may name, besides the report's own
        quota, spacing = rule.quota, rule.spacing
        if quota is not None:
            labels = self._group_labels[rule.id]
            count, rank = facts.extra["count"][start:stop], facts.extra["place"][start:stop]
            group = [", ".join(label(i) for label in labels) for i in index]
            details = [
                {"group": g, "count": c, "max": quota.max, "rank": p} for g, c, p in zip(group, count, rank)
            ]
            evidence.update(group=group, count=count, max=[quota.max] * m, rank=rank)
        elif spacing is not None:
            ids = self.reports.ids
            apart = facts.extra["distance"][start:stop]
            other = [ids[o] for o in facts.extra["other"][start:stop]]
            distance = [round(d, 3) + 0.0 for d in apart]
            threshold = [spacing.min_m] * m
            margin = [round(spacing.min_m - d, 3) + 0.0 for d in distance]
            details = [{"other_report": o} for o in other]
            evidence.update(other_report=other, min_m=[spacing.min_m] * m)
            reason = ["gps_straddles" if s is Status.REVIEW else None for s in status]  # before permits
        else:
            details = [{} for _ in range(m)]
        if self.rules.duplicates is not None:
            ids = self.reports.ids
            reps = self.rep[index].tolist() if m else []
            if any(p != i for p, i in zip(reps, index)):
                evidence["duplicate_of"] = [ids[p] if p != i else _UNSET for p, i in zip(reps, index)]
        permit: list[str | None] = [None] * m
        permit_reason: list[tuple[str, Permit] | None] = [None] * m
        for notes, exempts in ((facts.permit_note, False), (facts.exempt, True)):  # exempting wins
            if notes is None:
                continue
            for j, q in enumerate(notes[start:stop]):
                if q >= 0:
                    p = self.permits[q]
                    permit[j] = p.id
                    if exempts:
                        status[j], permit_reason[j] = Status.EXEMPT, ("permit_exempts", p)
                    else:
                        permit_reason[j] = ("permit_undated" if undated[j] else "permit_not_valid", p)
        evidence["permit"] = permit
        leaf = facts.leaf[start:stop]
        for li, cond in enumerate(facts.leaves):
            shown = kind_of(cond).evidence(cond)
            if shown is None:
                continue
            if shown.zone_category is not None:
                zone_of, signed = facts.zone, facts.signed
                for j in [j for j, x in enumerate(leaf) if x == li]:
                    z = zone_of[start + j]
                    if z >= 0:
                        s = signed[start + j]
                        zone[j] = self._zone_ref(z)
                        # inside a zone the distance is minus the depth: margin = threshold - distance
                        distance[j] = round(s, 3) + 0.0
                        threshold[j] = shown.threshold_m
                        margin[j] = round(shown.threshold_m - distance[j], 3) + 0.0
                    if status[j] is Status.REVIEW:
                        reason[j] = "gps_straddles"
            elif shown.period is not None:
                for j in [j for j, x in enumerate(leaf) if x == li]:
                    period[j] = shown.period
                    if status[j] is Status.REVIEW and undated[j]:
                        reason[j] = "date_missing"
        texts = self._messages(facts, start, stop, zone, distance, threshold, margin, period, evidence)
        langs = tuple(lang for lang, _, _ in facts.templates)
        for j in [j for j in range(m) if reason[j] or permit_reason[j]]:
            if not permit_reason[j]:  # most: a doubt, the same text for many findings
                for column, text in zip(texts, self._reason_suffix(reason[j], acc[j], acc_source[j], langs)):
                    column[j] += text
                continue
            suffixes = []  # why the finding is in doubt, and what a permit did: in every language
            if reason[j]:
                suffixes.append(self._reason_text(reason[j], acc[j], acc_source[j]))
            if permit_reason[j]:
                code, p = permit_reason[j]
                observed_at = self.reports.observed_at[index[j]]
                suffixes.append(
                    i18n.render(
                        code, permit=p.id, span=p.span(), reason=p.reason or "-", observed_at=observed_at
                    )
                )
            for lang, column in zip(langs, texts):
                column[j] += "".join([" — " + s[lang] for s in suffixes])
        spatial = [z is not None or bool(why) or spacing is not None for z, why in zip(zone, reason)]
        return FindingColumns(
            rule.id,
            rule.severity,
            rule.legal_basis,
            rule.title,
            status,
            langs,
            texts,
            zone,
            distance,
            threshold,
            margin,
            [a if s else None for a, s in zip(acc, spatial)],
            [a if s else None for a, s in zip(acc_source, spatial)],
            [why or (pr[0] if pr else None) for why, pr in zip(reason, permit_reason)],
            permit,
            details,
        )

    def _messages(
        self,
        facts: _FindingFacts,
        start: int,
        stop: int,
        zone: list[ZoneRef | None],
        distance: list[float | None],
        threshold: list[float | None],
        margin: list[float | None],
        period: list[Any],
        evidence: dict[str, list[Any]],
    ) -> list[list[str]]:
        """The messages of findings ``start:stop`` of a rule from its templates: one list per
        language, in the order of ``facts.templates``."""
        m = stop - start
        numbers = {"distance_m": distance, "threshold_m": threshold, "margin_m": margin}

        def values(name: str) -> list[Any]:  # what the message names: evidence first, then the report's
            if name == "rule":
                return [facts.rule.id] * m
            if name == "period":
                return period
            if name == "zone_id":
                return [z.id if z else None for z in zone]
            if name == "zone_name":
                return [(z.name or z.id) if z else None for z in zone]
            if name == "category":
                return [z.category if z else None for z in zone]
            own = facts.report[name][start:stop]
            if name in evidence:
                return [v if v is not _UNSET else w for v, w in zip(evidence[name], own)]
            return own

        texts = []
        for lang, template, names in facts.templates:
            columns = []
            for name in names:
                if name == "distance_m":
                    column = [None if v is None else i18n.distance_text(v, lang) for v in distance]
                elif name in numbers:
                    column = [_fmt(v, lang) for v in numbers[name]]
                elif name in _NUMERIC_PLACEHOLDERS:
                    column = [_fmt(v, lang) for v in values(name)]
                elif name == "category":
                    column = [i18n.category_label(z.category, lang) if z is not None else None for z in zone]
                else:
                    column = values(name)
                columns.append([None if v == "" else v for v in column])
            if not names:
                texts.append([i18n.tidy(template.format())] * m)
                continue
            raw = _message_text(facts.rule, lang)  # rows with a missing value: words, or clauses left out
            texts.append(self._rendered(template, raw, names, columns, lang, m))
        return texts

    def _rendered(
        self, template: str, raw: str, names: tuple[str, ...], columns: list[list[Any]], lang: str, m: int
    ) -> list[str]:
        """One language's messages from their placeholder columns.

        A row whose values are all present and clean (:func:`i18n.clean_value`; the tool's own
        numbers and labels always are) fills a tidy template as it is; another row with all its
        values is tidied; a row with a missing value is filled clause by clause
        (:func:`i18n.fill`), which rows share often (an undated report of one type), so those
        texts are kept by row. Measured on the bundled example repeated to 100,000 rows, tidying
        every message took the JSON stage from 0.45 to 1.0 s; this keeps it near the former.
        """
        quick = [True] * m
        if self._tidy_template(template, len(names)):
            for name, column in zip(names, columns):
                if name not in _OWN_TEXT:
                    clean = self._clean_value
                    quick = [q and (v is None or clean(v)) for q, v in zip(quick, column)]
        else:
            quick = [False] * m
        filled = self._filled
        out = []
        for row, fast in zip(zip(*columns), quick):
            if None not in row:
                text = template.format(*row)
                out.append(clip_message(text if fast else i18n.tidy(text)))
                continue
            key = (raw, lang, row)
            try:
                text = filled.get(key)
            except TypeError:  # a value that cannot be a key (a list from JSON Lines)
                key, text = None, None
            if text is None:
                text = clip_message(i18n.fill(raw, dict(zip(names, row)), lang))
                if key is not None:
                    if len(filled) >= 10_000:
                        filled.clear()
                    filled[key] = text
            out.append(text)
        return out

    def _tidy_template(self, template: str, names: int) -> bool:
        known = self._tidy_templates.get(template)
        if known is None:
            known = self._tidy_templates[template] = i18n.tidy_template(template, names)
        return known

    def _clean_value(self, value: Any) -> bool:
        """:func:`i18n.clean_value` of a placeholder's value, kept per value (report and zone
        texts repeat)."""
        try:
            known = self._clean_values.get(value)
        except TypeError:
            return False
        if known is None:
            known = i18n.clean_value(value if isinstance(value, str) else str(value))
            if len(self._clean_values) >= 100_000:
                self._clean_values.clear()
            self._clean_values[value] = known
        return known

    def _reason_suffix(
        self, reason: str, acc: float, acc_source: str, langs: tuple[str, ...]
    ) -> tuple[str, ...]:
        """What a message gets after it for ``reason``: `` — `` and the reason's text, per language."""
        key = (*_reason_key(reason, acc, acc_source), langs)
        suffix = self._reason_suffixes.get(key)
        if suffix is None:
            text = self._reason_text(reason, acc, acc_source)
            suffix = tuple(" — " + text[lang] for lang in langs)
            if len(self._reason_suffixes) < 10_000:  # reported accuracies may all differ
                self._reason_suffixes[key] = suffix
        return suffix

    def _reason_text(self, reason: str, acc: float, acc_source: str) -> dict[str, str]:
        """Why a finding is in doubt, in every language; rendered once per reason and accuracy."""
        key = _reason_key(reason, acc, acc_source)
        text = self._reason_texts.get(key)
        if text is None:
            text = i18n.render(
                reason,
                accuracy_m={lang: _fmt(acc, lang) for lang in i18n.LANGUAGES},
                accuracy_source=i18n.ACCURACY_SOURCE[acc_source],
            )
            if len(self._reason_texts) < 10_000:  # reported accuracies may all differ
                self._reason_texts[key] = text
        return text

    def _template(self, rule: Rule, lang: str) -> tuple[str, tuple[str, ...]]:
        """The rule's message in ``lang`` as a ``str.format`` template with numbered fields,
        and the placeholder names in field order; cached. Other braces stay literal."""
        key = (rule.id, lang)
        if key not in self._templates:
            template = i18n.message_template(_message_text(rule, lang))
            parts = _PLACEHOLDER_NAMES.split(template)  # literal text and names, alternating
            names = tuple(dict.fromkeys(parts[1::2]))
            pieces = [
                part.replace("{", "{{").replace("}", "}}") if k % 2 == 0 else f"{{{names.index(part)}}}"
                for k, part in enumerate(parts)
            ]
            self._templates[key] = ("".join(pieces), names)
        return self._templates[key]

    def _zone_ref(self, z: int) -> ZoneRef:
        """The zone's reference (one shared object per zone; it is frozen)."""
        ref = self._zone_refs.get(z)
        if ref is None:
            ref = self._zone_refs[z] = self._new_zone_ref(z)
        return ref

    def _new_zone_ref(self, z: int) -> ZoneRef:
        zones = self.zones
        cat = zones.categories[z]
        kind = zones.kinds[z]
        r = zones.radius_m[z]
        radius = float(
            (0.0 if kind == "polygon" else self.rules.zone_radius_m.get(cat, 0.0)) if math.isnan(r) else r
        )
        return ZoneRef(
            id=zones.ids[z],
            category=cat,
            name=zones.names[z],
            geometry_kind=kind,
            approximated=kind != "polygon" and radius > 0,
            radius_m=radius,
            source_file=zones.source_files[z],
            origin=zones.origins[z] if zones.origins else None,
        )


def _line_pieces(geoms: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """``geoms`` with every line of more than ``most`` vertices (and every part of such a
    multi-line) cut into lines of at most ``most``, each sharing its last vertex with the
    next piece; and for each geometry out, the index of the one it came from.

    A point's distance to a line is the least of its distances to the line's segments, so
    the least distance to the pieces is the distance to the line.
    """
    owner = np.arange(len(geoms))
    long = np.isin(shapely.get_type_id(geoms), (1, 5)) & (shapely.get_num_coordinates(geoms) > most)
    if not long.any():
        return geoms, owner
    parts, part_owner = shapely.get_parts(geoms[long], return_index=True)
    n = shapely.get_num_coordinates(parts)
    parts, part_owner, n = parts[n >= 2], part_owner[n >= 2], n[n >= 2]  # (an empty part is at no distance)
    coords = shapely.get_coordinates(parts)
    first = np.cumsum(n) - n  # each part's first vertex in ``coords``
    count = -(-(n - 1) // (most - 1))  # pieces per part
    piece_part = np.repeat(np.arange(len(parts)), count)
    start = (np.arange(len(piece_part)) - np.repeat(np.cumsum(count) - count, count)) * (most - 1)
    size = np.minimum(most, n[piece_part] - start)
    vertex = np.repeat(first[piece_part] + start, size) + (
        np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
    )
    pieces = shapely.linestrings(coords[vertex], indices=np.repeat(np.arange(len(size)), size))
    kept = np.nonzero(~long)[0]
    came_from = np.concatenate([kept, np.nonzero(long)[0][part_owner][piece_part]])
    order = np.argsort(came_from, kind="stable")  # each zone's pieces where the zone was
    return np.concatenate([geoms[kept], pieces])[order], came_from[order]


def _reason_key(reason: str, acc: Any, acc_source: str) -> tuple[str, str, str]:
    """What a doubt's text depends on, as a key (the accuracy by its exact value: -0.0 is not 0.0)."""
    return reason, acc_source, acc.hex() if type(acc) is float else repr(acc)


def _factorise(values: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Integer codes and the distinct values of an object column, in first-seen order.

    One dictionary pass (0.05-0.08 s per million values, several times faster than
    sorting strings with ``numpy.unique``); rules then test only the distinct values.
    """
    seen: defaultdict[Any, int] = defaultdict()
    seen.default_factory = seen.__len__  # a value not seen yet gets the next code
    codes = np.fromiter(map(seen.__getitem__, values), dtype=np.int64, count=len(values))
    seen.default_factory = None  # no cycle left behind
    return codes, list(seen)


def _query_each(tree: shapely.STRtree, bounds: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (report, tree item) by asking the tree about each report's box (its
    point where it has no GPS error), one geometry per report."""
    return tree.query(envelopes(*bounds))


def _message_text(rule: Rule, lang: str) -> str:
    """The rule's message in ``lang`` as written (else Indonesian, else English, else its id)."""
    return rule.message.get(lang) or rule.message.get("id") or rule.message.get("en") or rule.id


def _fmt(value: Any, lang: str) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace(".", ",") if lang == "id" else text


_UNSET = object()
"""Marks a finding whose evidence lacks a value its message may name (the report's own is used)."""
_NUMERIC_PLACEHOLDERS = frozenset({"width_m", "height_m", "area_m2", "accuracy_m", "min_m"})
_OWN_TEXT = frozenset({"distance_m", "threshold_m", "margin_m", "category", "rule"}) | _NUMERIC_PLACEHOLDERS
"""Placeholders the engine fills with its own numbers and labels, which are always clean."""
_PLACEHOLDER_NAMES = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _fold(value: Any) -> str:
    return str(value).strip().casefold()
