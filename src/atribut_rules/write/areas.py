"""Which area each report lies in: a report field (``kelurahan``) or an ``admin_area`` zone.

Used by the summaries. ``by`` is ``auto`` (the ``admin_area`` zones when the run
has some, else the first of :data:`AREA_FIELDS` the reports carry), ``none``,
``zone:CATEGORY`` or the name of a report field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from ..model import STATUS_CODES

AREA_FIELDS = ("kelurahan", "desa", "kecamatan", "area", "wilayah")
"""Report fields tried, in order, when ``by`` is ``auto`` and there is no admin_area zone."""


@dataclass(frozen=True)
class AreaAssignment:
    """One area label per report (``""`` outside every area) and what the labels are.

    ``kind`` is ``zone`` or ``field``; ``source`` the zone category or field name.
    The labels are kept factorised: report ``i``'s is ``names[codes[i]]`` (a label may
    stand at more than one code, as two areas may have one name).
    """

    kind: str
    source: str
    names: list[str]
    codes: np.ndarray

    @property
    def labels(self) -> list[str]:
        """Every report's area label, in report order."""
        names = self.names
        return [names[c] for c in self.codes.tolist()]


def assign_areas(run: Any, by: str = "auto") -> AreaAssignment | None:
    """Label every report of ``run`` with its area, or None when there is no area to use."""
    if by == "none":
        return None
    if by == "auto":
        if (np.asarray(run.zones.categories) == "admin_area").any():
            return _by_zone(run, "admin_area")
        for name in AREA_FIELDS:
            if name in run.reports.extra:
                return _by_field(run, name)
        return None
    if by.startswith("zone:") or by == "zone":
        return _by_zone(run, by.partition(":")[2] or "admin_area")
    return _by_field(run, by)


def _by_field(run: Any, name: str) -> AreaAssignment:
    values = run.reports.field_values(name)
    labels = ["" if v is None else " ".join(str(v).split()) for v in values]
    seen: dict[str, int] = {}
    codes = np.fromiter(
        (seen.setdefault(label, len(seen)) for label in labels), dtype=np.int64, count=len(labels)
    )
    return AreaAssignment("field", name, list(seen), codes)


def _by_zone(run: Any, category: str) -> AreaAssignment:
    zones, reports = run.zones, run.reports
    codes = np.zeros(len(reports), dtype=np.int64)  # 0: no area; k: the k-th zone of the category
    index = np.nonzero(np.asarray(zones.categories) == category)[0]
    ok = ~(np.isnan(reports.lon) | np.isnan(reports.lat))
    if len(index) and ok.any():
        tree, prepared = zones.prepared(None, ("area labels", category), lambda: _area_index(zones, index))
        rows = np.nonzero(ok)[0]
        x, y = reports.lon[rows], reports.lat[rows]
        point, zone = tree.query(shapely.points(x, y))  # the areas whose envelope holds each point
        inside = shapely.intersects_xy(prepared[zone], x[point], y[point])
        point, zone = point[inside], zone[inside]
        order = np.lexsort((zone, point))  # the first zone in file order wins on a shared border
        point, zone = point[order], zone[order]
        first = np.ones(len(point), dtype=bool)
        first[1:] = point[1:] != point[:-1]
        codes[rows[point[first]]] = zone[first] + 1
    names = ["", *(zones.names[z] or zones.ids[z] for z in index.tolist())]
    return AreaAssignment("zone", category, names, codes)


def _area_index(zones: Any, index: np.ndarray) -> tuple[shapely.STRtree, np.ndarray]:
    """An index of the areas' envelopes and prepared copies of them (the zones' own stay unprepared)."""
    geoms = np.asarray(zones.geoms)[index]
    prepared = shapely.from_wkb(shapely.to_wkb(geoms))
    shapely.prepare(prepared)
    return shapely.STRtree(geoms), prepared


def area_summary(run: Any, assignment: AreaAssignment) -> dict[str, dict[str, int]]:
    """Per area label: ``reports`` (the denominator) and the count of each status, sorted."""
    codes = np.asarray(run.status_codes, dtype=np.int64)
    statuses = tuple(s.value for s in STATUS_CODES)
    names = assignment.names
    counts = np.bincount(assignment.codes * len(statuses) + codes, minlength=len(names) * len(statuses))
    by_label: dict[str, list[int]] = {}
    for label, row in zip(names, counts.reshape(len(names), len(statuses)).tolist()):
        if any(row):  # an area with reports in it
            if label in by_label:
                row = [a + b for a, b in zip(by_label[label], row)]
            by_label[label] = row
    out = {label: {"reports": sum(row), **dict(zip(statuses, row))} for label, row in by_label.items()}
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == "", kv[0].casefold(), kv[0])))
