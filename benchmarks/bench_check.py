"""Benchmark atribut-rules' ``check`` against the bare shapely floor and GeoPandas, with a parity check.

A synthetic city (fixed seed) of zones in four categories -- trees as points,
schools, places of worship and government sites as small polygons -- and
reports with a realistic mix (about a fifth placed near a zone) is checked
with the bundled national rule set (``builtin:id-pemilu-2024``). In the same
process the same spatial work is done by

* the *floor*: one bulk ``STRtree`` query over all zone envelopes grown by each
  category's reach, then vectorised ``shapely.distance`` on the candidate pairs,
  in a local transverse Mercator projection; one thread, and (``floor_2_threads``,
  issue 7's floor) the reports split in two halves run in 2 threads;
* *GeoPandas* (when importable): ``sjoin(..., predicate="dwithin")`` per category;
* *PostGIS* (only with ``--postgis URL``; see ``postgis_baseline.py``): the same
  projected coordinates COPYed into GiST-indexed tables, then an ``ST_DWithin``
  join per category.

All pipelines must reach the same spatial verdicts (per report and category:
is a zone within the rule's reach?), and the engine's findings of the spatial
rules must be exactly what those verdicts imply. Then median/min/max times over
``--repeat`` runs, the ratios, and peak memory per pipeline (one subprocess each)
are printed. Usage::

    python benchmarks/bench_check.py                     # sizes small and medium
    python benchmarks/bench_check.py --sizes large --repeat 1
    python benchmarks/bench_check.py --sizes medium --profile 25
    python benchmarks/bench_check.py --postgis postgresql://user@host/db   # + the PostGIS baseline

Sizes: small = 10k reports x 10k zones, medium = 100k x 100k, large = 1M x 100k.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely

import atribut_rules as ar
from atribut_rules.model import STATUS_CODES
from atribut_rules.rules.conditions import AnyOf, FieldTest, Near, walk
from atribut_rules.spatial.join import TOLERANCE_M

SIZES = {"small": (10_000, 10_000), "medium": (100_000, 100_000), "large": (1_000_000, 100_000)}
CITY_CENTRE = (106.11, -2.13)  # Pangkalpinang, Bangka Belitung
CITY_HALF_SIDE_M = 12_000.0  # a 24 km x 24 km city
ZONE_MIX = {"tree": 0.55, "place_of_worship": 0.2, "school": 0.12, "government": 0.13}
POLYGON_SIDE_M = {"place_of_worship": (12.0, 40.0), "school": (40.0, 110.0), "government": (20.0, 70.0)}
TYPES = np.array(
    ["baliho", "spanduk", "umbul-umbul", "bendera", "billboard", "poster", "stiker", "pamflet"], dtype=object
)
TYPE_P = np.array([0.18, 0.22, 0.1, 0.12, 0.05, 0.18, 0.1, 0.05])
MOUNTS = np.array([None, "tiang listrik", "pohon", "pagar", "dinding"], dtype=object)
MOUNT_P = np.array([0.6, 0.12, 0.05, 0.13, 0.1])
PARTIES = np.array([f"Partai {c}" for c in "ABCDEFGHIJKLMNOPQR"], dtype=object)
NEAR_SHARE = 0.3
SEED = 20240214


# -- the synthetic city ------------------------------------------------------------------------


@dataclass
class City:
    """Zones and reports as plain arrays (WGS84 lon/lat); built once, wrapped per run."""

    zone_ids: list[str]
    zone_cat: np.ndarray  # object
    zone_kind: np.ndarray  # object: point | polygon
    zone_geoms: np.ndarray  # shapely, WGS84
    r_lon: np.ndarray
    r_lat: np.ndarray
    r_type: np.ndarray
    r_mount: np.ndarray
    r_party: np.ndarray
    r_day: np.ndarray  # datetime64[D]
    r_width: np.ndarray
    r_height: np.ndarray
    r_ids: list[str]
    r_observed: list[str | None]

    @property
    def n_reports(self) -> int:
        return len(self.r_lon)


def _to_lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    to_geo = pyproj.Transformer.from_crs(_city_crs(), "EPSG:4326", always_xy=True)
    return to_geo.transform(x, y)


def _city_crs() -> str:
    lon0, lat0 = CITY_CENTRE
    return f"+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"


def make_city(n_reports: int, n_zones: int, seed: int = SEED) -> City:
    """Build the synthetic city: deterministic for a given size and seed."""
    rng = np.random.default_rng(seed)
    cats = np.array(list(ZONE_MIX), dtype=object)
    zone_cat = cats[rng.choice(len(cats), n_zones, p=list(ZONE_MIX.values()))]
    cx = rng.uniform(-CITY_HALF_SIDE_M, CITY_HALF_SIDE_M, n_zones)
    cy = rng.uniform(-CITY_HALF_SIDE_M, CITY_HALF_SIDE_M, n_zones)
    # polygons: rotated rectangles, built in metres then taken to lon/lat
    w = np.ones(n_zones)
    h = np.ones(n_zones)
    for cat, (lo, hi) in POLYGON_SIDE_M.items():
        m = zone_cat == cat
        w[m] = rng.uniform(lo, hi, m.sum())
        h[m] = rng.uniform(lo, hi, m.sum())
    angle = rng.uniform(0, np.pi, n_zones)
    corners = np.array([(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5)])
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    px = cx[:, None] + cos * corners[:, 0] * w[:, None] - sin * corners[:, 1] * h[:, None]
    py = cy[:, None] + sin * corners[:, 0] * w[:, None] + cos * corners[:, 1] * h[:, None]
    plon, plat = _to_lonlat(px.ravel(), py.ravel())
    zlon, zlat = _to_lonlat(cx, cy)
    is_poly = zone_cat != "tree"
    geoms = np.empty(n_zones, dtype=object)
    geoms[~is_poly] = shapely.points(zlon[~is_poly], zlat[~is_poly])
    ring = np.column_stack([plon, plat]).reshape(n_zones, 5, 2)[is_poly]
    geoms[is_poly] = shapely.polygons(ring)
    kind = np.where(is_poly, "polygon", "point").astype(object)

    # reports: a fifth placed near a random zone (a tree's trunk, or in/around a polygon)
    near = rng.random(n_reports) < NEAR_SHARE
    rx = rng.uniform(-CITY_HALF_SIDE_M, CITY_HALF_SIDE_M, n_reports)
    ry = rng.uniform(-CITY_HALF_SIDE_M, CITY_HALF_SIDE_M, n_reports)
    k = int(near.sum())
    z = rng.integers(0, n_zones, k)
    half = np.maximum(w[z], h[z]) / 2
    reach = np.where(is_poly[z], half * 1.25, 2.0)  # most inside, some just outside
    r = reach * np.sqrt(rng.random(k))
    t = rng.uniform(0, 2 * np.pi, k)
    rx[near] = cx[z] + r * np.cos(t)
    ry[near] = cy[z] + r * np.sin(t)
    lon, lat = _to_lonlat(rx, ry)

    types = TYPES[rng.choice(len(TYPES), n_reports, p=TYPE_P)]
    mounts = MOUNTS[rng.choice(len(MOUNTS), n_reports, p=MOUNT_P)]
    # dates inside the rule set's effective span: mostly the campaign, some before, quiet days, deadline
    start = np.datetime64("2023-09-01")
    days = rng.choice(
        [0, 1, 2, 3],
        n_reports,
        p=[0.06, 0.9, 0.03, 0.01],
    )
    offset = np.select(
        [days == 0, days == 1, days == 2],
        [
            rng.integers(0, 88, n_reports),  # 2023-09-01 .. 2023-11-27
            rng.integers(88, 163, n_reports),  # 2023-11-28 .. 2024-02-10
            rng.integers(163, 166, n_reports),  # 2024-02-11 .. 2024-02-13
        ],
        166,  # 2024-02-14
    )
    day = (start + offset.astype("timedelta64[D]")).astype("datetime64[D]")
    width = np.full(n_reports, np.nan)
    height = np.full(n_reports, np.nan)
    poster = types == "poster"
    width[poster] = rng.choice([0.3, 0.4, 0.6, 0.8], poster.sum())
    height[poster] = rng.choice([0.4, 0.6, 0.9], poster.sum())
    sticker = types == "stiker"
    width[sticker] = rng.choice([0.05, 0.1, 0.2], sticker.sum())
    height[sticker] = rng.choice([0.05, 0.1], sticker.sum())
    big = np.isin(types, ["baliho", "billboard", "spanduk"])
    width[big] = rng.choice([1.0, 2.0, 4.0], big.sum())
    height[big] = rng.choice([1.0, 3.0, 6.0], big.sum())
    party = PARTIES[rng.integers(0, len(PARTIES), n_reports)]
    return City(
        zone_ids=[f"z{i}" for i in range(n_zones)],
        zone_cat=zone_cat,
        zone_kind=kind,
        zone_geoms=geoms,
        r_lon=np.asarray(lon),
        r_lat=np.asarray(lat),
        r_type=types,
        r_mount=mounts,
        r_party=party,
        r_day=day,
        r_width=width,
        r_height=height,
        r_ids=[f"R{i}" for i in range(n_reports)],
        r_observed=[str(d) for d in day.tolist()],
    )


def zones_of(city: City) -> ar.Zones:
    """A fresh Zones table (no prepared index cached), as load_zones would build it."""
    n = len(city.zone_ids)
    return ar.Zones(
        ids=list(city.zone_ids),
        categories=city.zone_cat.copy(),
        names=[None] * n,
        geoms=city.zone_geoms.copy(),
        radius_m=np.full(n, np.nan),
        kinds=city.zone_kind.copy(),
        source_files=[None] * n,
    )


def reports_of(city: City) -> ar.Reports:
    """The Reports columns built directly (no text parsing), as a reader would produce them."""
    n = city.n_reports
    none = np.full(n, None, dtype=object)
    return ar.Reports(
        ids=city.r_ids,
        lon=city.r_lon,
        lat=city.r_lat,
        accuracy_m=np.full(n, np.nan),
        width_m=city.r_width,
        height_m=city.r_height,
        type=city.r_type,
        party=city.r_party,
        candidate=none,
        mounted_on=city.r_mount,
        observed_at=city.r_observed,
        observed_day=city.r_day,
        extra={},
        rows=np.arange(2, n + 2, dtype=np.int64),
        file="<synthetic>",
    )


def records_of(city: City) -> list[dict[str, Any]]:
    """The same reports as text records, the way a CSV reader hands them over."""
    out = []
    for i in range(city.n_reports):
        out.append(
            {
                "id": f"R{i}",
                "lat": f"{city.r_lat[i]:.7f}",
                "lon": f"{city.r_lon[i]:.7f}",
                "type": city.r_type[i],
                "mounted_on": city.r_mount[i] or "",
                "party": city.r_party[i],
                "observed_at": str(city.r_day[i]),
                "width_m": "" if np.isnan(city.r_width[i]) else str(city.r_width[i]),
                "height_m": "" if np.isnan(city.r_height[i]) else str(city.r_height[i]),
            }
        )
    return out


# -- what the rules ask of the geometry --------------------------------------------------------


def spatial_reach(rules: ar.RuleSet, categories: list[str]) -> dict[str, float]:
    """Per zone category present: the distance (m) from a zone's geometry that makes a rule true.

    A point zone counts through the rule set's default radius for its category
    (trees 0.5 m); polygons count through their area. ``inside`` is ``near`` 0 m.
    """
    reach: dict[str, float] = {}
    for rule in rules.active_rules:
        for cond in (rule.applies_to, rule.when):
            for node in walk(cond) if cond is not None else ():
                if isinstance(node, Near) and node.zone in categories:
                    reach[node.zone] = max(reach.get(node.zone, 0.0), node.within_m)
    out = {}
    for cat, within in reach.items():
        radius = rules.zone_radius_m.get(cat, 0.0) if cat == "tree" else 0.0
        out[cat] = within + radius + TOLERANCE_M
    return out


@dataclass
class SpatialRule:
    """The shape of a spatial rule of the bundled set, read independently of the engine."""

    id: str
    types: frozenset[str]
    categories: tuple[str, ...]
    mounted_on: frozenset[str]


def spatial_rules(rules: ar.RuleSet) -> list[SpatialRule]:
    """The rules whose ``when`` is ``near``/``inside`` (or ``any`` of those and a mounted_on test)."""
    out = []
    for rule in rules.active_rules:
        if rule.when is None or not any(isinstance(n, Near) for n in walk(rule.when)):
            continue
        a = rule.applies_to
        if not (isinstance(a, FieldTest) and a.field == "type" and a.op == "in") or rule.area is not None:
            raise ValueError(f"{rule.id}: unsupported rule shape for the parity check")
        items = rule.when.items if isinstance(rule.when, AnyOf) else (rule.when,)
        cats, mounts = [], set()
        for item in items:
            if isinstance(item, Near):
                cats.append(item.zone)
            elif isinstance(item, FieldTest) and item.field == "mounted_on" and item.op == "in":
                mounts |= {str(v).casefold() for v in item.value}
            else:
                raise ValueError(f"{rule.id}: unsupported condition {item!r} for the parity check")
        out.append(
            SpatialRule(
                rule.id, frozenset(str(t).casefold() for t in a.value), tuple(cats), frozenset(mounts)
            )
        )
    return out


# -- the pipelines ---------------------------------------------------------------------------------


def run_check(city: City, rules: ar.RuleSet) -> ar.Run:
    """atribut-rules on in-memory reports, zones not yet prepared (a cold run).

    Partial: the synthetic city has four zone categories, and the rules that need the
    others are left unchecked (their cost is a few array operations per rule).
    """
    return ar.check(reports_of(city), zones_of(city), rules, partial=True)


def _local_crs(city: City) -> str:
    """The local transverse Mercator around the zones' centre (what the engine uses)."""
    b = shapely.total_bounds(city.zone_geoms)
    return _local_tm((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)


def _to_local(city: City) -> pyproj.Transformer:
    """WGS84 -> :func:`_local_crs`."""
    return pyproj.Transformer.from_crs("EPSG:4326", _local_crs(city), always_xy=True)


@dataclass
class _FloorZones:
    """The floor's zones: projected, grown by their category's reach, in one STRtree."""

    cats: list[str]
    code: dict[str, int]
    zcat: np.ndarray  # category code per indexed zone
    geoms: np.ndarray
    grow: np.ndarray
    tree: shapely.STRtree


def _floor_zones(city: City, reach: dict[str, float], tr: pyproj.Transformer) -> _FloorZones:
    cats = sorted(reach)
    code = {c: i for i, c in enumerate(cats)}
    zcat = np.array([code.get(c, -1) for c in city.zone_cat], dtype=np.int64)
    used = np.nonzero(zcat >= 0)[0]
    geoms = shapely.transform(
        city.zone_geoms[used], lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1]))
    )
    grow = np.array([reach[c] for c in cats])[zcat[used]]
    xmin, ymin, xmax, ymax = shapely.bounds(geoms).T
    tree = shapely.STRtree(shapely.box(xmin - grow, ymin - grow, xmax + grow, ymax + grow))
    return _FloorZones(cats, code, zcat[used], geoms, grow, tree)


