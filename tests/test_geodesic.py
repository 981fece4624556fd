"""Distances the engine reports agree with the WGS84 geodesic (pyproj.Geod) across Indonesia.

Bound checked: |distance_m - geodesic| <= 1 cm + 0.001 % of the distance, for a
point zone (radius 0), a polygon and a line, at 0.5 m to 2000 m, from Sabang to
Merauke, including points on both sides of the equator.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from support import GEOD, collection, feature, fwd, line, make_rules, point, polygon, run, square

import atribut_rules as ar

SITES = {
    "sabang": (95.32, 5.89),
    "medan": (98.67, 3.59),
    "pangkalpinang": (106.11, -2.13),
    "jakarta": (106.83, -6.18),
    "pontianak": (109.3425, 0.0),  # on the equator: reports fall on both hemispheres
    "makassar": (119.42, -5.14),
    "ambon": (128.18, -3.70),
    "jayapura": (140.72, -2.53),
    "merauke": (140.4, -8.5),
}
DISTANCES = (0.5, 1.0, 2.5, 10.0, 50.0, 250.0, 1000.0, 2000.0)
BEARINGS = (0.0, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0)
WITHIN_M = 10_000.0
RULES = make_rules(
    *(
        {"id": f"NEAR-{cat}", "severity": "info", "when": {"near": {"zone": cat, "within_m": WITHIN_M}}}
        for cat in ("tree", "school", "road")
    )
)


def tolerance(distance: float) -> float:
    return 0.01 + 1e-5 * distance


def layout(name: str, site: tuple[float, float]) -> tuple[list[dict], list[dict]]:
    """Zones (a tree point, a square school, a bent road line) and reports placed around them."""
    tree = site
    ring = square(fwd(site, 135.0, 150.0), 30.0)
    l0 = fwd(site, 225.0, 200.0)
    l1 = fwd(l0, 300.0, 400.0)
    l2 = fwd(l1, 20.0, 300.0)
    road = [l0, l1, l2]
    zones = [
        feature(f"{name}:tree", point(*tree), "tree", radius_m=0),
        feature(f"{name}:school", polygon(ring), "school"),
        feature(f"{name}:road", line(road), "road", radius_m=0),
    ]
    places: list[tuple[float, float]] = []
    for d in DISTANCES:
        places += [fwd(tree, b, d) for b in BEARINGS]
        closed = [*ring, ring[0]]
        for a, b in zip(closed[:-1], closed[1:]):
            az, _, length = GEOD.inv(a[0], a[1], b[0], b[1])
            mid_lon, mid_lat, back = GEOD.fwd(a[0], a[1], az, length / 2)
            # the ring is counter-clockwise, so the outside is on the right of each edge
            places.append(fwd((mid_lon, mid_lat), back + 180.0 + 90.0, d))
            places.append(fwd(a, GEOD.inv(*fwd(site, 135.0, 150.0), a[0], a[1])[0], d))  # off a corner
        for a, b in zip(road[:-1], road[1:]):
            az, _, length = GEOD.inv(a[0], a[1], b[0], b[1])
            mid_lon, mid_lat, back = GEOD.fwd(a[0], a[1], az, length / 2)
            places.append(fwd((mid_lon, mid_lat), back + 90.0, d))
            places.append(fwd((mid_lon, mid_lat), back - 90.0, d))
        places.append(fwd(l0, GEOD.inv(l1[0], l1[1], l0[0], l0[1])[0], d))  # beyond the first end
        places.append(fwd(l2, GEOD.inv(l1[0], l1[1], l2[0], l2[1])[0] + 180.0, d))  # past the last end
    records = [{"id": f"{name}-{i:04d}", "lon": lon, "lat": lat} for i, (lon, lat) in enumerate(places)]
    return zones, records


def _sample(p, a, az, lo, hi, n=41):
    t = np.linspace(lo, hi, n)
    lons, lats, _ = GEOD.fwd(np.full(n, a[0]), np.full(n, a[1]), np.full(n, az), t)
    _, _, d = GEOD.inv(np.full(n, p[0]), np.full(n, p[1]), lons, lats)
    return t, d


def distance_to_path(p: tuple[float, float], vertices: list[tuple[float, float]]) -> float:
    """Geodesic distance from p to a path of geodesic edges.

    Each edge is densified in geodesic steps (41 points); the edges whose samples
    come within one step of the best are then narrowed in around their closest
    sample until the step is below 1 mm (the sampling error is then below 1e-6 m).
    """
    coarse = []
    for a, b in zip(vertices[:-1], vertices[1:]):
        az, _, length = GEOD.inv(a[0], a[1], b[0], b[1])
        t, d = _sample(p, a, az, 0.0, length)
        coarse.append((float(d.min()), a, az, length, t, d))
    best_coarse = min(c[0] for c in coarse)
    best = best_coarse
    for dmin, a, az, length, t, d in coarse:
        step = length / 40
        if dmin > best_coarse + step:
            continue
        while step > 1e-3:
            k = int(np.argmin(d))
            lo, hi = max(0.0, t[k] - step), min(length, t[k] + step)
            t, d = _sample(p, a, az, lo, hi)
            best = min(best, float(d.min()))
            step = (hi - lo) / 40
    return best


def oracle(p: tuple[float, float], zone: dict) -> float:
    geom = zone["geometry"]
    if geom["type"] == "Point":
        q = geom["coordinates"]
        return float(GEOD.inv(p[0], p[1], q[0], q[1])[2])
    if geom["type"] == "Polygon":
        ring = [tuple(c) for c in geom["coordinates"][0]]
        if shapely.Polygon(ring).contains(shapely.Point(p)):
            return 0.0
        return distance_to_path(p, ring)
    return distance_to_path(p, [tuple(c) for c in geom["coordinates"]])


def check_distances(zones: list[dict], records: list[dict], result: ar.Run) -> int:
    by_category = {}
    for z in zones:
        by_category.setdefault(z["properties"]["category"], []).append(z)
    checked = 0
    worst = 0.0
    for record, verdict in zip(records, result.verdicts):
        assert verdict.report == record["id"]
        p = (record["lon"], record["lat"])
        findings = {f.rule: f for f in verdict.findings}
        assert sorted(findings) == ["NEAR-road", "NEAR-school", "NEAR-tree"], record["id"]
        for category, candidates in by_category.items():
            f = findings[f"NEAR-{category}"]
            distances = {z["id"]: oracle(p, z) for z in candidates}
            expected = min(distances.values())
            assert distances[f.zone.id] == pytest.approx(expected, abs=tolerance(expected)), record["id"]
            error = abs(f.distance_m - expected)
            worst = max(worst, error - tolerance(expected))
            assert error <= tolerance(expected), (record["id"], category, f.distance_m, expected)
            assert f.threshold_m == WITHIN_M
            assert f.margin_m == pytest.approx(WITHIN_M - f.distance_m, abs=0.002)
            checked += 1
    assert worst <= 0
    return checked


@pytest.mark.parametrize("name", list(SITES))
def test_distances_agree_with_the_geodesic(name: str) -> None:
    zones, records = layout(name, SITES[name])
    result = run(records, collection(*zones), RULES)
    assert all(v.status is ar.Status.VIOLATION for v in result.verdicts)
    assert check_distances(zones, records, result) == 3 * len(records)
    assert len(result.provenance.crs) == 1


def test_pontianak_reports_lie_on_both_hemispheres() -> None:
    _, records = layout("pontianak", SITES["pontianak"])
    lats = [r["lat"] for r in records]
    assert min(lats) < -0.01 and max(lats) > 0.01


def test_reports_across_indonesia_split_into_projection_areas() -> None:
    zones: list[dict] = []
    records: list[dict] = []
    for name in ("sabang", "pontianak", "merauke"):
        z, r = layout(name, SITES[name])
        zones += z
        records += r[::3]
    result = run(records, collection(*zones), RULES)
    check_distances(zones, records, result)
    areas = result.provenance.crs
    assert len(areas) >= 3
    assert len({a.name for a in areas}) == len(areas)
    assert sum(a.reports for a in areas) == len(records)
    for name in ("sabang", "pontianak", "merauke"):
        lon = SITES[name][0]
        (area,) = [a for a in areas if a.lon_min <= lon < a.lon_max]
        assert "+proj=tmerc" in area.crs
        assert area.lon_max - area.lon_min <= 0.4 + 1e-9
        lon0 = float(area.crs.split("+lon_0=")[1].split()[0])
        assert area.lon_min <= lon0 <= area.lon_max
