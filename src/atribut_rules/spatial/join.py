"""The spatial join: for each report and zone category, the nearest zone in reach.

Reports are projected into areas centred on the data (:mod:`.projection`); per area,
one STRtree over zone envelopes grown by the largest distance any rule asks of their
category, one bulk query, ``shapely.distance`` on the candidate pairs, and per report
and category the signed distance to the nearest zone (negative inside a polygon: minus
the depth). Work runs in chunks, in threads where there are several (shapely and pyproj
release the GIL).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from ..rules.conditions import kind_of, walk
from ..rules.conditions.whole_list import rule_kind_of
from ..rules.ruleset import RuleSet
from ..table.reports import Reports
from .candidates import BoxCells, envelopes
from .projection import Area, plan_areas, project
from .zones import Zones

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


@dataclass
class NearestZones:
    """Per category: signed distance from each report to the nearest zone, and that zone."""

    categories: list[str]
    signed: np.ndarray  # (n_categories, n_reports), +inf where no zone is in reach
    zone: np.ndarray  # (n_categories, n_reports), -1 where none


class SpatialJoin:
    """Projects the reports and finds, per zone category, each report's nearest zone in reach.

    ``acc`` is each report's GPS error in metres (its query box is grown by it). After
    :meth:`run`, ``px``/``py`` hold the projected points, ``areas`` the projection areas and
    ``assignment`` each report's area (-1: none).
    """

    def __init__(
        self,
        reports: Reports,
        zones: Zones,
        rules: RuleSet,
        acc: np.ndarray,
        threads: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.reports, self.zones, self.rules = reports, zones, rules
        self.active = rules.active_rules
        self.n = len(reports)
        self.acc = acc
        self.threads = threads
        self.progress = progress
        self.px = np.full(self.n, np.nan)
        self.py = np.full(self.n, np.nan)
        self.areas: list[Area] = []
        self.assignment = np.full(self.n, -1, dtype=np.int64)

    def thresholds(self) -> dict[str, float]:
        needs: dict[str, float] = {}
        for rule in self.active:
            whole = rule_kind_of(rule)
            if whole is not None:
                for category, reach in whole[0].zone_reach(whole[1]):
                    needs[category] = max(needs.get(category, 0.0), reach)
            for cond in (rule.applies_to, rule.when, rule.area):
                if cond is None:
                    continue
                for node in walk(cond):
                    for category, reach in kind_of(node).zone_reach(node):
                        needs[category] = max(needs.get(category, 0.0), reach)
        return needs

    def run(self, valid: np.ndarray, meanwhile: Callable[[], None] | None = None) -> NearestZones:
        """Project the reports and find, per category, each report's nearest zone in reach.

        With more than one chunk and thread, the zones' preparation and the chunks run in a
        thread pool (shapely and pyproj release the GIL) while ``meanwhile``, work that needs
        no geometry, runs in this thread; otherwise ``meanwhile`` runs after them.
        """
        needs = self.thresholds()
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
        self.areas, self.assignment = areas, assignment
        return NearestZones(categories, signed, nearest)

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
        pr, pz = found if found is not None else query_each(tree, cells.bounds)
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
            geoms, owner = line_pieces(geoms, LINE_PIECE)
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

    def inside_zone(self, zone_id: str, rows: np.ndarray | None = None) -> np.ndarray:
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
        for a, area in enumerate(self.areas):
            in_area = self.assignment == a
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


def line_pieces(geoms: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
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


def query_each(tree: shapely.STRtree, bounds: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (report, tree item) by asking the tree about each report's box (its
    point where it has no GPS error), one geometry per report."""
    return tree.query(envelopes(*bounds))