def _floor_reports(
    zones: _FloorZones, tr: pyproj.Transformer, lon: np.ndarray, lat: np.ndarray
) -> dict[str, np.ndarray]:
    """Per category, which of these reports have a zone within reach (one bulk query)."""
    x, y = tr.transform(lon, lat)
    points = shapely.points(x, y)
    pr, pz = zones.tree.query(points)
    hit = shapely.distance(points[pr], zones.geoms[pz]) <= zones.grow[pz]
    out = {}
    for c in zones.cats:
        m = np.zeros(len(lon), dtype=bool)
        m[pr[hit & (zones.zcat[pz] == zones.code[c])]] = True
        out[c] = m
    return out


def floor(city: City, reach: dict[str, float]) -> dict[str, np.ndarray]:
    """The bare shapely floor: per category, which reports have a zone within its reach."""
    tr = _to_local(city)
    return _floor_reports(_floor_zones(city, reach, tr), tr, city.r_lon, city.r_lat)


def floor_2_threads(city: City, reach: dict[str, float]) -> dict[str, np.ndarray]:
    """The floor with the reports' work split in two halves run in 2 threads (shapely and pyproj
    release the GIL): zones projected and indexed once, then each half projects its reports,
    makes its points, queries and measures. Issue 7's floor is this one (2 threads)."""
    from concurrent.futures import ThreadPoolExecutor

    zones = _floor_zones(city, reach, _to_local(city))

    def half(lo: int, hi: int) -> dict[str, np.ndarray]:
        tr = _to_local(city)  # one transformer per thread
        return _floor_reports(zones, tr, city.r_lon[lo:hi], city.r_lat[lo:hi])

    mid = city.n_reports // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = [pool.submit(half, 0, mid), pool.submit(half, mid, city.n_reports)]
        first, second = (p.result() for p in parts)
    return {c: np.concatenate([first[c], second[c]]) for c in zones.cats}


