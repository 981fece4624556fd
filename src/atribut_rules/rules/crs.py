"""Whether a rule set's ``crs`` can be used: a projected CRS in metres that names no file."""

from __future__ import annotations

import functools
import math
import re
import warnings
from typing import Any

from ..errors import quote

_AUTHORITY_CODE = re.compile(r"EPSG:[0-9]{1,9}", re.IGNORECASE)
_PROJ_TOKEN = re.compile(r"\+([A-Za-z_][A-Za-z0-9_]*)(?:=([A-Za-z0-9_.,:+-]+))?")
_PROJ_FILE_KEYS = frozenset(
    {"init", "nadgrids", "geoidgrids", "grids", "file", "model", "catalog", "hgridshift", "vgridshift"}
)
_PROJ_NOT_CRS = frozenset(
    {
        "pipeline",
        "hgridshift",
        "vgridshift",
        "xyzgridshift",
        "gridshift",
        "deformation",
        "tinshift",
        "defmodel",
    }
)
SCALE_RANGE = (0.9, 1.1)
"""Scale factors (stated, and measured at the CRS's centre) a ``crs`` may have."""
EARTH_RADIUS_M = (6_350_000.0, 6_400_000.0)
"""Semi-major axes a ``crs``'s ellipsoid may have (the Earth's, on any datum)."""


def crs_problem(text: Any) -> str | None:
    """Why ``text`` cannot be a rule set's ``crs``, or None when it can.

    A ``crs`` is an authority code (``EPSG:NNNN``) or a PROJ string (``+proj=... +k=...``)
    that names no file: no ``+init``, ``+nadgrids``, ``+geoidgrids``, ``+grids`` or other
    file or grid, and no value with a path in it. The text is checked before PROJ sees
    it, so PROJ never opens a file for it. Then PROJ must know it as a projected CRS whose
    axes are in metres, on an ellipsoid of the Earth's size, with a scale factor (stated,
    and measured at the centre of its area or its origin) within :data:`SCALE_RANGE`.
    """
    if not isinstance(text, str):
        return "a CRS is written as text"
    if _AUTHORITY_CODE.fullmatch(text):
        pass
    elif text.startswith("+"):
        problem = _proj_string_problem(text)
        if problem:
            return problem
    else:
        return "a CRS is given as EPSG:NNNN or as a PROJ string (+proj=...)"
    return crs_checked(text)


def _proj_string_problem(text: str) -> str | None:
    names = []
    for token in text.split():
        key, _, value = token[1:].partition("=")
        if key in _PROJ_FILE_KEYS:
            return f"+{key} names a file or a grid, which a rule file may not make PROJ open"
        if not _PROJ_TOKEN.fullmatch(token):
            return (
                f"{quote(token)} is not a PROJ parameter of plain letters and numbers (+name or "
                "+name=value; no paths)"
            )
        if key == "proj" and value in _PROJ_NOT_CRS:
            return f"+proj={value} is an operation, not a CRS"
        names.append(key)
    if "proj" not in names:
        return "a PROJ string needs +proj="
    return None


@functools.lru_cache(maxsize=64)
def crs_checked(text: str) -> str | None:
    import pyproj

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            crs = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        return "PROJ does not know this CRS"
    if crs.is_bound and crs.source_crs is not None:
        crs = crs.source_crs
    if crs.type_name != "Projected CRS":
        return f"it is a {crs.type_name}, not a projected CRS: distances in it would not be in metres"
    for axis in crs.axis_info[:2]:
        if axis.unit_name not in ("metre", "meter") or axis.unit_conversion_factor != 1.0:
            return f"its axes are in {axis.unit_name}, not metres: every distance would be read wrongly"
    ellipsoid = crs.ellipsoid
    if ellipsoid is None or not EARTH_RADIUS_M[0] <= ellipsoid.semi_major_metre <= EARTH_RADIUS_M[1]:
        size = "unknown" if ellipsoid is None else f"{ellipsoid.semi_major_metre:g} m"
        return f"its ellipsoid is not the Earth's (semi-major axis {size})"
    low, high = SCALE_RANGE
    operation = crs.coordinate_operation
    params = {p.name: p.value for p in operation.params} if operation is not None else {}
    for pname, value in params.items():
        if "scale factor" in pname.lower() and not low <= value <= high:
            return f"its scale factor is {value:g}, outside {low:g} to {high:g}: distances would be off"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
            lon, lat = _crs_centre(crs, params)
            factors = pyproj.Proj(crs).get_factors(lon, lat)
    except (pyproj.exceptions.ProjError, pyproj.exceptions.CRSError):
        return "PROJ cannot project to it"
    for scale in (factors.meridional_scale, factors.parallel_scale):
        if not (math.isfinite(scale) and low <= scale <= high):
            return (
                f"its scale at ({lon:g}, {lat:g}) is {scale:g}, outside {low:g} to {high:g}: "
                "distances would be off"
            )
    return None


def _crs_centre(crs: Any, params: dict[str, float]) -> tuple[float, float]:
    """The centre of a CRS's area of use, or its origin: where its scale is checked."""
    area = crs.area_of_use
    if area is not None:
        lon = (area.west + area.east) / 2 if area.west <= area.east else area.west
        return lon, (area.south + area.north) / 2
    lon = lat = 0.0
    for pname, value in params.items():
        words = pname.lower()
        if any(w in words for w in ("natural origin", "false origin", "projection centre", "of origin")):
            if words.startswith("longitude"):
                lon = value
            elif words.startswith("latitude"):
                lat = value
    return lon, lat
