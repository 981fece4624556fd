"""Where distances are measured: local transverse Mercator projections centred on the data.

A transverse Mercator (TM) projection's scale error grows with the square of
the distance from its central meridian: about 6e-6 at 22 km. Data that spans at
most ``BAND_DEG`` degrees of longitude get one TM centred on them; wider data
(a province, the whole country) is split into fixed bands ``BAND_DEG`` wide,
each with a TM on its own centre line. Plain UTM is not used: its central
meridian can be 3 degrees away, where the scale is off by up to 0.1 %.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj

BAND_DEG = 0.4
"""Width in degrees of longitude of one projection area (about 44 km at the equator)."""

METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Area:
    """One projection area: reports with ``lon_min <= lon < lon_max`` are measured in ``crs``."""

    name: str
    crs: str
    lon_min: float
    lon_max: float

    def transformer(self) -> pyproj.Transformer:
        """WGS84 lon/lat to this area's metres (cached)."""
        return transformer(self.crs)


_TM = "+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +x_0=0 +y_0=0 +ellps=WGS84"
LOCAL_TM_PATTERN = re.compile(
    re.escape(_TM)
    .replace(r"\{lat0\}", r"(?P<lat0>-?\d+\.\d{4})")
    .replace(r"\{lon0\}", r"(?P<lon0>-?\d+\.\d{4})")
    + re.escape(" +units=m +no_defs +type=crs")
)


@lru_cache(maxsize=256)
def transformer(crs: str) -> pyproj.Transformer:
    local = LOCAL_TM_PATTERN.fullmatch(crs)
    if local is not None:
        # the operation PROJ would pick for EPSG:4326 to this CRS, given as a pipeline: pyproj
        # remakes a transformer in each thread that uses it, which takes about 20 ms from two
        # CRSs (a search of PROJ's database) and 0.3 ms from a pipeline
        return pyproj.Transformer.from_pipeline(
            "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step "
            + _TM.format(**local.groupdict())
        )
    return pyproj.Transformer.from_crs("EPSG:4326", pyproj.CRS.from_user_input(crs), always_xy=True)


def local_tm(lon0: float, lat0: float) -> str:
    """PROJ string of a transverse Mercator centred on (lon0, lat0), WGS84 ellipsoid, metres."""
    return _TM.format(lat0=f"{lat0:.4f}", lon0=f"{lon0:.4f}") + " +units=m +no_defs +type=crs"


def plan_areas(
    zone_lon: tuple[float, float] | None,
    zone_lat: tuple[float, float] | None,
    report_lon: np.ndarray,
    report_lat: np.ndarray,
    crs: str | None = None,
) -> tuple[list[Area], np.ndarray]:
    """Choose projection areas and assign each report (by index) to one.

    Areas follow the zones when there are any (so prepared zones can be reused
    across runs); reports beyond them get bands of their own. Returns the areas
    and an int array giving each report's area (-1 for reports without a position).
    """
    assignment = np.full(len(report_lon), -1, dtype=np.int64)
    finite = np.isfinite(report_lon) & np.isfinite(report_lat)
    if crs is not None:
        assignment[finite] = 0
        return [Area("crs", crs, -180.0, 180.0)], assignment
    areas: list[Area] = []
    if zone_lon is not None and zone_lat is not None and zone_lon[1] - zone_lon[0] <= BAND_DEG:
        lon0 = (zone_lon[0] + zone_lon[1]) / 2
        lat0 = (zone_lat[0] + zone_lat[1]) / 2
        areas.append(Area("data", local_tm(lon0, lat0), lon0 - BAND_DEG / 2, lon0 + BAND_DEG / 2))
        inside = finite & (report_lon >= areas[0].lon_min) & (report_lon < areas[0].lon_max)
        assignment[inside] = 0
        rest = finite & ~inside
    else:
        rest = finite
    if rest.any():
        band = np.floor(report_lon[rest] / BAND_DEG).astype(np.int64)
        band_ids = np.unique(band)
        if zone_lon is not None and not areas:
            zb = np.arange(math.floor(zone_lon[0] / BAND_DEG), math.floor(zone_lon[1] / BAND_DEG) + 1)
            band_ids = np.union1d(band_ids, zb)
        lat_mid = 0.0 if zone_lat is None else (zone_lat[0] + zone_lat[1]) / 2
        idx_rest = np.nonzero(rest)[0]
        for b in band_ids:
            members = idx_rest[band == b]
            lat0 = (
                lat_mid if zone_lat is not None or not len(members) else float(np.median(report_lat[members]))
            )
            lon_min = b * BAND_DEG
            areas.append(
                Area(f"band{b:+d}", local_tm(lon_min + BAND_DEG / 2, lat0), lon_min, lon_min + BAND_DEG)
            )
            assignment[members] = len(areas) - 1
    return areas, assignment


def degrees_for(metres: float, lat: float) -> float:
    """A longitude span in degrees that is at least ``metres`` wide at latitude ``lat``."""
    return metres / (METRES_PER_DEGREE * max(math.cos(math.radians(min(abs(lat), 89.0))), 1e-6)) + 1e-6


def project(area: Area, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 lon/lat arrays into ``area``'s metres."""
    return area.transformer().transform(lon, lat)