def _local_tm(lon0: float, lat0: float) -> str:
    # the same local transverse Mercator the engine uses (atribut_rules.spatial.projection.local_tm)
    from atribut_rules.spatial.projection import local_tm

    return local_tm(lon0, lat0)


def geopandas_pipeline(city: City, reach: dict[str, float]) -> dict[str, np.ndarray]:
    """GeoPandas: project both layers, then one ``sjoin(predicate="dwithin")`` per category."""
    import geopandas as gpd

    crs = _local_crs(city)
    zones = gpd.GeoDataFrame({"category": city.zone_cat}, geometry=city.zone_geoms, crs="EPSG:4326").to_crs(
        crs
    )
    reports = gpd.GeoDataFrame(
        {"type": city.r_type}, geometry=gpd.points_from_xy(city.r_lon, city.r_lat), crs="EPSG:4326"
    ).to_crs(crs)
    out = {}
    for c, d in reach.items():
        joined = gpd.sjoin(reports, zones[zones["category"] == c], predicate="dwithin", distance=d)
        m = np.zeros(city.n_reports, dtype=bool)
        m[joined.index.to_numpy()] = True
        out[c] = m
    return out


def postgis_load(baseline: Any, city: City, reach: dict[str, float]) -> None:
    """Project in Python exactly as the floor does, then COPY, index and ANALYZE (postgis_baseline)."""
    tr = _to_local(city)
    x, y = tr.transform(city.r_lon, city.r_lat)
    zones = shapely.transform(city.zone_geoms, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))
    baseline.load(shapely.points(x, y), zones, city.zone_cat, reach)


