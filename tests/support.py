"""Builders of small cases for the core tests: rule documents, zone features and geometry
placed by geodesic distance, report tables, and :func:`run` to check one such case.

Kept as a plain module (not fixtures) so hypothesis tests can call them freely. Running
the command line, loading the bundled example and comparing runs are in :mod:`helpers`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pyproj import Geod

import atribut_rules as ar

GEOD = Geod(ellps="WGS84")

# A place in Pangkalpinang used by the small engine tests.
PKP = (106.11, -2.13)


def rules_doc(
    *rules: Mapping[str, Any],
    periods: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    categories: Sequence[str] | None = None,
    rid: str = "test-rules",
) -> dict[str, Any]:
    """A schema-valid rule document holding ``rules``."""
    doc: dict[str, Any] = {
        "schema": "atribut-rules/1",
        "ruleset": {"id": rid, "version": "1"},
        "rules": [dict(r) for r in rules],
    }
    if periods is not None:
        doc["periods"] = dict(periods)
    if defaults is not None:
        doc["defaults"] = dict(defaults)
    if categories is not None:
        doc["categories"] = list(categories)
    return doc


def make_rules(*rules: Mapping[str, Any], **kwargs: Any) -> ar.RuleSet:
    """Load a rule set from :func:`rules_doc`."""
    return ar.load_rules(rules_doc(*rules, **kwargs))


def rule(rid: str, when: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """One rule with a bilingual message that shows the evidence."""
    return {
        "id": rid,
        "severity": "error",
        "when": dict(when),
        "message": {"id": "{type} {distance_m} m", "en": "{type} {distance_m} m"},
        **extra,
    }


def feature(
    zid: str,
    geometry: Mapping[str, Any],
    category: str | None = None,
    name: str | None = None,
    **props: Any,
) -> dict[str, Any]:
    """A GeoJSON zone feature."""
    properties = dict(props)
    if category is not None:
        properties["category"] = category
    if name is not None:
        properties["name"] = name
    return {"type": "Feature", "id": zid, "properties": properties, "geometry": dict(geometry)}


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def polygon(ring: Sequence[tuple[float, float]]) -> dict[str, Any]:
    coords = [list(p) for p in ring]
    if coords[0] != coords[-1]:
        coords.append(list(coords[0]))
    return {"type": "Polygon", "coordinates": [coords]}


def line(coords: Sequence[tuple[float, float]]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(p) for p in coords]}


def collection(*features: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [dict(f) for f in features]}


def fwd(origin: tuple[float, float], azimuth: float, distance: float) -> tuple[float, float]:
    """The point ``distance`` metres from ``origin`` (lon, lat) at ``azimuth`` degrees, on WGS84."""
    lon, lat, _ = GEOD.fwd(origin[0], origin[1], azimuth, distance)
    return float(lon), float(lat)


def geodesic(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in metres between two (lon, lat) points on WGS84."""
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2])


def square(centre: tuple[float, float], half_side: float) -> list[tuple[float, float]]:
    """A counter-clockwise square ring around ``centre`` (corners on the diagonals)."""
    d = half_side * 2**0.5
    return [fwd(centre, az, d) for az in (225.0, 135.0, 45.0, 315.0)]


def reports(records: Iterable[Mapping[str, Any]], file: str = "<records>") -> ar.Reports:
    return ar.Reports.from_records(list(records), file=file)


def run(
    records: Iterable[Mapping[str, Any]], zones: ar.Zones | Mapping[str, Any], rules: ar.RuleSet
) -> ar.Run:
    """Check ``records`` against ``zones`` (a Zones or a FeatureCollection mapping)."""
    z = zones if isinstance(zones, ar.Zones) else ar.load_zones(zones, categories=rules.categories)
    return ar.check(reports(records), z, rules)


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], sep: str = ",", bom: bool = False
) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")