def _postgis_module() -> Any:
    """benchmarks/postgis_baseline.py, imported only when --postgis is given."""
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    import postgis_baseline

    return postgis_baseline


# -- parity ----------------------------------------------------------------------------------------


def engine_findings(run: ar.Run, rule_ids: list[str]) -> dict[str, np.ndarray]:
    """Per rule: which reports have a violation finding (read from the run's verdicts)."""
    out = {r: np.zeros(len(run.verdicts), dtype=bool) for r in rule_ids}
    ok = STATUS_CODES.index(ar.Status.OK)
    for i in np.nonzero(run.status_codes != ok)[0].tolist():
        for f in run.verdicts[i].findings:
            if f.rule in out and f.status is ar.Status.VIOLATION:
                out[f.rule][i] = True
    return out


def expected_findings(
    city: City, near: dict[str, np.ndarray], rules: list[SpatialRule]
) -> dict[str, np.ndarray]:
    """Per spatial rule: the reports it must flag, given per-category spatial verdicts."""
    out = {}
    types = np.array([str(t).casefold() for t in city.r_type], dtype=object)
    mounts = np.array([(m or "").casefold() for m in city.r_mount], dtype=object)
    for r in rules:
        hit = np.zeros(city.n_reports, dtype=bool)
        for c in r.categories:
            if c in near:
                hit |= near[c]
        if r.mounted_on:
            hit |= np.isin(mounts, list(r.mounted_on))
        out[r.id] = hit & np.isin(types, list(r.types))
    return out


def compare(name: str, a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> list[str]:
    """Differences between two verdict tables (same keys expected), as readable lines."""
    problems = []
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            problems.append(f"{name}: {key} missing on one side")
            continue
        diff = np.nonzero(a[key] != b[key])[0]
        if len(diff):
            problems.append(f"{name}: {key}: {len(diff)} reports differ, e.g. rows {diff[:5].tolist()}")
    return problems


def parity(city: City, rules: ar.RuleSet, with_geopandas: bool = True, postgis: Any = None) -> dict[str, Any]:
    """Run every pipeline once and compare their spatial verdicts; returns counts and problems.

    ``postgis``: a ``postgis_baseline.PostgisBaseline`` to load the city into and query, or None.
    """
    cats = sorted(set(city.zone_cat.tolist()))
    reach = spatial_reach(rules, cats)
    srules = spatial_rules(rules)
    near_floor = floor(city, reach)
    run = run_check(city, rules)
    problems = compare(
        "check vs floor",
        engine_findings(run, [r.id for r in srules]),
        expected_findings(city, near_floor, srules),
    )
    problems += compare("floor_2_threads vs floor", floor_2_threads(city, reach), near_floor)
    result: dict[str, Any] = {
        "reach_m": reach,
        "near_counts": {c: int(v.sum()) for c, v in near_floor.items()},
        "spatial_rules": [r.id for r in srules],
        "status_counts": run.summary.by_status,
        "rule_counts": {k: v["violation"] for k, v in run.summary.by_rule.items() if v["violation"]},
    }
    if with_geopandas and _has_geopandas():
        problems += compare("geopandas vs floor", geopandas_pipeline(city, reach), near_floor)
        result["geopandas"] = True
    if postgis is not None:
        postgis_load(postgis, city, reach)
        problems += compare("postgis vs floor", postgis.query(), near_floor)
        result["postgis"] = True
    result["problems"] = problems
    return result


def _has_geopandas() -> bool:
    try:
        import geopandas  # noqa: F401
    except ImportError:
        return False
    return True


# -- timing and memory -----------------------------------------------------------------------------


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def pipelines(city: City, rules: ar.RuleSet) -> dict[str, Callable[[], Any]]:
    cats = sorted(set(city.zone_cat.tolist()))
    reach = spatial_reach(rules, cats)
    spatial_ids = {r.id for r in spatial_rules(rules)}
    spatial_only = dataclasses.replace(rules, rules=tuple(r for r in rules.rules if r.id in spatial_ids))
    zones_warm = zones_of(city)
    reports = reports_of(city)
    ar.check(reports, zones_warm, rules, partial=True)  # prepares zones_warm once
    out: dict[str, Callable[[], Any]] = {
        "floor": lambda: floor(city, reach),
        "floor_2_threads": lambda: floor_2_threads(city, reach),
        "check": lambda: run_check(city, rules),
        "check_warm_zones": lambda: ar.check(reports, zones_warm, rules, partial=True),
        "check_spatial_rules_only": lambda: run_check(city, spatial_only),
    }
    if _has_geopandas():
        out["geopandas"] = lambda: geopandas_pipeline(city, reach)
    return out


def _rss_kib(field_name: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def child_memory(size: str, pipeline: str) -> dict[str, float | None]:
    """In a fresh process: build the city, reset the peak RSS, run one pipeline, report peaks (MiB)."""
    n_r, n_z = SIZES[size]
    city = make_city(n_r, n_z)
    rules = ar.load_rules()
    fns = (
        pipelines(city, rules)
        if pipeline != "parse"
        else {"parse": lambda: ar.Reports.from_records(records_of(city))}
    )
    fn = fns[pipeline]
    base = _rss_kib("VmRSS")
    reset = False
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM (peak RSS) on Linux
        reset = True
    except OSError:
        pass
    fn()
    hwm = _rss_kib("VmHWM")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "peak_added_mib": (hwm - base) / 1024 if reset and hwm is not None and base is not None else None,
        "process_peak_mib": maxrss / 1024,
    }


def measure_memory(size: str, names: list[str]) -> dict[str, dict[str, float | None]]:
    out = {}
    for name in names:
        proc = subprocess.run(
            [sys.executable, __file__, "--_memory-child", size, name],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            out[name] = {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}  # type: ignore[dict-item]
        else:
            out[name] = json.loads(proc.stdout)
    return out


def machine() -> dict[str, str]:
    import numpy

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "numpy": numpy.__version__,
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "pyproj": pyproj.__version__,
        "proj": pyproj.proj_version_str,
        "atribut_rules": ar.__version__,
    }
    if _has_geopandas():
        import geopandas
        import pandas

        info["geopandas"] = geopandas.__version__
        info["pandas"] = pandas.__version__
    return info


def fmt(times: list[float]) -> str:
    return f"median {statistics.median(times):7.3f} s  min {min(times):7.3f}  max {max(times):7.3f}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sizes", default="small,medium", help="comma list of small, medium, large (default small,medium)"
    )
    p.add_argument("--repeat", type=int, default=3, help="timed runs per pipeline (default 3)")
    p.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    p.add_argument("--no-parse", action="store_true", help="skip timing Reports.from_records (text parsing)")
    p.add_argument(
        "--profile", type=int, metavar="N", help="print the top N functions of a cProfile of one check"
    )
    p.add_argument("--json", metavar="FILE", help="also write all figures to FILE as JSON")
    p.add_argument(
        "--postgis",
        metavar="URL",
        help="also time PostGIS (ST_DWithin on GiST-indexed tables) on this server, e.g. "
        "postgresql://user@host/db; needs psycopg and a database with the postgis extension",
    )
    p.add_argument("--_memory-child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args._memory_child:
        print(json.dumps(child_memory(*args._memory_child)))
        return 0
    pg = None
    if args.postgis:
        pgmod = _postgis_module()
        try:
            pg = pgmod.PostgisBaseline(pgmod.connect(args.postgis))
        except pgmod.PostgisUnavailable as e:
            print(e, file=sys.stderr)
            return 2
    try:
        return _run(args, pg)
    finally:
        if pg is not None:
            pg.drop()
            pg.conn.close()


def _run(args: argparse.Namespace, pg: Any) -> int:
    rules = ar.load_rules()
    report: dict[str, Any] = {"machine": machine(), "seed": SEED, "repeat": args.repeat, "sizes": {}}
    if pg is not None:
        report["machine"].update(_postgis_module().server_versions(pg.conn))
    print(json.dumps(report["machine"]))
    failed = False
    for size in args.sizes.split(","):
        n_r, n_z = SIZES[size]
        print(f"\n== {size}: {n_r:,} reports x {n_z:,} zones ==", flush=True)
        t0 = time.perf_counter()
        city = make_city(n_r, n_z)
        print(f"city built in {time.perf_counter() - t0:.1f} s", flush=True)
        par = parity(city, rules, postgis=pg)
        print(f"reach (m): {par['reach_m']}")
        print(f"reports near a zone, per category: {par['near_counts']}")
        print(f"statuses: {par['status_counts']}")
        print(f"violations per rule: {par['rule_counts']}")
        if par["problems"]:
            failed = True
            print("PARITY FAILED:\n  " + "\n  ".join(par["problems"]))
        else:
            others = [n for n in ("geopandas", "postgis") if par.get(n)]
            print(
                f"parity: check, floor, floor_2_threads{''.join(' and ' + n for n in others)} agree on {len(par['spatial_rules'])} spatial rules"
            )
        entry: dict[str, Any] = {"reports": n_r, "zones": n_z, "parity": par, "times": {}}
        fns = pipelines(city, rules)
        for name, fn in fns.items():
            entry["times"][name] = timed(fn, args.repeat)
            print(f"{name:26s} {fmt(entry['times'][name])}", flush=True)
        if pg is not None:
            reach = par["reach_m"]
            loads, queries = [], []
            for _ in range(args.repeat):  # each run: a fresh schema (load timed), then the query
                pg.drop()
                loads += timed(lambda city=city, reach=reach: postgis_load(pg, city, reach), 1)
                queries += timed(pg.query, 1)
            pg.drop()
            entry["times"]["postgis"] = queries
            entry["times"]["postgis_load"] = loads
            print(f"{'postgis':26s} {fmt(queries)}  (query only)", flush=True)
            print(f"{'postgis_load':26s} {fmt(loads)}  (project, COPY, GiST, ANALYZE; not in postgis)")
        if not args.no_parse:
            recs = records_of(city)
            entry["times"]["parse_from_records"] = timed(lambda recs=recs: ar.Reports.from_records(recs), 1)
            print(f"{'parse_from_records':26s} {fmt(entry['times']['parse_from_records'])}  (not in check)")
            del recs
        med = {k: statistics.median(v) for k, v in entry["times"].items()}
        ratios = {
            "check/floor": med["check"] / med["floor"],
            "check/floor_2_threads": med["check"] / med["floor_2_threads"],
            "check_warm/floor": med["check_warm_zones"] / med["floor"],
        }
        ratios["non_spatial_rules_share"] = med["check"] / med["check_spatial_rules_only"] - 1
        if "geopandas" in med:
            ratios["geopandas/check"] = med["geopandas"] / med["check"]
        if "postgis" in med:
            ratios["postgis/check"] = med["postgis"] / med["check"]
            ratios["postgis/floor"] = med["postgis"] / med["floor"]
            ratios["(postgis_load+postgis)/check"] = (med["postgis_load"] + med["postgis"]) / med["check"]
        entry["ratios"] = ratios
        print("ratios: " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
        if "postgis" in med:
            rate = {k: n_r / med[k] for k in ("floor", "check", "geopandas", "postgis") if k in med}
            rate["postgis_load+postgis"] = n_r / (med["postgis_load"] + med["postgis"])
            entry["reports_per_s"] = rate
            print("reports (points) per s: " + ", ".join(f"{k} {v:,.0f}" for k, v in rate.items()))
        if not args.no_memory:
            names = list(fns) + ([] if args.no_parse else ["parse"])
            entry["memory"] = measure_memory(size, [n for n in names if n != "check_warm_zones"])
            for name, m in entry["memory"].items():
                print(f"memory {name:26s} {m}")
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            run_check(city, rules)
            prof.disable()
            s = io.StringIO()
            pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(args.profile)
            print(s.getvalue())
        report["sizes"][size] = entry
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, default=str)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
